import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../harness/log.ts';
import type { RunRecord } from '../../harness/results/types.ts';
import { BenchSession } from '../../harness/run/session.ts';
import { LocalTarget } from '../../harness/targets/local.ts';
import { probeMemoryBandwidth } from '../../harness/throughput/roofline.ts';
import { runVitestProject } from '../support/run-vitest.ts';

/** The demo run for real in server mode, with the repetitions asked for on the command line. */
describe('throughput on the demo engine', () => {
  it('server mode end to end: one model load, repetition samples = config, stats in the reports', async () => {
    const run = await runVitestProject('demo', { BENCH_LLAMA_MODE: 'server', BENCH_REPETITIONS: '4' });
    expect(run.status, run.output).toBe(0);
    const names = [...run.tests.keys()];
    expect(names.find((n) => n.startsWith('throughput workload tg128 (server mode): '))).toMatch(/± [\d.]+ tok\/s \(±[\d.]+ % at 95 %, n = 4\)/);
    expect(names.some((n) => n.endsWith('every planned repetition produced engine timings (4/4 after 1 warm-up)'))).toBe(true);
    const latest = join(run.reportsDir, 'latest');
    const record = JSON.parse(readFileSync(join(latest, 'run.json'), 'utf8')) as RunRecord;
    expect(record.engineMode).toBe('server');
    expect(record.phases.filter((p) => p.phase === 'load')).toHaveLength(1);
    expect(record.throughput!.tokensPerSecond.samples).toHaveLength(4);
    expect(record.throughput!.repetitions.every((r) => r.timings.evalTokens === 128 && r.latency.itlMs !== null)).toBe(true);
    for (const row of record.rows) {
      expect(row.samples).toHaveLength(1);
      expect(row.latency!.ttftMs).toBeGreaterThan(0);
      expect(row.latency!.tpotMs).toBeGreaterThan(0);
    }
    expect(record.roofline!.fraction).toBeGreaterThan(0);
    const summary = readFileSync(join(latest, 'summary.md'), 'utf8');
    expect(summary).toMatch(/eval: +[\d.]+ ± [\d.]+ tok\/s \(±[\d.]+ % at 95 %, n = 4\)/);
    expect(summary).toMatch(/\| load \| \d+ ms \|/);
  });

  it('per-prompt repetitions fill each row\'s samples (process mode, through the real session)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-reps-'));
    const config = join(dir, 'config.json');
    const demo = JSON.parse(readFileSync('fixtures/configs/demo.json', 'utf8'));
    delete demo.$schema;
    delete demo.baselines; // relative to the original config's folder
    writeFileSync(config, JSON.stringify({ ...demo, prompts: resolve('fixtures/prompts/demo.json'), reports: { dir: join(dir, 'reports') }, throughput: { ...demo.throughput, repetitions: 0, perPromptRepetitions: 3 } }));
    const session = BenchSession.open('demo', { configFile: config, env: {}, log: silentLogger });
    try {
      await session.execute();
    } finally {
      await session.finish();
    }
    expect(session.record.throughput).toBeUndefined();
    expect(session.record.rows).toHaveLength(8);
    for (const row of session.record.rows) expect(row.samples, row.promptId).toHaveLength(3);
    const csv = readFileSync(join(session.record.reportDir, 'results.csv'), 'utf8');
    expect(csv.split('\n')[0]).toContain('tokens_per_second_sd');
  });

  it('the bandwidth probe returns a plausible figure in well under 2 s', async () => {
    const t0 = performance.now();
    const bandwidth = await probeMemoryBandwidth(new LocalTarget(mkdtempSync(join(tmpdir(), 'bench-probe-'))));
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(bandwidth).toBeGreaterThan(0.5e9); // any machine of the last 20 years copies faster than 0.5 GB/s
    expect(bandwidth).toBeLessThan(2e12); // and no single core copies 2 TB/s
  });
});
