import { describe, expect, it } from 'vitest';
import { marginOfError, mean, percentile, standardDeviation, standardError, summarize, tCdf, tQuantile } from './index.ts';

describe('sample statistics', () => {
  const rates = [4.82, 5.1, 4.95, 5.3, 4.71];

  it('mean and sample standard deviation match the textbook two-pass values', () => {
    const m = rates.reduce((a, b) => a + b, 0) / rates.length;
    const sd = Math.sqrt(rates.reduce((a, x) => a + (x - m) ** 2, 0) / (rates.length - 1));
    expect(mean(rates)).toBeCloseTo(m, 12);
    expect(standardDeviation(rates)).toBeCloseTo(sd, 12);
    expect(standardError(rates)).toBeCloseTo(sd / Math.sqrt(5), 12);
  });

  it('Welford stays exact where the naive sum-of-squares formula cancels to nonsense', () => {
    const big = [1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16];
    expect(standardDeviation(big)).toBeCloseTo(Math.sqrt(30), 9);
  });

  it('one sample has a mean but no spread; none has nothing', () => {
    expect(summarize([5])).toMatchObject({ n: 1, mean: 5, min: 5, max: 5 });
    expect(summarize([5]).sd).toBeNaN();
    expect(summarize([5]).se).toBeNaN();
    expect(marginOfError([5])).toBeNaN();
    expect(mean([])).toBeNaN();
    expect(percentile([], 50)).toBeNaN();
  });

  it('percentiles interpolate between closest ranks (numpy default)', () => {
    const xs = [15, 20, 35, 40, 50];
    expect(percentile(xs, 0)).toBe(15);
    expect(percentile(xs, 100)).toBe(50);
    expect(percentile(xs, 50)).toBe(35);
    expect(percentile(xs, 40)).toBeCloseTo(29, 12); // rank 1.6 → 20 + 0.6·15
    expect(percentile([3, 1, 2, 4], 25)).toBeCloseTo(1.75, 12);
    expect(() => percentile(xs, 101)).toThrow(/\[0, 100\]/);
  });
});

describe("Student's t", () => {
  it('quantiles match the published table', () => {
    expect(tQuantile(0.975, 1)).toBeCloseTo(12.7062, 3);
    expect(tQuantile(0.975, 2)).toBeCloseTo(4.3027, 3);
    expect(tQuantile(0.975, 4)).toBeCloseTo(2.7764, 3);
    expect(tQuantile(0.95, 9)).toBeCloseTo(1.8331, 3);
    expect(tQuantile(0.975, 30)).toBeCloseTo(2.0423, 3);
    expect(tQuantile(0.975, 1e6)).toBeCloseTo(1.96, 2);
    expect(tQuantile(0.025, 4)).toBeCloseTo(-2.7764, 3);
  });

  it('the CDF is symmetric and inverts the quantile', () => {
    expect(tCdf(0, 3)).toBeCloseTo(0.5, 12);
    expect(tCdf(-2, 5) + tCdf(2, 5)).toBeCloseTo(1, 12);
    expect(tCdf(tQuantile(0.9, 7), 7)).toBeCloseTo(0.9, 9);
  });

  it('the 95% margin of error of five rates is t(0.975, 4)·se', () => {
    const rates = [4.82, 5.1, 4.95, 5.3, 4.71];
    expect(marginOfError(rates)).toBeCloseTo(2.7764 * standardError(rates), 3);
    expect(() => marginOfError(rates, 1)).toThrow(/confidence/);
  });
});
