import { type SampleSummary, summarize } from '../stats/index.ts';

/**
 * Token-rate change between two sets of samples, judged so that noise is not called a regression: slower only
 * when the drop is larger than BOTH the relative tolerance and z·√(se₁² + se₂²) (the difference's standard
 * error). With a single sample on a side there is no standard error; the verdict then rests on the tolerance
 * alone, and `note` says so.
 */
export interface RateOptions {
  /** Relative change that counts at all, e.g. 0.10 = 10 %. */
  relativeTolerance: number;
  /** Standard errors of the difference that count as beyond noise (1.96 ≈ 95 % two-sided). */
  z: number;
}

export const defaultRateOptions: RateOptions = { relativeTolerance: 0.1, z: 1.96 };

export type RateVerdict = 'slower' | 'faster' | 'unchanged' | 'no-data';

export interface RateComparison {
  current: SampleSummary;
  baseline: SampleSummary;
  /** (current − baseline) / baseline; NaN without data. Higher tokens/s is better. */
  change: number;
  /** The absolute tokens/s differences the change had to exceed. `noise` is null without se on both sides. */
  thresholds: { relative: number; noise: number | null };
  verdict: RateVerdict;
  note?: string;
}

export function compareRates(current: readonly number[], baseline: readonly number[], options: RateOptions = defaultRateOptions): RateComparison {
  const cur = summarize(current);
  const base = summarize(baseline);
  if (!cur.n || !base.n) {
    const missing = !cur.n && !base.n ? 'either side' : !cur.n ? 'this run' : 'the baseline';
    return { current: cur, baseline: base, change: Number.NaN, thresholds: { relative: Number.NaN, noise: null }, verdict: 'no-data', note: `no token rate from ${missing}` };
  }
  const diff = cur.mean - base.mean;
  const relative = options.relativeTolerance * base.mean;
  const noise = cur.n >= 2 && base.n >= 2 ? options.z * Math.sqrt(cur.se ** 2 + base.se ** 2) : null;
  const beyond = Math.abs(diff) > relative && (noise === null || Math.abs(diff) > noise);
  const verdict: RateVerdict = !beyond ? 'unchanged' : diff < 0 ? 'slower' : 'faster';
  const single = [cur.n < 2 ? 'this run' : '', base.n < 2 ? 'the baseline' : ''].filter(Boolean);
  const note = single.length ? `one sample from ${single.join(' and ')}: no standard error, judged by the ${pct(options.relativeTolerance)} tolerance alone` : undefined;
  return { current: cur, baseline: base, change: diff / base.mean, thresholds: { relative, noise }, verdict, ...(note ? { note } : {}) };
}

export function pct(x: number, digits = 0): string {
  return `${(x * 100).toFixed(digits)} %`;
}

/** `5.12 → 4.01 tok/s (−21.7 %), slower` */
export function describeRate(r: RateComparison): string {
  if (r.verdict === 'no-data') return r.note ?? 'no data';
  const sign = r.change >= 0 ? '+' : '−';
  const noise = r.thresholds.noise === null ? '' : `, noise ±${r.thresholds.noise.toFixed(2)}`;
  return `${r.baseline.mean.toFixed(2)} → ${r.current.mean.toFixed(2)} tok/s (${sign}${pct(Math.abs(r.change), 1)}${noise}), ${r.verdict}`;
}

/**
 * Against another platform the rate is context, not a verdict: `5.10 tok/s here, 38.03 tok/s on AMD EPYC 75F3
 * (here 87 % slower)`. A different CPU being faster or slower is not news about this run, so nothing is gated.
 */
export function describeRateOn(r: RateComparison, platform: string): string {
  if (!r.baseline.n) return `${r.current.n ? `${r.current.mean.toFixed(2)} tok/s here; ` : ''}no published token rate for ${platform}`;
  if (!r.current.n) return `no token rate from this run; ${r.baseline.mean.toFixed(2)} tok/s on ${platform}`;
  const how = Math.abs(r.change) < 0.005 ? 'the same' : `here ${pct(Math.abs(r.change))} ${r.change >= 0 ? 'faster' : 'slower'}`;
  return `${r.current.mean.toFixed(2)} tok/s here, ${r.baseline.mean.toFixed(2)} tok/s on ${platform} (${how})`;
}
