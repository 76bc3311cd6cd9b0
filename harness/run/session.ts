import { resolve } from 'node:path';
import { baselineFilesOf, loadBaselines } from '../baselines/io.ts';
import type { Baseline } from '../baselines/schema.ts';
import type { Prompt } from '../config/schema.ts';
import { type LoadedConfig, loadConfig, requireTargetCredentials } from '../config/load.ts';
import { createEngine } from '../engine/index.ts';
import type { PreparedEngine } from '../engine/engine.ts';
import { HarnessError } from '../errors.ts';
import { type Logger, consoleLogger } from '../log.ts';
import { renderConsoleSummary, writeReports } from '../reports/index.ts';
import { JsonlResultStore } from '../results/jsonl-store.ts';
import type { RunEnvironment, RunRecord } from '../results/types.ts';
import { type Lease, provisionTarget } from '../targets/index.ts';
import { mean } from '../stats/index.ts';
import { measureThroughput } from '../throughput/repetitions.ts';
import { probeMemoryBandwidth, rooflineOf } from '../throughput/roofline.ts';
import { describeStats } from '../throughput/sample-stats.ts';
import { generateAll } from './generate.ts';
import { PhaseRecorder } from './phases.ts';
import { newRunId } from './run-id.ts';
import { afterReports } from './after-reports.ts';
import { type Shard, shardPrompts } from './shard.ts';

/**
 * One benchmark run, as the global setup drives it: provision → engine setup → generate (each prompt appended to
 * results.jsonl as it finishes) → hand the record to the tests; then `finish()` releases the target and writes the
 * reports on every path, including a setup that threw halfway.
 */
export class BenchSession {
  readonly record: RunRecord;
  readonly phases: PhaseRecorder;
  /** The prompts this run generates: the whole set, or this shard's share of it. */
  readonly prompts: Prompt[];
  #lease?: Lease;
  #engine?: PreparedEngine;
  #finished = false;

  private constructor(readonly loaded: LoadedConfig, project: string, readonly log: Logger, runId: string, readonly baselines: Baseline[], readonly env: NodeJS.ProcessEnv, shard?: Shard) {
    this.phases = new PhaseRecorder(log);
    const { config, prompts, source } = loaded;
    this.prompts = shard ? shardPrompts(prompts.prompts, shard) : prompts.prompts;
    this.record = {
      runId,
      project,
      status: 'failed',
      startedAt: new Date().toISOString(),
      reportDir: resolve(config.reports.dir, runId),
      configSource: source,
      promptSet: prompts.name,
      promptIds: this.prompts.map((p) => p.id),
      rows: [],
      phases: this.phases.steps,
      throughputBounds: { minTokensPerSecond: config.throughput.minTokensPerSecond, maxTokensPerSecond: config.throughput.maxTokensPerSecond, maxRelativeMarginOfError: config.throughput.maxRelativeMarginOfError },
      ...(shard ? { shard: { ...shard, promptSetIds: prompts.prompts.map((p) => p.id) } } : {}),
      ...(config.judge?.failOnRepetition ? { failOnRepetition: true } : {}),
    };
  }

  /** Reads the config and the baselines first: a bad one fails here, before anything is provisioned. */
  static open(project: string, options: { configFile?: string; env?: NodeJS.ProcessEnv; log?: Logger; shard?: Shard } = {}): BenchSession {
    const env = options.env ?? process.env;
    const loaded = loadConfig({ file: options.configFile, env });
    requireTargetCredentials(loaded.config, env);
    const baselines = loadBaselines(baselineFilesOf(loaded));
    const runId = env.BENCH_RUN_ID ?? newRunId(options.shard ? `${project}-shard${options.shard.index}of${options.shard.count}` : project);
    return new BenchSession(loaded, project, options.log ?? consoleLogger(`[${project}]`), runId, baselines, env, options.shard);
  }

  async execute(signal?: AbortSignal): Promise<RunRecord> {
    const { config } = this.loaded;
    const { log, phases, record, prompts } = this;
    try {
      this.#lease = await phases.step('provision', `provision ${config.target.kind} target`, () => provisionTarget(config.target, { log, phases, runId: record.runId }));
      const target = this.#lease.target;
      const machine = await phases.step('provision', 'describe machine', () => target.describe());
      record.machine = machine;
      this.#lease.phase?.('setup');
      this.#engine = await createEngine(config.engine).prepare({ target, log, phases, gen: config.generation });
      record.environment = this.#environment(machine);
      record.engineMode = this.#engine.mode;
      const store = new JsonlResultStore(resolve(record.reportDir, 'results.jsonl'));
      this.#lease.phase?.('generate');
      await phases.step('generate', `generate ${prompts.length} prompts`, async () => {
        record.rows = await generateAll({ judge: config.judge, runId: record.runId, engine: this.#engine!, prompts, gen: config.generation, store, log, signal, repetitions: config.throughput.perPromptRepetitions });
      });
      await this.#measureThroughput(signal);
      record.status = 'complete';
      return record;
    } catch (error) {
      record.failure = failureOf(error, phases);
      throw error;
    }
  }

  /** The fixed-workload repetitions, then the bandwidth probe for the roofline (which fails soft: it is context). */
  async #measureThroughput(signal?: AbortSignal): Promise<void> {
    const { config } = this.loaded;
    const { record, phases, log } = this;
    const engine = this.#engine!;
    if (config.throughput.repetitions > 0) {
      const { warmup, repetitions, workload } = config.throughput;
      record.throughput = await phases.step('throughput', `workload tg${workload.nPredict}: ${warmup} warm-up + ${repetitions} repetitions`, () => measureThroughput(engine, config.throughput, config.generation, log, signal));
      log.info(`throughput (${engine.mode} mode): ${describeStats(record.throughput.tokensPerSecond, 'tok/s')}`);
    }
    try {
      const bandwidth = await phases.step('throughput', 'probe memory bandwidth', () => probeMemoryBandwidth(this.#lease!.target));
      const rates = record.rows.flatMap((r) => r.samples ?? []);
      const achieved = record.throughput?.tokensPerSecond.mean ?? (rates.length ? mean(rates) : null);
      record.roofline = rooflineOf(bandwidth, engine.info.modelBytes, achieved);
    } catch (error) {
      log.warn(`no roofline: ${(error as Error).message}`);
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

  /**
   * The signal path: no await anywhere (the process is about to exit), no target release (a pod has its own
   * synchronous stop); the reports are rendered from the prompts results.jsonl already holds.
   */
  writeInterruptedReports(signal: NodeJS.Signals): void {
    if (this.#finished) return;
    this.#finished = true;
    const { record } = this;
    record.status = 'failed';
    record.failure = { kind: 'infrastructure', step: 'run', message: `interrupted by ${signal}`, hint: `finished prompts are kept in results.jsonl; rerun with BENCH_RUN_ID=${record.runId} to resume` };
    record.rows = new JsonlResultStore(resolve(record.reportDir, 'results.jsonl')).read();
    record.finishedAt = new Date().toISOString();
    try {
      // writeReports has no await inside: its body runs to completion synchronously, before the process exits.
      void writeReports(record, { baselines: this.baselines, rateOptions: this.loaded.config.compare });
      console.error(`\n[${record.project}] interrupted by ${signal}: ${record.rows.length} of ${this.prompts.length} prompts kept; reports in ${record.reportDir}`);
    } catch (error) {
      console.error(`[${record.project}] could not write reports after ${signal}: ${(error as Error).message}`);
    }
  }

  /** Idempotent; never throws past a report already written. */
  async finish(): Promise<RunRecord> {
    if (this.#finished) return this.record;
    this.#finished = true;
    const { phases, record } = this;
    this.#lease?.phase?.('teardown');
    await phases.step('teardown', 'release target', async () => {
      await this.#engine?.close().catch((e: Error) => this.log.warn(`engine close: ${e.message}`));
      await this.#lease?.release();
    }).catch((error: Error) => {
      // A target that could not be released (a pod still billed) is an infrastructure failure of the run.
      this.log.warn(`release target failed: ${error.message}`);
      record.failure ??= failureOf(error, phases);
      record.status = 'failed';
    });
    if (this.#lease?.cost) record.cost = this.#lease.cost();
    if (!record.rows.length) record.rows = new JsonlResultStore(resolve(record.reportDir, 'results.jsonl')).read();
    record.finishedAt = new Date().toISOString();
    const { context, files } = await phases.step('report', 'write reports', () => writeReports(record, { baselines: this.baselines, rateOptions: this.loaded.config.compare }));
    const extra = afterReports(record, this.env, this.log);
    this.log.info(`reports: ${record.reportDir}\n${[...files, ...extra].map((f) => `  ${f}`).join('\n')}`);
    console.log(`\n${renderConsoleSummary(context)}\n`);
    return record;
  }
}

export function failureOf(error: unknown, phases: PhaseRecorder): NonNullable<RunRecord['failure']> {
  if (error instanceof HarnessError) return { kind: error.kind, step: error.step, message: error.message, hint: error.hint };
  const step = phases.failedStep()?.step ?? 'unknown step';
  return { kind: 'infrastructure', step, message: (error as Error)?.message ?? String(error) };
}
