import { describe, expect, it } from 'vitest';
import { renderConsoleSummary } from '../reports/console-summary.ts';
import { buildReportContext } from '../reports/context.ts';
import { flattenRow } from '../reports/flat-row.ts';
import { renderMarkdownSummary } from '../reports/markdown.ts';
import { renderResultsText } from '../reports/results-text.ts';
import { phaseTotals } from '../reports/time-and-speed.ts';
import type { ResultRow, RunRecord } from '../results/types.ts';
import { latencyOf } from './latency.ts';
import { rooflineOf } from './roofline.ts';
import { describeStats, sampleStats } from './sample-stats.ts';

describe('latency from stream arrival times', () => {
  it('TTFT is the first token; TPOT spans first to last over the engine count less one; ITL percentiles from gaps', () => {
    const l = latencyOf({ firstTokenMs: 100, tokenTimesMs: [100, 110, 130, 140, 180] }, 5);
    expect(l.ttftMs).toBe(100);
    expect(l.tpotMs).toBe(20); // (180 − 100) / 4
    expect(l.itlMs).toEqual({ p50: 15, p90: expect.closeTo(34, 9), p99: expect.closeTo(39.4, 9) }); // gaps 10, 20, 10, 40 → sorted ranks 2.7, 2.97
  });

  it('counts tokens as the engine does, not as the stream chunks them', () => {
    // two tokens arrived in one event (same timestamp): still 4 tokens, 3 intervals
    expect(latencyOf({ firstTokenMs: 0, tokenTimesMs: [0, 0, 30, 60] }, 4).tpotMs).toBe(20);
  });

  it('process mode knows TTFT only: chunks are pipe reads, not tokens', () => {
    expect(latencyOf({ firstTokenMs: 42, tokenTimesMs: null }, 64)).toEqual({ ttftMs: 42, tpotMs: null, itlMs: null });
  });
});

describe('sample statistics of repetitions', () => {
  it('mean ± sd, t margin of error and the raw samples', () => {
    const s = sampleStats([10, 12, 11, null], 0.95);
    expect(s).toMatchObject({ samples: [10, 12, 11], n: 3, mean: 11, sd: 1 });
    expect(s.marginOfError).toBeCloseTo(4.3027 / Math.sqrt(3), 3);
    expect(s.relativeMarginOfError).toBeCloseTo(s.marginOfError! / 11, 12);
    expect(describeStats(s, 'tok/s')).toBe('11.00 ± 1.00 tok/s (±22.6 % at 95 %, n = 3)');
  });

  it('one sample has no spread and says so', () => {
    expect(sampleStats([5])).toMatchObject({ n: 1, mean: 5, sd: null, marginOfError: null, relativeMarginOfError: null });
    expect(describeStats(sampleStats([5]), 'tok/s')).toBe('5.00 tok/s (n = 1)');
  });
});

describe('roofline', () => {
  it('ceiling = bandwidth ÷ model bytes; fraction = achieved ÷ ceiling', () => {
    const r = rooflineOf(20e9, 1_187_801_280, 5);
    expect(r.ceilingTokensPerSecond).toBeCloseTo(16.84, 2);
    expect(r.fraction).toBeCloseTo(5 / 16.84, 3);
    expect(rooflineOf(20e9, 1e9, null).fraction).toBeNull();
  });
});

const timings = { loadMs: null, promptEvalMs: 5, promptTokens: 2, promptTokensPerSecond: 400, evalMs: 1000, evalTokens: 10, tokensPerSecond: 10, totalMs: 1005 };
const row: ResultRow = {
  runId: 'r', promptId: 'a', prompt: 'The capital of France is', text: ' Paris.', timings, verdict: 'coherent', score: 1, reasons: [], attempts: 1,
  promptEchoed: true, endOfText: true, startedAt: '2026-01-01T00:00:00Z', finishedAt: '2026-01-01T00:00:01Z', wallMs: 1100,
  samples: [10, 11, 12], latency: { ttftMs: 120, tpotMs: 100, itlMs: { p50: 99, p90: 110, p99: 130 } },
};
const record: RunRecord = {
  runId: 'r', project: 'demo', status: 'complete', startedAt: '2026-01-01T00:00:00Z', reportDir: '/tmp/r', configSource: 'x', promptSet: 'demo', promptIds: ['a'], rows: [row],
  phases: [
    { phase: 'provision', step: 'p', startedAt: '', ms: 3000, status: 'ok' },
    { phase: 'load', step: 'l', startedAt: '', ms: 1000, status: 'ok' },
    { phase: 'generate', step: 'g', startedAt: '', ms: 5000, status: 'ok' },
    { phase: 'generate', step: 'g2', startedAt: '', ms: 1000, status: 'ok' },
  ],
  throughputBounds: { minTokensPerSecond: 2 },
  engineMode: 'server',
  throughput: {
    mode: 'server', workload: { prompt: 'Fixed', nPredict: 128, promptTokens: 3 }, warmup: 1, planned: 3,
    repetitions: [1, 2, 3].map(() => ({ timings, latency: row.latency!, wallMs: 1 })),
    tokensPerSecond: sampleStats([10, 11, 12]), promptTokensPerSecond: sampleStats([400, 410, 420]), ttftMs: sampleStats([120, 121, 119]), tpotMs: sampleStats([100, 101, 99]),
  },
  roofline: rooflineOf(20e9, 1e9, 11),
  cost: { phases: [{ name: 'provision', seconds: 60, dollars: 0.0035 }, { name: 'generate', seconds: 120, dollars: 0.007 }], totalSeconds: 180, totalDollars: 0.0105, costPerHr: 0.21 },
};

describe('reports show the speed figures', () => {
  it('phase totals sum steps per phase with their share', () => {
    expect(phaseTotals(record)).toEqual([
      { phase: 'provision', ms: 3000, share: 0.3, steps: 1 },
      { phase: 'load', ms: 1000, share: 0.1, steps: 1 },
      { phase: 'generate', ms: 6000, share: 0.6, steps: 2 },
    ]);
  });

  it('summary.md: mean ± sd per prompt, the workload with its margin, roofline, time per phase and the bill', () => {
    const md = renderMarkdownSummary(buildReportContext(record));
    expect(md).toContain('| 11.00 ± 1.00 |');
    expect(md).toContain('eval:        11.00 ± 1.00 tok/s (±22.6 % at 95 %, n = 3)');
    expect(md).toMatch(/Roofline: 20\.0 GB\/s ÷ 1000\.0 MB per token \(model file\) = 20\.0 tok\/s ceiling; achieved 11\.00 tok\/s = 55\.0 % of it/);
    expect(md).toContain('| generate | 6.0 s | 60.0 % | 2 |');
    expect(md).toContain('| generate | 120 | $0.0070 |');
  });

  it('the console summary, the results text and the CSV row carry them too', () => {
    expect(renderConsoleSummary(buildReportContext(record))).toContain('Time: provision 3.0 s · load 1.0 s · generate 6.0 s');
    const text = renderResultsText(record);
    expect(text).toContain('repeated 3×: 11.00 ± 1.00 tok/s; TTFT 120 ms; TPOT 100.00 ms; ITL p50/p90/p99 99.00/110.00/130.00 ms');
    expect(text).toContain('Billed: $0.0105 for 180 s');
    expect(flattenRow(row, undefined, 'demo')).toMatchObject({ tokens_per_second_mean: 11, tokens_per_second_sd: 1, tokens_per_second_samples: 3, ttft_ms: 120, itl_p99_ms: 130 });
  });
});
