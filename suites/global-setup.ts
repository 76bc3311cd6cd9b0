import type { TestProject } from 'vitest/node';
import { HarnessError } from '../harness/errors.ts';
import type { RunRecord } from '../harness/results/types.ts';
import { BenchSession } from '../harness/run/session.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    bench: RunRecord;
  }
}

/**
 * A project's global setup: provision the target, prepare the engine, run every prompt once, hand the run to the
 * tests with `provide`. The named `teardown` export runs even when setup throws (a teardown *returned* from setup
 * would not be registered then), so the target is always released and the reports always written.
 */
export function createGlobalSetup(project: string, configFile?: string, envDefaults: Record<string, string> = {}) {
  let session: BenchSession | undefined;

  async function setup(testProject: TestProject): Promise<void> {
    try {
      session = BenchSession.open(project, { configFile, env: { ...envDefaults, ...process.env } });
      await session.execute();
    } catch (error) {
      throw presentable(error);
    }
    testProject.provide('bench', session.record);
  }

  async function teardown(): Promise<void> {
    await session?.finish();
  }

  return { setup, teardown };
}

/**
 * Vitest prints a global-setup error's stack. For the harness's own errors the stack says nothing the user can
 * act on, so it is replaced by the step, the message and what to do.
 */
function presentable(error: unknown): unknown {
  if (!(error instanceof HarnessError)) return error;
  const clean = new Error(error.describe());
  clean.name = error.kind === 'config' ? 'BenchConfigError' : 'BenchInfrastructureError';
  clean.stack = `${clean.name}: ${clean.message}`;
  return clean;
}
