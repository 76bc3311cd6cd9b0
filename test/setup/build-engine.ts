import { existsSync } from 'node:fs';
import type { TestProject } from 'vitest/node';
import { ensureLlamaCppBuild } from '../../harness/engine/llama-cpp/build.ts';
import { consoleLogger } from '../../harness/log.ts';
import { ensureBitnetForkBuild, FORK_TARBALL, type ForkBuild } from './bitnet-fork.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The real bitnet.cpp fork built from ../shared (test/engine/bitnet-fork*.test.ts), or why there is none. */
    bitnetFork: { build: ForkBuild } | { missing: string } | { error: string };
  }
}

/**
 * The unit project's tests drive real engines: llama.cpp (llama-completion and llama-server) and the real
 * bitnet.cpp fork. Build both once, before any test, so no test's timeout has to cover a first build (~2 min
 * for llama-server, ~10 min for the fork on 2 cores); later runs find them in the cache in milliseconds.
 */
export async function setup(project: TestProject): Promise<void> {
  const build = await ensureLlamaCppBuild({ tools: ['llama-server'], log: consoleLogger('[engine]') });
  if (!build.fromCache) console.log(`[engine] built llama.cpp ${build.commit.slice(0, 7)} in ${build.buildSeconds.toFixed(0)} s`);
  project.provide('bitnetFork', await buildFork());
}

/** A failed fork build is handed to its tests (which fail with it) instead of failing every unit test. */
async function buildFork(): Promise<{ build: ForkBuild } | { missing: string } | { error: string }> {
  if (!existsSync(FORK_TARBALL)) return { missing: `${FORK_TARBALL} is absent (the real bitnet.cpp fork source, beside the project in ../shared; BENCH_SHARED_DIR points elsewhere)` };
  const log = consoleLogger('[bitnet.cpp]');
  try {
    const fork = await ensureBitnetForkBuild({ log });
    if (!fork.fromCache) log.info(`built the fork in ${Object.entries(fork.phaseSeconds).map(([p, s]) => `${p} ${s.toFixed(1)} s`).join(', ')}`);
    return { build: fork };
  } catch (error) {
    log.warn((error as Error).message);
    return { error: (error as Error).message };
  }
}
