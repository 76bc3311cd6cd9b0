import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunRecord } from '../harness/results/types.ts';
import { shardPrompts } from '../harness/run/shard.ts';
import { root, runCli } from './support/cli.ts';
import { outputs, record, type RowSpec, writeRunFolder } from './support/run-fixtures.ts';

interface JsonReport { testResults: { name: string; assertionResults: { fullName: string; status: string }[] }[] }

const ids = ['capital-of-france', 'microsoft', 'ai-2025', 'relativity', 'water'];
const specs: RowSpec[] = ids.map((id, i) => ({ id, text: i % 2 ? outputs.water : outputs.paris, rate: 5 + i }));

function vitest(args: string[], env: NodeJS.ProcessEnv, expectStatus = 0): JsonReport {
  const dir = mkdtempSync(join(tmpdir(), 'bench-vitest-'));
  const out = join(dir, 'results.json');
  const child = spawnSync(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', ...args, '--reporter=json', `--outputFile.json=${out}`], {
    cwd: root,
    env: { ...process.env, BENCH_CONFIG: '', BENCH_BASELINES: '', BENCH_REPORTS_DIR: join(dir, 'reports'), NO_COLOR: '1', ...env },
    encoding: 'utf8',
    timeout: 120_000,
  });
  expect(child.status, `${child.stdout}\n${child.stderr}`).toBe(expectStatus);
  return JSON.parse(readFileSync(out, 'utf8')) as JsonReport;
}

const ran = (r: JsonReport) => r.testResults.flatMap((f) => f.assertionResults.filter((t) => t.status !== 'skipped').map((t) => `${t.status} ${t.fullName}`)).sort();
const files = (r: JsonReport) => r.testResults.map((f) => f.name.slice(root.length + 1)).sort();

describe('sharding the bench across machines', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bench-shards-'));

  it('vitest --shard=i/n runs every suite file on each shard, on that shard\'s prompts', () => {
    const runDir = writeRunFolder(dir, record('fixture', specs));
    const config = join(dir, 'vitest.config.ts');
    writeFileSync(config, `import { BenchSequencer } from ${JSON.stringify(join(root, 'suites/setup/sequencer.ts'))};
export default { test: { root: ${JSON.stringify(root)}, include: ['suites/**/*.test.ts'], globalSetup: ['test/support/fixture-global-setup.ts'], sequence: { sequencer: BenchSequencer } } };\n`);
    for (const index of [1, 2]) {
      const report = vitest(['--config', config, `--shard=${index}/2`], { BENCH_FIXTURE_RUN: runDir, BENCH_FIXTURE_BASELINES: '' });
      expect(files(report)).toEqual(['suites/coherence.test.ts', 'suites/regression.test.ts', 'suites/throughput.test.ts']);
      const mine = shardPrompts(ids, { index, count: 2 });
      expect(ran(report).filter((t) => t.includes('coherence')).map((t) => t.split(' Prompt ')[1]).sort()).toEqual([...mine].sort());
    }
  });

  it('shard folders merged, then replayed with BENCH_RUN_DIR: the same tests and results as the unsharded run', () => {
    const shard = (index: number): RunRecord => ({ ...record(`run-shard${index}of2`, shardPrompts(specs, { index, count: 2 })), shard: { index, count: 2, promptSetIds: ids } });
    const whole = writeRunFolder(dir, record('run-whole', specs));
    const merged = join(dir, 'merged');
    const merge = runCli('harness/reports/merge-cli.ts', [writeRunFolder(dir, shard(1)), writeRunFolder(dir, shard(2)), '--out', merged]);
    expect(merge.status, merge.output).toBe(0);
    const fromMerged = vitest(['--project=x86'], { BENCH_RUN_DIR: merged });
    const fromWhole = vitest(['--project=x86'], { BENCH_RUN_DIR: whole });
    expect(ran(fromMerged)).toEqual(ran(fromWhole));
    // per prompt: coherence, throughput, and one comparison with each of the two published default baselines
    expect(ran(fromMerged)).toHaveLength(ids.length * 4);
    expect(ran(fromMerged).every((t) => t.startsWith('passed'))).toBe(true);
  });

  it('a replayed run with a degenerate prompt fails its test (exit 1); one that never ran exits 2', () => {
    const bad = writeRunFolder(dir, record('run-bad', [specs[0]!, { id: 'water', text: outputs.loop, verdict: 'degenerate' }]));
    const report = vitest(['--project=x86'], { BENCH_RUN_DIR: bad }, 1);
    expect(ran(report).filter((t) => t.startsWith('failed'))).toEqual([expect.stringMatching(/^failed coherence: .*Prompt water$/)]);
    const offline = writeRunFolder(dir, record('run-offline', [], { status: 'failed', environment: null, promptIds: ids, failure: { kind: 'infrastructure', step: 'clone microsoft/BitNet', message: 'no network' } }));
    vitest(['--project=x86'], { BENCH_RUN_DIR: offline }, 2);
  });
});
