import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { root } from './support/cli.ts';
import { outputs, record, type RowSpec, writeRunFolder } from './support/run-fixtures.ts';

interface JsonAssertion { title: string; status: string; failureMessages: string[] }

/** Runs the real suites/coherence.test.ts with a global setup that provides a fixture run. */
function runCoherenceSuite(runDir: string): { tests: JsonAssertion[]; junit: string; output: string } {
  const dir = mkdtempSync(join(tmpdir(), 'bench-coherence-suite-'));
  const config = join(dir, 'vitest.config.mjs');
  writeFileSync(config, `export default { test: { root: ${JSON.stringify(root)}, include: ['suites/coherence.test.ts'], globalSetup: ['test/support/fixture-global-setup.ts'] } };\n`);
  const out = join(dir, 'results.json');
  const junit = join(dir, 'junit.xml');
  const child = spawnSync(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', '--config', config, '--reporter=default', '--reporter=json', '--reporter=junit', `--outputFile.json=${out}`, `--outputFile.junit=${junit}`], {
    cwd: root,
    env: { ...process.env, BENCH_FIXTURE_RUN: runDir, NO_COLOR: '1' },
    encoding: 'utf8',
    timeout: 120_000,
  });
  const results = JSON.parse(readFileSync(out, 'utf8'));
  expect(results.testResults.length, child.stderr).toBe(1);
  return { tests: results.testResults[0].assertionResults, junit: readFileSync(junit, 'utf8'), output: child.stdout + child.stderr };
}

describe('suites/coherence.test.ts: a repetitive output passes with a visible warning, unless failOnRepetition', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bench-coherence-'));
  const rows: RowSpec[] = [
    { id: 'capital-of-france', text: outputs.paris, prompt: 'The capital of France is' },
    { id: 'relativity', text: outputs.repetitive, prompt: 'The theory of relativity states that', verdict: 'repetitive' },
    { id: 'water', text: outputs.loop, prompt: 'Water is composed of hydrogen and oxygen', verdict: 'degenerate' },
  ];

  it('passes it by default, with a warning annotation (JUnit property, console) naming the reasons', () => {
    const { tests, junit, output } = runCoherenceSuite(writeRunFolder(dir, record('default', rows)));
    expect(tests.map((t) => t.status)).toEqual(['passed', 'passed', 'failed']);
    const warnings = [...junit.matchAll(/<property name="warning" value="([^"]*)">/g)].map((m) => m[1]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^repetitive output: fluent sentences that repeat .*unless judge\.failOnRepetition is set \(score 0\.10\)/);
    expect(output).toMatch(/⚠ relativity: repetitive output/);
    expect(tests[2]!.failureMessages[0]).toMatch(/degenerate output \(score 0\.31\)/);
  });

  it('fails it when the run says failOnRepetition', () => {
    const { tests } = runCoherenceSuite(writeRunFolder(dir, record('strict', rows, { failOnRepetition: true })));
    expect(tests.map((t) => t.status)).toEqual(['passed', 'failed', 'failed']);
    expect(tests[1]!.failureMessages[0]).toMatch(/repetitive output \(judge\.failOnRepetition is set\) \(score 0\.10\)/);
  });
});
