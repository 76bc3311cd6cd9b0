import { ensureLlamaCppBuild } from '../../harness/engine/llama-cpp/build.ts';
import { consoleLogger } from '../../harness/log.ts';

/**
 * The unit project's tests drive the real llama.cpp engine (llama-completion and llama-server). Build it once,
 * before any test, so no test's timeout has to cover a first build (~2 min for llama-server on 2 cores); later
 * runs find it in the cache in milliseconds.
 */
export async function setup(): Promise<void> {
  const build = await ensureLlamaCppBuild({ tools: ['llama-server'], log: consoleLogger('[engine]') });
  if (!build.fromCache) console.log(`[engine] built llama.cpp ${build.commit.slice(0, 7)} in ${build.buildSeconds.toFixed(0)} s`);
}
