import type { SampleStats } from '../results/types.ts';
import { marginOfError, summarize } from '../stats/index.ts';

/**
 * mean ± sd and the t-based margin of error of a figure's samples, with the raw samples kept. Missing values
 * (null, NaN) are dropped; spread needs two samples and is null below that (one run says nothing about noise).
 */
export function sampleStats(values: readonly (number | null)[], confidence = 0.95): SampleStats {
  const samples = values.filter((v): v is number => v !== null && Number.isFinite(v));
  const s = summarize(samples);
  const finite = (x: number) => (Number.isFinite(x) ? x : null);
  const moe = finite(marginOfError(samples, confidence));
  const mean = finite(s.mean);
  return { samples, n: s.n, mean, sd: finite(s.sd), marginOfError: moe, relativeMarginOfError: moe !== null && mean ? moe / mean : null, confidence };
}

/** `4.95 ± 0.23 tok/s (±5.8 % at 95 %, n = 5)` */
export function describeStats(s: SampleStats, unit: string, digits = 2): string {
  if (s.mean === null) return 'n/a';
  const sd = s.sd === null ? '' : ` ± ${s.sd.toFixed(digits)}`;
  const moe = s.relativeMarginOfError === null ? '' : `±${(s.relativeMarginOfError * 100).toFixed(1)} % at ${Math.round(s.confidence * 100)} %, `;
  return `${s.mean.toFixed(digits)}${sd} ${unit} (${moe}n = ${s.n})`;
}
