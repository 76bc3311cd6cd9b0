import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../test/support/cli.ts';
import { armMachine, outputs, record, type RowSpec, writeRunFolder } from '../../test/support/run-fixtures.ts';
import { exitCodes } from './gate.ts';

const good: RowSpec[] = [
  { id: 'capital-of-france', text: outputs.paris, rate: 5.2 },
  { id: 'water', text: outputs.water, rate: 5.0 },
];

describe('npm run gate: exit statuses a CI job can branch on', () => {
  let dir: string;
  let runs: Record<'lastWeek' | 'good' | 'regressed' | 'slower' | 'arm' | 'noNetwork', string>;
  let baselines: Record<'lastWeek' | 'arm', string>;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'bench-gate-'));
    runs = {
      lastWeek: writeRunFolder(dir, record('run-last-week', good)),
      good: writeRunFolder(dir, record('run-good', good)),
      regressed: writeRunFolder(dir, record('run-regressed', [good[0]!, { id: 'water', text: outputs.loop, verdict: 'degenerate', rate: 5.0 }])),
      slower: writeRunFolder(dir, record('run-slower', [{ ...good[0]!, rate: 3.9 }, good[1]!])),
      arm: writeRunFolder(dir, record('run-arm', good.map((g) => ({ ...g, text: outputs.armSalad, verdict: 'degenerate' as const, rate: 9.1 })), { machine: armMachine })),
      noNetwork: writeRunFolder(dir, record('run-offline', [], { status: 'failed', environment: null, promptIds: good.map((g) => g.id), failure: { kind: 'infrastructure', step: 'clone microsoft/BitNet@01eb415', message: 'no network on local', hint: 'set BENCH_ENGINE_DIR' } })),
    };
    baselines = { lastWeek: join(dir, 'x86-last-week.json'), arm: join(dir, 'apple-m1.json') };
    for (const [run, file, label, kind] of [[runs.lastWeek, baselines.lastWeek, 'x86 last week', 'previous-run'], [runs.arm, baselines.arm, 'Apple M1, bitnet.cpp 01eb415 — word salad (upstream #348)', 'platform']] as const) {
      const rec = runCli('harness/baselines/record-cli.ts', [run, file, '--label', label, '--kind', kind]);
      expect(rec.status, rec.output).toBe(0);
    }
  });

  it('records baselines that carry the label, kind, environment and rate samples', () => {
    const b = JSON.parse(readFileSync(baselines.arm, 'utf8'));
    expect(b).toMatchObject({ format: 1, kind: 'platform', label: expect.stringContaining('Apple M1'), environment: { arch: 'arm64', cpu: 'Apple M1', engineCommit: '01eb415', modelBytes: 1_187_801_280 } });
    expect(b.prompts[0]).toMatchObject({ id: 'capital-of-france', verdict: 'degenerate', tokensPerSecond: { samples: [9.1] } });
  });

  it('0 when every prompt is coherent and nothing regressed', () => {
    const r = runCli('harness/gate/cli.ts', [runs.good, '--baseline', baselines.lastWeek]);
    expect(r.status, r.output).toBe(exitCodes.ok);
    expect(r.stdout).toMatch(/2\/2 coherent/);
    expect(r.stdout).toContain('Gate: OK (exit 0)');
  });

  it('0 against an ARM word-salad baseline, with the diagnosis that the ARM kernels are at fault', () => {
    const r = runCli('harness/gate/cli.ts', [runs.good, '--baseline', baselines.arm]);
    expect(r.status, r.output).toBe(exitCodes.ok);
    expect(r.stdout).toMatch(/vs \[1\] capital-of-france, water: the ARM kernels are at fault: coherent here, word salad on Apple M1$/m);
  });

  it('1 for a quality regression against the previous run, naming the prompt, diagnosis and divergence', () => {
    const r = runCli('harness/gate/cli.ts', [runs.regressed, '--baseline', baselines.lastWeek, '--baseline', baselines.arm]);
    expect(r.status, r.output).toBe(exitCodes.regression);
    expect(r.stdout).toMatch(/water: \[quality\] against "x86 last week": regression: coherent in "x86 last week", word salad now/);
    expect(r.stdout).toMatch(/diverges at char 1 \(word 1\)/);
    expect(r.stdout).toMatch(/vs \[2\] water: the weights or the forward pass are at fault: word salad here, word salad on Apple M1, so not one platform's kernels/);
  });

  it('1 for a token-rate drop beyond the tolerance, 0 when the tolerance is widened', () => {
    const r = runCli('harness/gate/cli.ts', [runs.slower, '--baseline', baselines.lastWeek]);
    expect(r.status, r.output).toBe(exitCodes.regression);
    expect(r.stdout).toMatch(/capital-of-france: \[performance\] .*5\.20 → 3\.90 tok\/s \(−25\.0 %\), slower \(one sample from this run and the baseline/);
    expect(runCli('harness/gate/cli.ts', [runs.slower, '--baseline', baselines.lastWeek, '--tolerance', '0.3']).status).toBe(exitCodes.ok);
    // the config's compare section applies even when --baseline names the baselines
    const config = join(dir, 'lenient.config.json');
    writeFileSync(config, JSON.stringify({ compare: { relativeTolerance: 0.3 } }));
    expect(runCli('harness/gate/cli.ts', [runs.slower, '--baseline', baselines.lastWeek, '--config', config]).status).toBe(exitCodes.ok);
  });

  it('2 when the run never got past its infrastructure, whatever the baselines say', () => {
    const r = runCli('harness/gate/cli.ts', [runs.noNetwork, '--baseline', baselines.lastWeek]);
    expect(r.status, r.output).toBe(exitCodes.infrastructure);
    expect(r.stdout).toContain('[infrastructure] clone microsoft/BitNet@01eb415 failed: no network on local');
  });

  it('2, not 1, when prompts ended in an infrastructure outcome (engine crash, unloadable model): no [quality] finding for them', () => {
    const crashed = record('run-crashed', [good[0]!, { id: 'water', text: '', verdict: 'degenerate', rate: null, error: 'llama-completion was killed by SIGSEGV' }]);
    crashed.rows[1]!.outcome = 'infrastructure';
    const r = runCli('harness/gate/cli.ts', [writeRunFolder(dir, crashed), '--baseline', baselines.lastWeek]);
    expect(r.status, r.output).toBe(exitCodes.infrastructure);
    expect(r.stdout).toMatch(/water: \[infrastructure\] .*SIGSEGV/);
    expect(r.stdout).not.toMatch(/\[quality\]/);
    expect(r.stdout).toMatch(/water\s+INFRASTRUCTURE/);
  });

  it('a baseline that shares no prompt with the run is named in a warning (nothing was compared against it); the status stands', () => {
    const elsewhere = writeRunFolder(dir, record('run-other-set', [{ id: 'fibonacci', text: outputs.paris, rate: 5 }, { id: 'bitcoin', text: outputs.water, rate: 5 }]));
    const unrelated = join(dir, 'other-set.json');
    expect(runCli('harness/baselines/record-cli.ts', [elsewhere, unrelated, '--label', 'another prompt set', '--kind', 'previous-run']).status).toBe(0);
    const r = runCli('harness/gate/cli.ts', [runs.good, '--baseline', unrelated, '--baseline', baselines.lastWeek]);
    expect(r.status, r.output).toBe(exitCodes.ok);
    expect(r.stdout).toMatch(/warning: baseline "another prompt set" shares no prompt with this run \(it has bitcoin, fibonacci; this run capital-of-france, water\): nothing was compared against it/);
    expect(r.stdout).not.toMatch(/warning: baseline "x86 last week"/);
  });

  it('3 for a missing run folder, an invalid baseline, or bad arguments — each saying what to fix', () => {
    const missing = runCli('harness/gate/cli.ts', [join(dir, 'nope')]);
    expect(missing.status).toBe(exitCodes.usage);
    expect(missing.stderr).toMatch(/is not a run folder: .*run\.json does not exist/);
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, JSON.stringify({ format: 1, label: '', kind: 'arm' }));
    const invalid = runCli('harness/gate/cli.ts', [runs.good, '--baseline', broken]);
    expect(invalid.status).toBe(exitCodes.usage);
    expect(invalid.stderr).toMatch(/label: .*\n.*kind: /s);
    expect(runCli('harness/gate/cli.ts', [runs.good, '--tolerance', 'lots']).stderr).toMatch(/--tolerance must be a non-negative number/);
  });

  it('BENCH_BASELINES supplies the baselines when none are given on the command line', () => {
    const r = runCli('harness/gate/cli.ts', [runs.regressed], { BENCH_BASELINES: baselines.lastWeek });
    expect(r.status, r.output).toBe(exitCodes.regression);
  });
});
