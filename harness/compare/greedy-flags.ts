import type { BaselineEnvironment } from '../baselines/schema.ts';

/**
 * The settings that decide which tokens a greedy run picks, read from the engine command line where one was
 * recorded (the argv is what ran) and from the environment's fields where it does not carry them (server mode:
 * `-n` and `--temp` travel with each request). null: neither side says (a published source that does not state it).
 *
 * Threads are deliberately absent: llama.cpp's CPU backend splits a matrix product by output rows, and each row's
 * dot product is summed by one thread in a fixed order, so `-t 2` and `-t 4` give the same logits and the same
 * greedy text — only the speed differs. A reference run with other threads is still the same computation.
 */
export interface GreedySettings {
  /** Token limit (`-n`); Infinity for llama.cpp's -1/-2 (until end of text / context full). */
  nPredict: number | null;
  /**
   * Tokens per compute micro-batch: min(-b, -ub), llama.cpp's defaults 2048 and 512. It changes the shapes of the
   * matrix products of the prompt, hence the order of floating-point sums and possibly the tokens (the seed's `-b 1`;
   * the server's `-b 2 -ub 1` is the same computation).
   */
  batch: number | null;
  temperature: number;
  /** `--override-kv` values, sorted; null when no command line is recorded. Each rewrites model metadata the run reads. */
  overrideKv: string[] | null;
}

const names = {
  nPredict: ['-n', '--n-predict', '--predict'],
  batch: ['-b', '--batch-size'],
  ubatch: ['-ub', '--ubatch-size'],
  temperature: ['--temp'],
  overrideKv: ['--override-kv'],
} as const;

/** Every value given to one of `flags` in an argv, in order (llama.cpp takes the last of a repeated flag). */
function values(argv: readonly string[], flags: readonly string[]): string[] {
  const found: string[] = [];
  for (let i = 1; i < argv.length - 1; i++) if (flags.includes(argv[i]!)) found.push(argv[++i]!);
  return found;
}

function lastNumber(argv: readonly string[], flags: readonly string[]): number | null {
  const v = values(argv, flags).at(-1);
  const n = v === undefined ? NaN : Number(v);
  return Number.isFinite(n) ? n : null;
}

/** `0` in a baseline's environment means "the published source does not say". */
const stated = (n: number) => (n > 0 ? n : null);

export function greedySettings(env: BaselineEnvironment): GreedySettings {
  const argv = env.engineArgv;
  const n = argv ? lastNumber(argv, names.nPredict) : null;
  const b = argv ? lastNumber(argv, names.batch) : null;
  const ub = argv ? lastNumber(argv, names.ubatch) : null;
  return {
    nPredict: n !== null ? (n < 0 ? Infinity : n) : stated(env.nPredict),
    batch: b !== null || ub !== null ? Math.min(b ?? 2048, ub ?? 512) : stated(env.batchSize),
    temperature: (argv && lastNumber(argv, names.temperature)) ?? env.temperature,
    overrideKv: argv ? values(argv, names.overrideKv).sort() : null,
  };
}

/**
 * The flags on which this run differs from a greedy reference, as reasons for the legend ("this run's -b is 8, the
 * reference's 1"); empty when every flag both sides record is the same. `-n` is never a reason: greedy text of a
 * smaller limit is a prefix of a larger one's, so agreement is counted as far as the shorter text (wordAgreement).
 */
export function greedyFlagMismatches(current: BaselineEnvironment, reference: BaselineEnvironment): string[] {
  const now = greedySettings(current);
  const ref = greedySettings(reference);
  const reasons: string[] = [];
  if (now.temperature !== 0) reasons.push(`this run samples at temperature ${now.temperature} (a reference needs 0)`);
  if (now.batch !== null && ref.batch !== null && now.batch !== ref.batch) reasons.push(`this run's -b is ${now.batch}, the reference's ${ref.batch} (the batch changes the order of floating-point sums)`);
  if (now.overrideKv && ref.overrideKv && now.overrideKv.join('\n') !== ref.overrideKv.join('\n')) {
    const list = (kvs: string[]) => (kvs.length ? kvs.join(' ') : 'none');
    reasons.push(`this run's --override-kv is ${list(now.overrideKv)}, the reference's ${list(ref.overrideKv)}`);
  }
  return reasons;
}
