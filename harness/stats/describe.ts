/**
 * Small, dependency-free statistics for benchmark samples (token rates today; throughput repetitions later).
 * Everything takes a plain `number[]` and is defined for the degenerate cases a benchmark meets in practice:
 * no samples (NaN, never a throw) and one sample (no spread: sd and se are NaN, not 0 — a single measurement
 * says nothing about noise, and pretending it has none would make every difference look significant).
 */
import { tQuantile } from './t-distribution.ts';

export interface SampleSummary {
  n: number;
  mean: number;
  /** Sample standard deviation (n − 1 denominator); NaN when n < 2. */
  sd: number;
  /** Standard error of the mean, sd / √n; NaN when n < 2. */
  se: number;
  min: number;
  max: number;
}

/** Mean and variance in one pass with Welford's update: stable where the naive Σx² − (Σx)²/n cancels. */
export function welford(samples: readonly number[]): { n: number; mean: number; m2: number } {
  let n = 0;
  let mean = 0;
  let m2 = 0;
  for (const x of samples) {
    n++;
    const delta = x - mean;
    mean += delta / n;
    m2 += delta * (x - mean);
  }
  return { n, mean: n ? mean : Number.NaN, m2 };
}

export function mean(samples: readonly number[]): number {
  return welford(samples).mean;
}

export function standardDeviation(samples: readonly number[]): number {
  const { n, m2 } = welford(samples);
  return n < 2 ? Number.NaN : Math.sqrt(m2 / (n - 1));
}

export function standardError(samples: readonly number[]): number {
  return standardDeviation(samples) / Math.sqrt(samples.length);
}

export function summarize(samples: readonly number[]): SampleSummary {
  const { n, mean: m, m2 } = welford(samples);
  const sd = n < 2 ? Number.NaN : Math.sqrt(m2 / (n - 1));
  return { n, mean: m, sd, se: sd / Math.sqrt(n), min: n ? Math.min(...samples) : Number.NaN, max: n ? Math.max(...samples) : Number.NaN };
}

/**
 * Half-width of the two-sided confidence interval of the mean, t(1 − α/2, n − 1) · se. NaN when n < 2:
 * one sample has no interval.
 */
export function marginOfError(samples: readonly number[], confidence = 0.95): number {
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`confidence must be in (0, 1), got ${confidence}`);
  const n = samples.length;
  if (n < 2) return Number.NaN;
  return tQuantile(1 - (1 - confidence) / 2, n - 1) * standardError(samples);
}

/**
 * The p-th percentile (p in [0, 100]) with linear interpolation between closest ranks — the definition of
 * numpy's default and Excel's PERCENTILE.INC, so figures match what people compute elsewhere.
 */
export function percentile(samples: readonly number[], p: number): number {
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile must be in [0, 100], got ${p}`);
  if (!samples.length) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (rank - lo);
}
