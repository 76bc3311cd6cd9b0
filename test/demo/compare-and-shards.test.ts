import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { firstDivergence } from '../../harness/compare/divergence.ts';
import type { RunRecord } from '../../harness/results/types.ts';
import { runCli } from '../support/cli.ts';
import { runVitestProject } from '../support/run-vitest.ts';

/** Comparison and sharding on real demo-engine outputs (llama-completion on the tiny models), not fixtures. */
const latest = (reportsDir: string): RunRecord => JSON.parse(readFileSync(join(reportsDir, 'latest', 'run.json'), 'utf8'));
const perPrompt = (r: RunRecord) => r.rows.map((row) => ({ id: row.promptId, verdict: row.verdict, text: row.text, tokens: row.timings.evalTokens }));

let coherent: RunRecord;
beforeAll(async () => {
  const run = await runVitestProject('demo', { BENCH_N_PREDICT: '64' });
  expect(run.status, run.output).toBe(0);
  coherent = latest(run.reportsDir);
});

describe('demo outputs compared', () => {
  it('finds where the loop twin parts from the coherent model, prompt by prompt', async () => {
    const loop = latest((await runVitestProject('demo', { BENCH_LLAMA_MODEL: 'tiny:loop', BENCH_N_PREDICT: '64' })).reportsDir);
    for (const [i, row] of coherent.rows.entries()) {
      const other = loop.rows[i]!;
      let expected = 0;
      while (row.text[expected] === other.text[expected]) expected++;
      const d = firstDivergence(row.text, other.text)!;
      expect(d.charOffset, row.promptId).toBe(expected);
      expect(d.charOffset).toBeGreaterThan(0); // the twin starts like the written text …
      expect(d.wordIndex).toBe(row.text.slice(0, expected).trimStart().split(/\s+/).length - 1);
      expect(row.text.slice(0, d.charOffset).endsWith(d.before)).toBe(true);
      expect(d.after[0]).toBe(row.text.slice(d.charOffset, d.charOffset + d.after[0].length));
      expect(d.after[1]).toBe(other.text.slice(d.charOffset, d.charOffset + d.after[1].length));
    }
  });

  it('the same engine and model give identical greedy outputs: no divergence between two runs', async () => {
    const again = latest((await runVitestProject('demo', { BENCH_N_PREDICT: '64' })).reportsDir);
    for (const [i, row] of coherent.rows.entries()) expect(firstDivergence(row.text, again.rows[i]!.text), row.promptId).toBeNull();
  });

  it('two shards merged give the unsharded run, prompt by prompt', async () => {
    const reportsDir = mkdtempSync(join(tmpdir(), 'bench-shards-'));
    const shards = [];
    for (const shard of ['1/2', '2/2']) {
      const run = await runVitestProject('demo', { BENCH_REPORTS_DIR: reportsDir, BENCH_N_PREDICT: '64' }, [`--shard=${shard}`]);
      expect(run.status, run.output).toBe(0);
      shards.push(latest(reportsDir));
    }
    expect(shards.map((s) => s.rows.length)).toEqual([4, 4]);
    const merged = join(reportsDir, 'merged');
    const merge = runCli('harness/reports/merge-cli.ts', [...shards.map((s) => s.reportDir), '--out', merged]);
    expect(merge.status, merge.output).toBe(0);
    const record: RunRecord = JSON.parse(readFileSync(join(merged, 'run.json'), 'utf8'));
    expect(perPrompt(record)).toEqual(perPrompt(coherent));
  });
});
