import { homedir } from 'node:os';
import { join } from 'node:path';

/** Everything the harness keeps between runs (engine builds, tiny models, known_hosts) lives outside the repo. */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.BENCH_CACHE_DIR || join(homedir(), '.cache', 'bitnet-coherence-bench');
}
