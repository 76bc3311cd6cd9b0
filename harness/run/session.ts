import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { baselineFilesOf, loadBaselines } from '../baselines/io.ts';
import type { Baseline } from '../baselines/schema.ts';
import type { GenerationConfig, Prompt } from '../config/schema.ts';
import { type LoadedConfig, loadConfig, requireTargetCredentials } from '../config/load.ts';
import { createEngine } from '../engine/index.ts';
import { chooseThreads } from '../engine/threads.ts';
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
import { type RunStart, resolveRunStart } from './run-id.ts';
import { checkModelPath, checkReportsWritable } from './preflight.ts';
import { acquireRunLock, type RunLock } from '../results/run-lock.ts';
import { checkFingerprint, fingerprintOf, promptsHashOf } from '../results/fingerprint.ts';
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
  /** The generation settings with threads chosen for the target; set once it is described. */
  #gen?: GenerationConfig;
  #threadsWarning?: string;
  #finished = false;
  #lock?: RunLock;
  /** Set when a resume was refused: the earlier run's folder is then left exactly as it was. */
  #keepFolder = false;
  /** The gate's status once finish() has written the reports: the run's exit status follows it for infrastructure. */
  gateStatus?: 'ok' | 'regression' | 'infrastructure';

  private constructor(readonly loaded: LoadedConfig, project: string, readonly log: Logger, start: RunStart, readonly baselines: Baseline[], readonly env: NodeJS.ProcessEnv, shard?: Shard) {
    const { runId } = start;
    this.phases = new PhaseRecorder(log);
    const { config, prompts, source } = loaded;
    this.prompts = shard ? shardPrompts(prompts.prompts, shard) : prompts.prompts;
    this.record = {
      runId,
      project,
      status: 'failed',
      startedAt: new Date().toISOString(),
      reportDir: start.reportDir,
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
    checkModelPath(loaded.config);
    const start = resolveRunStart(loaded.config.reports.dir, env.BENCH_RUN_ID, options.shard ? `${project}-shard${options.shard.index}of${options.shard.count}` : project);
    checkReportsWritable(loaded.config.reports.dir);
    mkdirSync(start.reportDir, { recursive: true });
    const lock = acquireRunLock(start.reportDir, start.runId);
    const log = options.log ?? consoleLogger(`[${project}]`);
    log.info(start.mode === 'resume' ? `resuming run ${start.runId} from ${start.reportDir}` : `new run ${start.runId}${env.BENCH_RUN_ID ? ' (BENCH_RUN_ID names no earlier run folder, so it starts one)' : ''}: ${start.reportDir}`);
    const session = new BenchSession(loaded, project, log, start, baselines, env, options.shard);
    session.#lock = lock;
    try {
      // what the config alone decides is compared now, before a target is provisioned; the engine's part later
      const { nPredict, temperature } = loaded.config.generation;
      checkFingerprint(start.reportDir, start.runId, { nPredict, temperature, promptSet: loaded.prompts.name, promptsHash: promptsHashOf(session.prompts) }, { record: false });
    } catch (error) {
      lock.release();
      throw error;
    }
    return session;
  }

  async execute(signal?: AbortSignal): Promise<RunRecord> {
    const { config } = this.loaded;
    const { log, phases, record, prompts } = this;
    try {
      this.#lease = await phases.step('provision', `provision ${config.target.kind} target`, () => provisionTarget(config.target, { log, phases, runId: record.runId }));
      const target = this.#lease.target;
      const machine = await phases.step('provision', 'describe machine', () => target.describe());
      record.machine = machine;
      const threads = chooseThreads(config.generation.threads, machine);
      if (threads.warning) log.warn(threads.warning);
      this.#threadsWarning = threads.warning;
      const gen = (this.#gen = { ...config.generation, threads: threads.threads });
      this.#lease.phase?.('setup');
      this.#engine = await createEngine(config.engine).prepare({ target, log, phases, gen });
      record.environment = this.#environment(machine);
      record.engineMode = this.#engine.mode;
      try {
        const fingerprint = checkFingerprint(record.reportDir, record.runId, fingerprintOf(record.environment, record.promptSet, prompts));
        if (fingerprint === 'matched') log.info('resume: engine, model, generation flags and prompts match the run being resumed');
      } catch (error) {
        this.#keepFolder = true;
        throw error;
      }
      const store = new JsonlResultStore(resolve(record.reportDir, 'results.jsonl'));
      this.#lease.phase?.('generate');
      await phases.step('generate', `generate ${prompts.length} prompts`, async () => {
        record.rows = await generateAll({ judge: config.judge, runId: record.runId, engine: this.#engine!, prompts, gen, store, log, signal, repetitions: config.throughput.perPromptRepetitions });
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
      record.throughput = await phases.step('throughput', `workload tg${workload.nPredict}: ${warmup} warm-up + ${repetitions} repetitions`, () => measureThroughput(engine, config.throughput, this.#gen!, log, signal));
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
      threads: this.#gen!.threads,
      ...(this.#threadsWarning ? { threadsWarning: this.#threadsWarning } : {}),
      ...(this.#engine!.commandLine ? { engineArgv: this.#engine!.commandLine(this.#gen!, this.prompts[0]) } : {}),
      batchSize: config.generation.batchSize,
      nPredict: config.generation.nPredict,
      temperature: config.generation.temperature,
      overrideKv: config.generation.overrideKv,
      ...(info.warnings?.length ? { warnings: info.warnings } : {}),
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
      writeReports(record, { baselines: this.baselines, rateOptions: this.loaded.config.compare }).catch((error: Error) => console.error(`[${record.project}] could not write reports after ${signal}: ${error.message}`));
      console.error(`\n[${record.project}] interrupted by ${signal}: ${record.rows.length} of ${this.prompts.length} prompts kept; reports in ${record.reportDir}`);
    } catch (error) {
      console.error(`[${record.project}] could not write reports after ${signal}: ${(error as Error).message}`);
    }
    this.#lock?.release();
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
    if (this.#keepFolder) {
      // a refused resume: the folder belongs to the earlier run, whose reports stay as they are
      this.#lock?.release();
      return record;
    }
    if (!record.rows.length) record.rows = new JsonlResultStore(resolve(record.reportDir, 'results.jsonl')).read();
    record.finishedAt = new Date().toISOString();
    try {
      const { context, files } = await phases.step('report', 'write reports', () => writeReports(record, { baselines: this.baselines, rateOptions: this.loaded.config.compare }));
      this.gateStatus = context.gate.status;
      const extra = afterReports(record, this.env, this.log);
      this.log.info(`reports: ${record.reportDir}\n${[...files, ...extra].map((f) => `  ${f}`).join('\n')}`);
      console.log(`\n${renderConsoleSummary(context)}\n`);
    } catch (error) {
      // a full disk or a folder gone read-only: the harness's own message, not a stack; results.jsonl holds the rows
      this.gateStatus = 'infrastructure';
      console.error(`\n[${record.project}] ${error instanceof HarnessError ? error.describe() : `write reports failed: ${(error as Error).message}`}\n`);
    } finally {
      this.#lock?.release();
    }
    return record;
  }
}

export function failureOf(error: unknown, phases: PhaseRecorder): NonNullable<RunRecord['failure']> {
  if (error instanceof HarnessError) return { kind: error.kind, step: error.step, message: error.message, hint: error.hint };
  const step = phases.failedStep()?.step ?? 'unknown step';
  return { kind: 'infrastructure', step, message: (error as Error)?.message ?? String(error) };
}
