import { chmodSync, existsSync, symlinkSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exitCodes } from '../../harness/gate/gate.ts';
import { runCli } from '../support/cli.ts';
import { runVitestProject, startVitestProject } from '../support/run-vitest.ts';

/**
 * The demo project run for real (llama.cpp on the tiny model) against the faults a tester found: bad run ids, an
 * unwritable reports folder, a missing model, two runs of one id at once, a resume with another model, a crashing
 * engine. Each must end with the harness's own message and the gate's exit status, and lose no result.
 */
const scratch = () => mkdtempSync(join(tmpdir(), 'bench-guards-'));
const noBanners = (output: string) => {
  expect(output).not.toMatch(/No test files found/);
  expect(output).not.toMatch(/Unhandled Error/);
  expect(output).not.toMatch(/^\s+at .*\(.*:\d+:\d+\)$/m);
};

// each test runs one to three real demo runs; on a loaded 2-core machine one can take half a minute
describe('demo run: bad input and faults end in one clean message and the right exit status', { timeout: 300_000 }, () => {
  it('a config error is one message, exit 3: no "No test files found" or "Unhandled Error" banner', async () => {
    const run = await runVitestProject('demo', { BENCH_THREADS: 'four' });
    expect(run.status, run.output).toBe(exitCodes.usage);
    expect(run.output.match(/BenchConfigError: read configuration failed/g)).toHaveLength(1);
    expect(run.output).toMatch(/generation\.threads \(set by BENCH_THREADS\)/);
    noBanners(run.output);
  });

  it('BENCH_RUN_ID=../../x is refused (exit 3) and nothing is written outside the reports folder', async () => {
    const root = scratch();
    const run = await runVitestProject('demo', { BENCH_REPORTS_DIR: join(root, 'a', 'reports'), BENCH_RUN_ID: '../../x' });
    expect(run.status, run.output).toBe(exitCodes.usage);
    expect(run.output).toMatch(/BENCH_RUN_ID="\.\.\/\.\.\/x" is not a usable run id/);
    expect(existsSync(join(root, 'x'))).toBe(false);
    noBanners(run.output);
  });

  it('a reports folder that cannot be written: exit 2 before anything runs, saying so', async () => {
    const file = join(scratch(), 'not-a-folder');
    writeFileSync(file, '');
    const run = await runVitestProject('demo', { BENCH_REPORTS_DIR: join(file, 'reports') });
    expect(run.status, run.output).toBe(exitCodes.infrastructure);
    expect(run.output).toMatch(/check reports folder failed: the reports folder .*not-a-folder\/reports is not writable.*\(ENOTDIR\)\nWhat to do: .*BENCH_REPORTS_DIR/);
    noBanners(run.output);
  });

  it('a missing model path: exit 3 with what to do, not an ENOENT stack', async () => {
    const run = await runVitestProject('demo', { BENCH_LLAMA_MODEL: '/nonexistent/model.gguf' });
    expect(run.status, run.output).toBe(exitCodes.usage);
    expect(run.output).toMatch(/the model file \/nonexistent\/model\.gguf does not exist[\s\S]*What to do: .*tiny:coherent/);
    noBanners(run.output);
  });

  it('two runs of one run id at once: one runs, the other is refused (exit 3); no prompt is recorded twice', async () => {
    const reports = join(scratch(), 'reports');
    const [a, b] = await Promise.all([runVitestProject('demo', { BENCH_REPORTS_DIR: reports, BENCH_RUN_ID: 'twice' }), runVitestProject('demo', { BENCH_REPORTS_DIR: reports, BENCH_RUN_ID: 'twice' })]);
    expect([a.status, b.status].sort(), `${a.output}\n${b.output}`).toEqual([exitCodes.ok, exitCodes.usage]);
    expect((a.status === exitCodes.usage ? a : b).output).toMatch(/run twice is being written by another run \(pid \d+/);
    expect((a.status === exitCodes.ok ? a : b).output).toMatch(/new run twice \(BENCH_RUN_ID names no earlier run folder, so it starts one\)/);
    const jsonl = join(reports, 'twice', 'results.jsonl');
    const ids = () => readFileSync(jsonl, 'utf8').trim().split('\n').map((l) => JSON.parse(l).promptId);
    expect(ids()).toHaveLength(8);
    expect(new Set(ids()).size).toBe(8);
    // an interrupted run (three prompts kept), then two resumes of it at once: the same, and still no duplicate
    writeFileSync(jsonl, readFileSync(jsonl, 'utf8').split('\n').slice(0, 3).map((l) => `${l}\n`).join(''));
    const [c, d] = await Promise.all([runVitestProject('demo', { BENCH_REPORTS_DIR: reports, BENCH_RUN_ID: 'twice' }), runVitestProject('demo', { BENCH_REPORTS_DIR: reports, BENCH_RUN_ID: 'twice' })]);
    expect([c.status, d.status].sort(), `${c.output}\n${d.output}`).toEqual([exitCodes.ok, exitCodes.usage]);
    expect((c.status === exitCodes.ok ? c : d).output).toMatch(/resuming: 3 of 8 prompts already finished/);
    expect(ids()).toHaveLength(8);
    expect(new Set(ids()).size).toBe(8);
  });

  it('two runs at once in one reports folder: each run folder holds its own, valid junit.xml', async () => {
    const reports = join(scratch(), 'reports');
    // started without --reporter, so Vitest's configured junit reporter writes, as in a user's run
    const runs = [startVitestProject('demo', { BENCH_REPORTS_DIR: reports }), startVitestProject('demo', { BENCH_REPORTS_DIR: reports })];
    const exits = await Promise.all(runs.map((r) => r.exited));
    expect(exits.map((e) => e.code), runs.map((r) => r.output()).join('\n')).toEqual([0, 0]);
    const folders = readdirSync(reports).filter((d) => /-demo-/.test(d));
    expect(folders).toHaveLength(2);
    const junits = folders.map((f) => readFileSync(join(reports, f, 'junit.xml'), 'utf8'));
    for (const xml of [...junits, readFileSync(join(reports, 'junit.xml'), 'utf8')]) expect(xml.trim()).toMatch(/^<\?xml[\s\S]*<\/testsuites>$/);
    expect(junits[0]).not.toBe(junits[1]);
  });

  it('resuming with another model is refused, naming the difference; the earlier run\'s folder is left as it was', async () => {
    const reports = join(scratch(), 'reports');
    const first = await runVitestProject('demo', { BENCH_REPORTS_DIR: reports, BENCH_RUN_ID: 'mixed' });
    expect(first.status, first.output).toBe(0);
    const before = readFileSync(join(reports, 'mixed', 'run.json'), 'utf8');
    const other = await runVitestProject('demo', { BENCH_REPORTS_DIR: reports, BENCH_RUN_ID: 'mixed', BENCH_LLAMA_MODEL: 'tiny:loop' });
    expect(other.status, other.output).toBe(exitCodes.usage);
    expect(other.output).toMatch(/resuming run mixed/);
    expect(other.output).toMatch(/cannot resume run mixed with a different configuration[\s\S]*modelName: "tiny-bitnet-coherent" → "tiny-bitnet-loop"/);
    noBanners(other.output);
    expect(readFileSync(join(reports, 'mixed', 'run.json'), 'utf8')).toBe(before);
    // generation flags are compared before anything is provisioned or built
    const flags = await runVitestProject('demo', { BENCH_REPORTS_DIR: reports, BENCH_RUN_ID: 'mixed', BENCH_N_PREDICT: '32' });
    expect(flags.status, flags.output).toBe(exitCodes.usage);
    expect(flags.output).toMatch(/nPredict: 64 → 32/);
    expect(flags.output).not.toMatch(/provision:/);
    // the same configuration resumes: nothing left to run, the gate agrees
    const again = await runVitestProject('demo', { BENCH_REPORTS_DIR: reports, BENCH_RUN_ID: 'mixed' });
    expect(again.status, again.output).toBe(0);
    expect(again.output).toMatch(/resuming: 8 of 8 prompts already finished/);
    expect(runCli('harness/gate/cli.ts', [join(reports, 'mixed')]).status).toBe(0);
  });

  it('a disk that fills up mid-run: the harness\'s own message, exit 2, and the reports are still written', async () => {
    const reports = join(scratch(), 'reports');
    mkdirSync(join(reports, 'full'), { recursive: true });
    // results.jsonl on a device that refuses every write with ENOSPC, as a full disk does
    symlinkSync('/dev/full', join(reports, 'full', 'results.jsonl'));
    const run = await runVitestProject('demo', { BENCH_REPORTS_DIR: reports, BENCH_RUN_ID: 'full' });
    expect(run.status, run.output).toBe(exitCodes.infrastructure);
    expect(run.output).toMatch(/BenchInfrastructureError: write results failed: cannot write .*full\/results\.jsonl: no space left on the device \(ENOSPC\)\nWhat to do: free space/);
    noBanners(run.output);
    expect(JSON.parse(readFileSync(join(reports, 'full', 'run.json'), 'utf8'))).toMatchObject({ status: 'failed', failure: { kind: 'infrastructure', message: expect.stringMatching(/ENOSPC/) } });
  });

  it('a model file of random bytes (the real llama.cpp cannot load it): infrastructure outcomes and exit 2, never "degenerate"', async () => {
    const model = join(scratch(), 'random.gguf');
    writeFileSync(model, randomBytes(256 * 1024));
    const reports = join(scratch(), 'reports');
    const run = await runVitestProject('demo', { BENCH_REPORTS_DIR: reports, BENCH_LLAMA_MODEL: model, BENCH_REPETITIONS: '0' });
    expect(run.status, run.output).toBe(exitCodes.infrastructure);
    expect(run.output).not.toMatch(/\[quality\]|DEGENERATE/);
    const rows = readFileSync(join(reports, 'latest', 'results.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(rows).toHaveLength(8);
    expect(rows.every((r) => r.outcome === 'infrastructure')).toBe(true);
    expect(readFileSync(join(reports, 'latest', 'summary.md'), 'utf8')).toMatch(/infrastructure \(not graded\)/);
  });

  it('an engine that crashes (SIGSEGV) on every prompt: infrastructure outcomes, exit 2 (not 1), no [quality] finding', async () => {
    const bin = scratch();
    const completion = join(bin, 'llama-completion');
    writeFileSync(completion, '#!/bin/sh\ncase "$*" in *--version*) echo "version: 1 (80fb11a)" >&2; exit 0;; esac\nkill -SEGV $$\n');
    chmodSync(completion, 0o755);
    const reports = join(scratch(), 'reports');
    mkdirSync(reports);
    const run = await runVitestProject('demo', { BENCH_REPORTS_DIR: reports, BENCH_LLAMA_BIN_DIR: bin, BENCH_REPETITIONS: '0' });
    expect(run.status, run.output).toBe(exitCodes.infrastructure);
    expect(run.output).toMatch(/capital-of-france\s+INFRASTRUCTURE/);
    expect(run.output).toMatch(/Gate: INFRASTRUCTURE \(exit 2\)/);
    expect(run.output).not.toMatch(/\[quality\]/);
    const gate = runCli('harness/gate/cli.ts', [join(reports, 'latest')]);
    expect(gate.status, gate.output).toBe(exitCodes.infrastructure);
    const rows = readFileSync(join(reports, 'latest', 'results.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(rows.every((r) => r.outcome === 'infrastructure')).toBe(true);
  });
});
