import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mergeRuns } from '../harness/reports/merge.ts';
import { readRunFolder } from '../harness/results/run-folder.ts';
import type { ResultRow, RunRecord } from '../harness/results/types.ts';
import { shardPrompts } from '../harness/run/shard.ts';
import { runCli } from './support/cli.ts';
import { outputs, record, type RowSpec, writeRunFolder } from './support/run-fixtures.ts';

const ids = ['capital-of-france', 'microsoft', 'ai-2025', 'relativity', 'once-upon-a-time', 'programming-languages', 'water', 'human-brain', 'bitcoin', 'fibonacci'];
const specs: RowSpec[] = ids.map((id, i) => ({ id, text: i === 6 ? outputs.loop : i % 2 ? outputs.water : outputs.paris, verdict: i === 6 ? 'degenerate' : 'coherent', rate: 4 + i / 7 }));

/** A shard run as the session writes it: its share of the prompts, and the whole set for the merge. */
function shardRun(index: number, count: number): RunRecord {
  const mine = shardPrompts(specs, { index, count });
  const rec = record(`run-shard${index}of${count}`, mine);
  return { ...rec, shard: { index, count, promptSetIds: ids } };
}

/** Rows without the run they came from: what must be equal whether one machine or three generated them. */
const perPrompt = (rows: ResultRow[]) => rows.map(({ runId: _, ...rest }) => rest);

describe('sharded runs merged', () => {
  it('shards split the prompts round-robin, disjoint and complete', () => {
    const shards = [1, 2, 3].map((index) => shardPrompts(ids, { index, count: 3 }));
    expect(shards).toEqual([
      ['capital-of-france', 'relativity', 'water', 'fibonacci'],
      ['microsoft', 'once-upon-a-time', 'human-brain'],
      ['ai-2025', 'programming-languages', 'bitcoin'],
    ]);
  });

  it('npm run reports:merge: three shard folders give the unsharded run, prompt for prompt, and every report', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-merge-'));
    const whole = record('run-whole', specs);
    const folders = [3, 1, 2].map((i) => writeRunFolder(dir, shardRun(i, 3)));
    const out = join(dir, 'merged');
    const r = runCli('harness/reports/merge-cli.ts', [...folders, '--out', out]);
    expect(r.status, r.output).toBe(0);
    expect(r.stdout).toContain('merged 3 runs (10/10 prompts)');
    const merged = readRunFolder(out);
    expect(merged.promptIds).toEqual(whole.promptIds);
    expect(perPrompt(merged.rows)).toEqual(perPrompt(whole.rows));
    expect(merged).toMatchObject({ status: 'complete', project: 'x86', promptSet: 'seed', mergedFrom: ['run-shard3of3', 'run-shard1of3', 'run-shard2of3'], environment: { runId: 'merged', engineCommit: '01eb415' } });
    // the merged folder is rendered like any run: its gate sees the one degenerate prompt
    expect(JSON.parse(readFileSync(join(out, 'comparison.json'), 'utf8')).gate).toMatchObject({ status: 'regression', findings: [{ promptId: 'water', kind: 'quality' }] });
    expect(readFileSync(join(out, 'summary.md'), 'utf8')).toMatch(/9\/10 coherent/);
    expect(readFileSync(join(out, 'results.csv'), 'utf8').trim().split('\n')).toHaveLength(11);
    expect(runCli('harness/gate/cli.ts', [out]).status).toBe(1);
  });

  it('a missing shard leaves its prompts without result, and the gate calls it infrastructure', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-merge-'));
    const merged = mergeRuns([shardRun(1, 2)], { runId: 'partial', reportDir: join(dir, 'partial') });
    expect(merged.promptIds).toEqual(ids);
    expect(merged.rows.map((r) => r.promptId)).toEqual(shardPrompts(ids, { index: 1, count: 2 }));
    const out = writeRunFolder(dir, merged);
    const gate = runCli('harness/gate/cli.ts', [out]);
    expect(gate.status).toBe(2);
    expect(gate.stdout).toContain('[infrastructure] no result for microsoft, relativity, programming-languages, human-brain, fibonacci');
  });

  it('refuses to merge what cannot be one run: overlapping shards, another engine commit', () => {
    expect(() => mergeRuns([shardRun(1, 2), shardRun(1, 2)], { runId: 'm', reportDir: '/tmp/m' })).toThrow(/prompt "capital-of-france" is in both/);
    const other = { ...shardRun(2, 2), environment: { ...shardRun(2, 2).environment!, engineCommit: 'deadbee' } };
    expect(() => mergeRuns([shardRun(1, 2), other], { runId: 'm', reportDir: '/tmp/m' })).toThrow(/engineCommit differs \(01eb415 vs deadbee\)/);
  });
});
