import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.ts';
import { generationTimeoutMs } from '../engine/timeouts.ts';
import { loadConfig } from './load.ts';
import { benchConfigSchema } from './schema.ts';

const repoRoot = join(import.meta.dirname, '../..');

/** The ConfigError loadConfig throws for these environment overrides / this file body. */
function configError(env: Record<string, string>, generation?: Record<string, unknown>): ConfigError {
  try {
    if (generation) benchConfigSchema.parse({ generation });
    loadConfig({ env, cwd: repoRoot });
  } catch (error) {
    if (error instanceof ConfigError) return error;
    // A direct parse reports a ZodError; wrap it the way loadConfig words it, so both paths are checked alike.
    return new ConfigError((error as Error).message);
  }
  throw new Error(`accepted: ${JSON.stringify({ env, generation })}`);
}

describe('generation settings have sane upper bounds, named with the field and the variable', () => {
  it('threads: 100000 is refused (it hung the machine), with the field, the variable and the limit', () => {
    expect(configError({ BENCH_THREADS: '100000' }).message).toMatch(/generation\.threads \(set by BENCH_THREADS\): .*≤ 1024/);
    expect(loadConfig({ env: { BENCH_THREADS: '1024' }, cwd: repoRoot }).config.generation.threads).toBe(1024);
  });

  it('nPredict: 1e12 is refused before any launch, naming -n and the context', () => {
    const message = configError({ BENCH_N_PREDICT: '1000000000000' }).message;
    expect(message).toMatch(/generation\.nPredict \(set by BENCH_N_PREDICT\): .*≤ 4096/);
    expect(message).toMatch(/-n/);
    expect(message).toMatch(/context/);
    expect(loadConfig({ env: { BENCH_N_PREDICT: '4096' }, cwd: repoRoot }).config.generation.nPredict).toBe(4096);
  });

  it('batchSize, temperature, attempts and timeoutSeconds each have a bound', () => {
    expect(configError({}, { batchSize: 100_000 }).message).toMatch(/batchSize.*≤ 4096/s);
    expect(configError({}, { temperature: 50 }).message).toMatch(/temperature.*≤ 5/s);
    expect(configError({}, { attempts: 1000 }).message).toMatch(/attempts.*≤ 10/s);
    expect(configError({}, { timeoutSeconds: 1e9 }).message).toMatch(/timeoutSeconds.*≤ 86400/s);
  });

  it('throughput repetitions are bounded too, naming BENCH_REPETITIONS', () => {
    expect(configError({ BENCH_REPETITIONS: '1000000000' }).message).toMatch(/throughput\.repetitions \(set by BENCH_REPETITIONS\): .*≤ 1000/);
    expect(() => benchConfigSchema.parse({ throughput: { warmup: 1e6 } })).toThrow(/≤ 100/);
    expect(() => benchConfigSchema.parse({ throughput: { perPromptRepetitions: 1e6 } })).toThrow(/≤ 100/);
  });

  it('the throughput workload\'s nPredict shares the generation limit', () => {
    expect(() => benchConfigSchema.parse({ throughput: { workload: { nPredict: 1e6 } } })).toThrow(/≤ 4096/);
  });
});

describe('generation timeout and attempt defaults', () => {
  it('scale the per-prompt timeout with nPredict unless one is set, and retry once', () => {
    const gen = benchConfigSchema.parse({}).generation;
    expect(gen.attempts).toBe(2);
    expect(gen.timeoutSeconds).toBeUndefined();
    expect(generationTimeoutMs(gen)).toBe((60 + 500) * 1000);
    expect(generationTimeoutMs({ ...gen, nPredict: 16 })).toBe((60 + 16) * 1000);
    expect(generationTimeoutMs({ ...gen, timeoutSeconds: 30 })).toBe(30_000);
  });
});
