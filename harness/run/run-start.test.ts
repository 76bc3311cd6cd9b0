import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { root } from '../../test/support/cli.ts';
import { environment } from '../../test/support/run-fixtures.ts';
import { benchConfigSchema } from '../config/schema.ts';
import { checkFingerprint, fingerprintOf } from '../results/fingerprint.ts';
import { acquireRunLock } from '../results/run-lock.ts';
import { checkModelPath, checkReportsWritable } from './preflight.ts';
import { checkRunId, newRunId, resolveRunStart } from './run-id.ts';

const scratch = () => mkdtempSync(join(tmpdir(), 'bench-start-'));

describe('run ids (BENCH_RUN_ID)', () => {
  it.each(['../../x', 'a/b', '..', '.', '', 'a b', 'x\u001b[2J', 'a\\b'])('refuses %j, saying which characters a run id may have', (id) => {
    expect(() => checkRunId(id)).toThrow(expect.objectContaining({ message: expect.stringMatching(/is not a usable run id/), hint: expect.stringMatching(/letters, digits/) }));
  });

  it.each(['shard-1', 'nightly_42.v2', newRunId('x86')])('accepts %s', (id) => {
    expect(checkRunId(id)).toBe(id);
  });

  it('an existing run folder is resumed; a name of your own that names no folder starts a new run', () => {
    const reports = scratch();
    mkdirSync(join(reports, 'nightly'));
    writeFileSync(join(reports, 'nightly', 'results.jsonl'), '');
    expect(resolveRunStart(reports, 'nightly', 'x86')).toMatchObject({ runId: 'nightly', mode: 'resume', reportDir: join(reports, 'nightly') });
    expect(resolveRunStart(reports, 'shard-1', 'x86')).toMatchObject({ runId: 'shard-1', mode: 'new' });
    expect(resolveRunStart(reports, undefined, 'x86')).toMatchObject({ mode: 'new', runId: expect.stringMatching(/-x86-[0-9a-f]{4}$/) });
  });

  it('a generated id that names no run folder is a typo, not a new run: refused', () => {
    expect(() => resolveRunStart(scratch(), '20261127-023512-x86-3fa2', 'x86')).toThrow(/BENCH_RUN_ID=20261127-023512-x86-3fa2 names no run to resume/);
  });

  it('BENCH_RUN_ID=../../x is refused before any folder is made', () => {
    const reports = join(scratch(), 'reports');
    expect(() => resolveRunStart(reports, '../../x', 'x86')).toThrow(/not a usable run id/);
    expect(existsSync(reports)).toBe(false);
  });
});

describe('per-run lock', () => {
  it('a second writer of the same run folder is refused, naming the holder; released, the folder can be taken again', () => {
    const folder = scratch();
    const lock = acquireRunLock(folder, 'r');
    expect(() => acquireRunLock(folder, 'r')).toThrow(new RegExp(`run r is being written by another run \\(pid ${process.pid} on `));
    lock.release();
    acquireRunLock(folder, 'r').release();
    expect(existsSync(lock.file)).toBe(false);
  });

  it('a lock left by a killed process (its pid is gone) is stale and taken over', async () => {
    const folder = scratch();
    const child = spawn(process.execPath, ['-e', '']);
    const deadPid = child.pid!;
    await new Promise((r) => child.once('exit', r));
    writeFileSync(join(folder, '.run.lock'), JSON.stringify({ pid: deadPid, host: (await import('node:os')).hostname(), startedAt: '2026-01-01T00:00:00Z' }));
    const lock = acquireRunLock(folder, 'r');
    expect(JSON.parse(readFileSync(lock.file, 'utf8')).pid).toBe(process.pid);
    lock.release();
  });

  it('two processes racing for the same run folder: exactly one gets it', async () => {
    const folder = scratch();
    const script = `import { acquireRunLock } from ${JSON.stringify(join(root, 'harness/results/run-lock.ts'))};
      try { acquireRunLock(${JSON.stringify(folder)}, 'r'); console.log('locked'); setTimeout(() => {}, 1500); }
      catch (e) { console.log('refused: ' + e.message); }`;
    const race = () => new Promise<string>((resolve) => {
      const c = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: root });
      let out = '';
      c.stdout.on('data', (d) => (out += d));
      c.once('close', () => resolve(out.trim()));
    });
    const outcomes = await Promise.all([race(), race(), race()]);
    expect(outcomes.filter((o) => o === 'locked')).toHaveLength(1);
    expect(outcomes.filter((o) => o.startsWith('refused: run r is being written by another run'))).toHaveLength(2);
  });
});

describe('run fingerprint', () => {
  const prompts = [{ id: 'a', text: 'The capital of France is' }];
  it('a resume with another model or other flags is refused, naming each difference', () => {
    const folder = scratch();
    expect(checkFingerprint(folder, 'r', fingerprintOf(environment('r'), 'seed', prompts))).toBe('recorded');
    expect(checkFingerprint(folder, 'r', fingerprintOf(environment('r'), 'seed', prompts))).toBe('matched');
    const other = fingerprintOf(environment('r', undefined, { modelName: 'tiny-bitnet-loop', modelBytes: 123, nPredict: 64 }), 'seed', prompts);
    expect(() => checkFingerprint(folder, 'r', other)).toThrow(/cannot resume run r with a different configuration[\s\S]*modelName: "BitNet-b1.58-2B-4T" → "tiny-bitnet-loop"[\s\S]*modelBytes: 1187801280 → 123[\s\S]*nPredict: 500 → 64/);
  });

  it('a partial fingerprint (the config\'s part, before provisioning) only compares: it records nothing', () => {
    const folder = scratch();
    expect(checkFingerprint(folder, 'r', { nPredict: 64 }, { record: false })).toBe('none');
    expect(existsSync(join(folder, 'fingerprint.json'))).toBe(false);
    checkFingerprint(folder, 'r', fingerprintOf(environment('r'), 'seed', prompts));
    expect(() => checkFingerprint(folder, 'r', { nPredict: 64 }, { record: false })).toThrow(/nPredict: 500 → 64/);
  });

  it('another prompt set (or an edited prompt) is a difference too', () => {
    const folder = scratch();
    checkFingerprint(folder, 'r', fingerprintOf(environment('r'), 'seed', prompts));
    expect(() => checkFingerprint(folder, 'r', fingerprintOf(environment('r'), 'seed', [{ id: 'a', text: 'The capital of Spain is' }]))).toThrow(/promptsHash/);
  });
});

describe('preflight', () => {
  it('a reports folder that cannot be written is an infrastructure error up front, with what to do', () => {
    const file = join(scratch(), 'a-file');
    writeFileSync(file, '');
    expect(() => checkReportsWritable(join(file, 'reports'))).toThrow(/the reports folder .*a-file\/reports is not writable: .*\(ENOTDIR\)/);
    try {
      checkReportsWritable(join(file, 'reports'));
    } catch (error) {
      expect(error).toMatchObject({ kind: 'infrastructure', hint: expect.stringMatching(/BENCH_REPORTS_DIR/) });
    }
    expect(() => checkReportsWritable(scratch())).not.toThrow();
  });

  it('a missing model path says what to do, not ENOENT', () => {
    const config = benchConfigSchema.parse({ engine: { kind: 'llama.cpp', model: '/nonexistent/model.gguf' } });
    expect(() => checkModelPath(config)).toThrow(/the model file \/nonexistent\/model.gguf does not exist \(engine.model \/ BENCH_LLAMA_MODEL\)/);
    expect(() => checkModelPath(benchConfigSchema.parse({ engine: { kind: 'llama.cpp', model: { tiny: 'coherent' } } }))).not.toThrow();
  });
});
