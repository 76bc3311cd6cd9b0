import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Prompt } from '../config/schema.ts';
import { ConfigError } from '../errors.ts';
import { writeFileAtomic } from './atomic-write.ts';
import type { RunEnvironment } from './types.ts';

/**
 * What decides a run's rows: the engine and its commit, the model (name, file and size — hashing a 1.2 GB model on
 * a pod costs more than it tells), the generation flags and the prompts. Stored in the run folder when generation
 * starts; a resume must match it, so one run never mixes the rows of two configurations.
 */
export type RunFingerprint = Pick<RunEnvironment, 'engine' | 'engineCommit' | 'modelName' | 'modelFile' | 'modelBytes' | 'threads' | 'batchSize' | 'nPredict' | 'temperature'> & {
  promptSet: string;
  /** sha256 (first 16 hex) of the prompts' ids, texts and expectations, in order. */
  promptsHash: string;
};

export const FINGERPRINT_FILE = 'fingerprint.json';

export function promptsHashOf(prompts: readonly Prompt[]): string {
  return createHash('sha256').update(JSON.stringify(prompts.map((p) => [p.id, p.text, p.expect ?? null]))).digest('hex').slice(0, 16);
}

export function fingerprintOf(env: RunEnvironment, promptSet: string, prompts: readonly Prompt[]): RunFingerprint {
  return {
    engine: env.engine,
    engineCommit: env.engineCommit,
    modelName: env.modelName,
    modelFile: basename(env.modelFile),
    modelBytes: env.modelBytes,
    threads: env.threads,
    batchSize: env.batchSize,
    nPredict: env.nPredict,
    temperature: env.temperature,
    promptSet,
    promptsHash: promptsHashOf(prompts),
  };
}

/** Each field of `now` that differs, as `field: then → now`. */
export function fingerprintDifferences(then: RunFingerprint, now: Partial<RunFingerprint>): string[] {
  return (Object.keys(now) as (keyof RunFingerprint)[]).filter((k) => then[k] !== now[k]).map((k) => `${k}: ${JSON.stringify(then[k])} → ${JSON.stringify(now[k])}`);
}

/**
 * A new run records its fingerprint; a resumed one must match the recorded one or is refused, naming each
 * difference. Returns 'recorded' or 'matched'. With a partial fingerprint (what the config alone decides, known
 * before anything is provisioned) it only compares, so a mismatch is refused before a pod is rented.
 */
export function checkFingerprint(folder: string, runId: string, now: RunFingerprint | Partial<RunFingerprint>, options: { record?: boolean } = {}): 'recorded' | 'matched' | 'none' {
  const file = join(folder, FINGERPRINT_FILE);
  if (!existsSync(file)) {
    if (options.record === false) return 'none';
    writeFileAtomic(file, `${JSON.stringify(now, null, 2)}\n`);
    return 'recorded';
  }
  let then: RunFingerprint;
  try {
    then = JSON.parse(readFileSync(file, 'utf8')) as RunFingerprint;
  } catch (error) {
    throw new ConfigError(`${file} is not valid JSON: ${(error as Error).message}`, `resume with the configuration run ${runId} was started with, or start a new run (another BENCH_RUN_ID)`);
  }
  const differences = fingerprintDifferences(then, now);
  if (differences.length) {
    throw new ConfigError(`cannot resume run ${runId} with a different configuration (its rows would mix two setups):\n  ${differences.join('\n  ')}`, `resume with the configuration the run was started with, or start a new run (unset BENCH_RUN_ID or give another)`);
  }
  return 'matched';
}
