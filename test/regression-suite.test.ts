import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { saveBaseline } from '../harness/baselines/io.ts';
import { snapshotOf } from '../harness/baselines/from-run.ts';
import { root } from './support/cli.ts';
import { armMachine, outputs, record, type RowSpec, writeRunFolder } from './support/run-fixtures.ts';

interface JsonAssertion { title: string; status: string; failureMessages: string[] }

/** Runs the real suites/regression.test.ts with a global setup that provides a fixture run and baselines. */
function runRegressionSuite(runDir: string, baselines: string[]): { tests: JsonAssertion[]; junit: string } {
  const dir = mkdtempSync(join(tmpdir(), 'bench-suite-'));
  const config = join(dir, 'vitest.config.mjs');
  writeFileSync(config, `export default { test: { root: ${JSON.stringify(root)}, include: ['suites/regression.test.ts'], globalSetup: ['test/support/fixture-global-setup.ts'] } };\n`);
  const out = join(dir, 'results.json');
  const junit = join(dir, 'junit.xml');
  const child = spawnSync(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', '--config', config, '--reporter=json', '--reporter=junit', `--outputFile.json=${out}`, `--outputFile.junit=${junit}`], {
    cwd: root,
    env: { ...process.env, BENCH_FIXTURE_RUN: runDir, BENCH_FIXTURE_BASELINES: baselines.join(','), NO_COLOR: '1' },
    encoding: 'utf8',
    timeout: 120_000,
  });
  const results = JSON.parse(readFileSync(out, 'utf8'));
  expect(results.testResults.length, child.stderr).toBe(1);
  return { tests: results.testResults[0].assertionResults, junit: readFileSync(junit, 'utf8') };
}

describe('suites/regression.test.ts on fixture runs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bench-regression-'));
  const good: RowSpec[] = [{ id: 'capital-of-france', text: outputs.paris }, { id: 'water', text: outputs.water }];
  const now = writeRunFolder(dir, record('now', [good[0]!, { id: 'water', text: outputs.loop, verdict: 'degenerate' }]));
  const lastWeek = join(dir, 'last-week.json');
  const arm = join(dir, 'm1.json');
  saveBaseline(lastWeek, snapshotOf(record('last-week', good), { label: 'x86 last week', kind: 'previous-run' }));
  saveBaseline(arm, snapshotOf(record('arm', good.map((g) => ({ ...g, text: outputs.armSalad, verdict: 'degenerate' })), { machine: armMachine }), { label: 'Apple M1 word salad', kind: 'platform' }));

  it('fails "no regression" for the prompt that regressed, with the diagnosis and divergence in the message', () => {
    const { tests } = runRegressionSuite(now, [lastWeek]);
    expect(tests.map((t) => [t.title, t.status])).toEqual([
      ['Prompt capital-of-france: no regression against x86 last week', 'passed'],
      ['Prompt water: no regression against x86 last week', 'failed'],
    ]);
    expect(tests[1]!.failureMessages[0]).toMatch(/regression: coherent in "x86 last week", word salad now[\s\S]*diverges at char 1 \(word 1\)[\s\S]*output now: " and oxygen/);
  });

  it('reports the diagnosis against a platform baseline without failing', () => {
    const { tests, junit } = runRegressionSuite(now, [arm]);
    expect(tests.map((t) => t.status)).toEqual(['passed', 'passed']);
    // the diagnosis travels as a test annotation: printed by the default reporter, a <property> in JUnit
    const notes = [...junit.matchAll(/<property name="notice" value="([^"]*)">/g)].map((m) => m[1]);
    expect(notes).toHaveLength(2);
    expect(notes[0]).toBe('the ARM kernels are at fault: coherent here, word salad on Apple M1; 5.00 tok/s here, 5.00 tok/s on Apple M1 (the same) (different platform: not gated)');
    expect(notes[1]).toMatch(/^the weights or the forward pass are at fault: word salad here, word salad on Apple M1, so not one platform&apos;s kernels/);
  });

  it('says how to configure baselines when there are none', () => {
    const { tests } = runRegressionSuite(now, []);
    expect(tests).toMatchObject([{ status: 'skipped', title: expect.stringContaining('BENCH_BASELINES') }]);
  });
});
