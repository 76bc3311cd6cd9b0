import type { TestProject } from 'vitest/node';
import type { Baseline } from '../harness/baselines/schema.ts';
import type { RateOptions } from '../harness/compare/rate.ts';
import { HarnessError } from '../harness/errors.ts';
import { exitCodes } from '../harness/gate/gate.ts';
import type { RunRecord } from '../harness/results/types.ts';
import { consoleLogger } from '../harness/log.ts';
import { type ReplayedRun, replayRun } from '../harness/run/replay.ts';
import { parseShard } from '../harness/run/shard.ts';
import { BenchSession } from '../harness/run/session.ts';
import { checkIgnoredConfig } from './setup/ignored-config.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    bench: RunRecord;
    /** The configured baselines (config `baselines`, BENCH_BASELINES), validated before the run started. */
    benchBaselines: Baseline[];
    benchCompare: RateOptions;
  }
}

/**
 * A project's global setup: provision the target, prepare the engine, run every prompt once (or this shard's
 * share: `vitest --shard=i/n`, or BENCH_SHARD=i/n), hand the run to the tests with `provide`. The named
 * `teardown` export runs even when setup throws (a teardown *returned* from setup would not be registered then),
 * so the target is always released and the reports always written. With BENCH_RUN_DIR=<run folder> nothing is
 * generated: the run is read back from the folder (e.g. one merged from shards by `npm run reports:merge`).
 */
export function createGlobalSetup(project: string, configFile?: string, envDefaults: Record<string, string> = {}, options: { ignoredConfig?: string } = {}) {
  let session: BenchSession | undefined;
  let replay: ReplayedRun | undefined;
  let failure: unknown;
  let stopListening = () => {};

  async function setup(testProject: TestProject): Promise<void> {
    if (process.env.BENCH_RUN_DIR) {
      try {
        replay = replayRun(process.env.BENCH_RUN_DIR, { configFile, log: consoleLogger(`[${project}]`) });
      } catch (error) {
        return stopCleanly(testProject, error);
      }
      if (replay.record.status !== 'complete') failure = new HarnessError('infrastructure', replay.record.failure?.step ?? 'run', replay.record.failure?.message ?? 'the replayed run did not complete');
      testProject.provide('bench', replay.record);
      testProject.provide('benchBaselines', replay.baselines);
      testProject.provide('benchCompare', replay.compare);
      return;
    }
    try {
      if (options.ignoredConfig && configFile) checkIgnoredConfig(options.ignoredConfig, configFile, { log: consoleLogger(`[${project}]`) });
      const shard = testProject.vitest.config.shard ?? parseShard(process.env.BENCH_SHARD);
      session = BenchSession.open(project, { configFile, shard, env: { ...envDefaults, ...process.env } });
      stopListening = writeReportsOnSignal(session);
      await session.execute();
    } catch (error) {
      return stopCleanly(testProject, error);
    }
    testProject.provide('bench', session.record);
    testProject.provide('benchBaselines', session.baselines);
    testProject.provide('benchCompare', session.loaded.config.compare);
  }

  /**
   * Vitest has already set exit code 1 for the failed setup when the teardown runs (its last step before the
   * process exits), so this is where the run's exit status can say *why*: 2 when the infrastructure failed, 3 for
   * a bad configuration, as `npm run gate` does. Test failures keep Vitest's 1.
   */
  async function teardown(): Promise<void> {
    stopListening();
    await session?.finish();
    replay?.finish();
    // prompts that ended in an infrastructure outcome (engine crash, unloadable model) fail their tests, but the
    // run's status is the gate's: 2, as `npm run gate` says, not Vitest's 1 for a quality failure
    if (failure === undefined && session?.gateStatus === 'infrastructure') process.exitCode = exitCodes.infrastructure;
    if (failure === undefined) return;
    const kind = failure instanceof HarnessError ? failure.kind : 'infrastructure';
    process.exitCode = kind === 'config' ? exitCodes.usage : exitCodes.infrastructure;
  }

  /**
   * A setup that throws makes Vitest print "No test files found" and an "Unhandled Error" banner around the message,
   * and exit 1. So for the harness's own errors the run is ended here instead: Vitest's close() runs every
   * project's teardown (ours releases the target and writes the reports, and sets the exit status 2 or 3), then the
   * one clean message is printed and the process exits with that status. A bug (not a HarnessError) keeps Vitest's
   * report with its stack.
   */
  async function stopCleanly(testProject: TestProject, error: unknown): Promise<never> {
    failure = error;
    if (!(error instanceof HarnessError)) throw error;
    await testProject.vitest.close();
    process.stderr.write(`\n${presentable(error)}\n\n`);
    process.exit(process.exitCode ?? exitCodes.infrastructure);
  }

  return { setup, teardown };
}

/**
 * Ctrl-C or SIGTERM: Vitest exits about 1 ms later and skips the teardown, so the reports are written here,
 * synchronously, from what results.jsonl already holds. Registered before provisioning, so it runs before the
 * RunPod provider's own handler, which terminates the pod and exits.
 */
function writeReportsOnSignal(session: BenchSession): () => void {
  const onSignal = (signal: NodeJS.Signals) => session.writeInterruptedReports(signal);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, onSignal);
  return () => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.off(signal, onSignal);
  };
}

/** The step, the message and what to do: a stack says nothing the user can act on. */
function presentable(error: HarnessError): string {
  return `${error.kind === 'config' ? 'BenchConfigError' : 'BenchInfrastructureError'}: ${error.describe()}`;
}
