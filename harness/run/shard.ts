import { ConfigError } from '../errors.ts';

/**
 * Splitting one run's prompts across machines. Vitest's `--shard=i/n` splits test *files*, but every suite
 * (coherence, throughput, regression) asserts on every prompt, so the harness shards the prompts instead: each
 * shard's global setup generates only its prompts, and every shard runs all the suite files on them (the bench
 * projects use `BenchSequencer`, which keeps all bench files on every shard). Round-robin, so the long and short
 * prompts of a set spread evenly.
 */
export interface Shard {
  /** 1-based, like `--shard=1/3`. */
  index: number;
  count: number;
}

export function shardPrompts<T>(items: readonly T[], shard: Shard): T[] {
  return items.filter((_, i) => i % shard.count === shard.index - 1);
}

/** `BENCH_SHARD=2/3` for runs that are not started with vitest's --shard. */
export function parseShard(raw: string | undefined): Shard | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(raw);
  const shard = m ? { index: Number(m[1]), count: Number(m[2]) } : undefined;
  if (!shard || shard.count < 1 || shard.index < 1 || shard.index > shard.count) {
    throw new ConfigError(`BENCH_SHARD="${raw}" is not a shard`, 'write it as index/count with 1 ≤ index ≤ count, e.g. BENCH_SHARD=2/3');
  }
  return shard;
}
