import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { record, writeRunFolder, outputs } from '../../test/support/run-fixtures.ts';
import { runCli } from '../../test/support/cli.ts';
import { silentLogger } from '../log.ts';
import { afterReports } from '../run/after-reports.ts';
import { snapshotOf, tokenRateSamples } from './from-run.ts';
import { loadBaseline, saveBaseline } from './io.ts';
import { baselineSchema } from './schema.ts';

describe('baselines', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bench-baselines-'));
  const run = record('20260110-100000-x86-ab12', [{ id: 'capital-of-france', text: outputs.paris, rate: 5.25 }, { id: 'water', text: '', rate: null, error: 'no usable engine run after 3 attempts: no timing lines' }], { reportDir: join(dir, 'run') });

  it('a recorded run round-trips through the file and validates against the schema', () => {
    const file = join(dir, 'sub', 'x86.json');
    saveBaseline(file, snapshotOf(run, { label: 'x86 CI, 01eb415', kind: 'previous-run', now: new Date('2026-01-10T11:00:00Z') }), join(dir, 'baseline.schema.json'));
    const raw = JSON.parse(readFileSync(file, 'utf8'));
    expect(raw.$schema).toBe('../baseline.schema.json');
    const b = loadBaseline(file);
    expect(b).toMatchObject({ label: 'x86 CI, 01eb415', kind: 'previous-run', recordedAt: '2026-01-10T11:00:00.000Z', source: { runId: run.runId, promptSet: 'seed' } });
    expect(b.prompts[0]).toMatchObject({ id: 'capital-of-france', text: outputs.paris, verdict: 'coherent', tokensPerSecond: { samples: [5.25] }, generatedTokens: 120 });
    // a prompt the engine never produced keeps its error and has no rate sample
    expect(b.prompts[1]).toMatchObject({ id: 'water', error: expect.stringContaining('no timing lines'), tokensPerSecond: { samples: [] } });
  });

  it('rate samples come from repetitions when a row has them, else the one eval rate', () => {
    const row = run.rows[0]!;
    expect(tokenRateSamples(row)).toEqual([5.25]);
    expect(tokenRateSamples({ ...row, samples: [5.1, 5.3, Number.NaN] } as typeof row)).toEqual([5.1, 5.3]);
  });

  it('a bad baseline file is refused with the file, field and fix', () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ ...snapshotOf(run), kind: 'arm', prompts: [] }));
    expect(() => loadBaseline(bad)).toThrow(/baseline .*bad\.json:\n {2}kind: Invalid option: expected one of "platform"\|"previous-run"\|"simulated"/);
    expect(() => loadBaseline(join(dir, 'none.json'))).toThrow(/none\.json does not exist/);
    writeFileSync(bad, '{"format": 1,');
    expect(() => loadBaseline(bad)).toThrow(/is not valid JSON/);
  });

  it('a run that never reached the engine cannot be recorded', () => {
    const failed = record('failed', [], { status: 'failed', environment: null, failure: { kind: 'infrastructure', step: 'provision target', message: 'refused' } });
    expect(() => snapshotOf(failed)).toThrow(/stopped at "provision target" before the engine was ready/);
    const folder = writeRunFolder(dir, failed);
    const r = runCli('harness/baselines/record-cli.ts', [folder, join(dir, 'x.json')]);
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(/record baseline failed: .*What to do: record a run that generated at least one prompt/s);
  });

  it('BENCH_RECORD_BASELINE makes finish() record the run, with BENCH_BASELINE_LABEL and _KIND', () => {
    const file = join(dir, 'from-env.json');
    const written = afterReports(run, { BENCH_RECORD_BASELINE: file, BENCH_BASELINE_LABEL: 'demo: tiny coherent model', BENCH_BASELINE_KIND: 'simulated', BENCH_JUNIT_FILE: join(dir, 'no-junit.xml') }, silentLogger);
    expect(written).toEqual([file]);
    expect(loadBaseline(file)).toMatchObject({ label: 'demo: tiny coherent model', kind: 'simulated' });
    const warnings: string[] = [];
    afterReports(run, { BENCH_RECORD_BASELINE: join(dir, 'k.json'), BENCH_BASELINE_KIND: 'arm', BENCH_JUNIT_FILE: join(dir, 'no-junit.xml') }, { ...silentLogger, warn: (m) => warnings.push(m) });
    expect(warnings[0]).toMatch(/BENCH_BASELINE_KIND must be one of platform, previous-run, simulated/);
  });

  it('the committed JSON Schemas are up to date with the zod schemas', () => {
    const r = runCli('scripts/schema.ts', ['--check']);
    expect(r.status, r.output).toBe(0);
    const schema = JSON.parse(readFileSync(join(import.meta.dirname, '../../fixtures/baselines/baseline.schema.json'), 'utf8'));
    expect(schema.required).toEqual(expect.arrayContaining(['format', 'label', 'kind', 'environment', 'prompts']));
    expect(baselineSchema.shape.kind.options).toEqual(schema.properties.kind.enum);
  });
});
