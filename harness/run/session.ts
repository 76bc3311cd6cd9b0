import { resolve } from 'node:path';
import { type LoadedConfig, loadConfig } from '../config/load.ts';
import { createEngine } from '../engine/index.ts';
import type { PreparedEngine } from '../engine/engine.ts';
import { HarnessError } from '../errors.ts';
import { type Logger, consoleLogger } from '../log.ts';
import { writeReports } from '../reports/index.ts';
import { JsonlResultStore } from '../results/jsonl-store.ts';
import type { RunEnvironment, RunRecord } from '../results/types.ts';
import { type Lease, provisionTarget } from '../targets/index.ts';
import { generateAll } from './generate.ts';
import { PhaseRecorder } from './phases.ts';
import { newRunId } from './run-id.ts';

/**
 * One benchmark run, as the global setup drives it: provision → engine setup → generate (each prompt appended to
 * results.jsonl as it finishes) → hand the record to the tests; then `finish()` releases the target and writes the
 * reports on every path, including a setup that threw halfway.
 */
export class BenchSession {
  readonly record: RunRecord;
  readonly phases: PhaseRecorder;
  #lease?: Lease;
  #engine?: PreparedEngine;
  #finished = false;

  private constructor(readonly loaded: LoadedConfig, project: string, readonly log: Logger, runId: string) {
    this.phases = new PhaseRecorder(log);
    const { config, prompts, source } = loaded;
    this.record = {
      runId,
      project,
      status: 'failed',
      startedAt: new Date().toISOString(),
      reportDir: resolve(config.reports.dir, runId),
      configSource: source,
      promptSet: prompts.name,
      promptIds: prompts.prompts.map((p) => p.id),
      rows: [],
      phases: this.phases.steps,
      throughputBounds: config.throughput,
    };
  }

  /** Reads the config first: a bad config fails here, before anything is provisioned. */
  static open(project: string, options: { configFile?: string; env?: NodeJS.ProcessEnv; log?: Logger } = {}): BenchSession {
    const env = options.env ?? process.env;
    const loaded = loadConfig({ file: options.configFile, env });
    return new BenchSession(loaded, project, options.log ?? consoleLogger(`[${project}]`), env.BENCH_RUN_ID ?? newRunId(project));
  }

  async execute(signal?: AbortSignal): Promise<RunRecord> {
    const { config, prompts } = this.loaded;
    const { log, phases, record } = this;
    try {
      this.#lease = await phases.step('provision', `provision ${config.target.kind} target`, () => provisionTarget(config.target, { log, phases, runId: record.runId }));
      const target = this.#lease.target;
      const machine = await phases.step('provision', 'describe machine', () => target.describe());
      record.machine = machine;
      this.#engine = await createEngine(config.engine).prepare({ target, log, phases });
      record.environment = this.#environment(machine);
      const store = new JsonlResultStore(resolve(record.reportDir, 'results.jsonl'));
      await phases.step('generate', `generate ${prompts.prompts.length} prompts`, async () => {
        record.rows = await generateAll({ runId: record.runId, engine: this.#engine!, prompts: prompts.prompts, gen: config.generation, store, log, signal });
      });
      record.status = 'complete';
      return record;
    } catch (error) {
      record.failure = failureOf(error, phases);
      throw error;
    }
  }

  #environment(machine: RunEnvironment['machine']): RunEnvironment {
    const { config } = this.loaded;
    const info = this.#engine!.info;
    const target = this.#lease!.target;
    return {
      runId: this.record.runId,
      project: this.record.project,
      target: target.kind,
      targetLabel: target.label,
      machine,
      engine: info.name,
      engineVersion: info.version,
      engineCommit: info.commit,
      modelName: info.modelName,
      modelFile: info.modelPath,
      modelBytes: info.modelBytes,
      threads: config.generation.threads,
      batchSize: config.generation.batchSize,
      nPredict: config.generation.nPredict,
      temperature: config.generation.temperature,
    };
  }

  /** Idempotent; never throws past a report already written. */
  async finish(): Promise<RunRecord> {
    if (this.#finished) return this.record;
    this.#finished = true;
    const { phases, record } = this;
    await phases.step('teardown', 'release target', async () => {
      await this.#engine?.close().catch((e: Error) => this.log.warn(`engine close: ${e.message}`));
      await this.#lease?.release();
    }).catch((error: Error) => this.log.warn(`release target failed: ${error.message}`));
    if (!record.rows.length) record.rows = new JsonlResultStore(resolve(record.reportDir, 'results.jsonl')).read();
    record.finishedAt = new Date().toISOString();
    const files = await phases.step('report', 'write reports', () => writeReports(record));
    this.log.info(`reports: ${record.reportDir}\n${files.map((f) => `  ${f}`).join('\n')}`);
    return record;
  }
}

export function failureOf(error: unknown, phases: PhaseRecorder): NonNullable<RunRecord['failure']> {
  if (error instanceof HarnessError) return { kind: error.kind, step: error.step, message: error.message, hint: error.hint };
  const step = phases.failedStep()?.step ?? 'unknown step';
  return { kind: 'infrastructure', step, message: (error as Error)?.message ?? String(error) };
}
