import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { benchConfigSchema } from '../config/schema.ts';
import type { Generation, PreparedEngine } from '../engine/engine.ts';
import { parseTimings } from '../engine/timings.ts';
import { EngineFaultError, EngineOutputError, HarnessError, isEngineRunError, TargetConnectionLostError } from '../errors.ts';
import { silentLogger } from '../log.ts';
import { JsonlResultStore } from '../results/jsonl-store.ts';
import { evaluateGate } from '../gate/gate.ts';
import { readRunFolder } from '../results/run-folder.ts';
import { record } from '../../test/support/run-fixtures.ts';
import { generateAll } from './generate.ts';

// The engine here is a scripted stand-in: these tests are about the pipeline's retry, resume and
// bookkeeping, which must hold whatever the engine does. The real engine is exercised in test/engine/.
const gen = { ...benchConfigSchema.parse({ generation: { attempts: 3 } }).generation, threads: 4 };
const prompts = [
  { id: 'a', text: 'The capital of France is', expect: { containsAny: ['Paris'] } },
  { id: 'b', text: 'Once upon a time in a small village' },
  { id: 'c', text: 'Water is composed of hydrogen and oxygen' },
];
const perf = 'llama_perf_context_print: prompt eval time = 10.00 ms / 5 tokens\nllama_perf_context_print:        eval time = 1000.00 ms / 8 runs';
const good = (text: string): Generation => ({
  transcript: { text, promptEchoed: true, endOfText: false },
  timings: parseTimings(perf, { exitCode: 0, signal: null }),
  argv: [], stdout: text, stderr: perf, wallMs: 1, chunkTimesMs: [], stream: { firstTokenMs: null, tokenTimesMs: null },
});
const scripted = (script: Record<string, (() => Generation)[]>) => {
  const calls: string[] = [];
  const engine = {
    info: {} as PreparedEngine['info'],
    mode: 'process' as const,
    close: async () => {},
    generate: async (prompt: { id: string }) => {
      calls.push(prompt.id);
      const next = script[prompt.id]!.shift();
      if (!next) throw new Error(`unexpected extra call for ${prompt.id}`);
      return next();
    },
  } satisfies PreparedEngine;
  return { engine, calls };
};
const store = () => new JsonlResultStore(join(mkdtempSync(join(tmpdir(), 'bench-gen-')), 'results.jsonl'));
const english = ' Paris, a city on the Seine known for its museums, cafes and the Eiffel Tower.';

describe('generateAll', () => {
  it('retries a run without timing lines and counts the attempts', async () => {
    const lost = () => { throw new EngineOutputError('the engine output has no eval time line'); };
    const { engine } = scripted({ a: [lost, () => good(english)], b: [() => good(english)], c: [() => good(english)] });
    const rows = await generateAll({ runId: 'r', engine, prompts, gen, store: store(), log: silentLogger });
    expect(rows.map((r) => [r.promptId, r.attempts, r.verdict])).toEqual([['a', 2, 'coherent'], ['b', 1, 'coherent'], ['c', 1, 'coherent']]);
  });

  it('gives up after the configured attempts and records the error for that prompt only', async () => {
    const lost = () => { throw new EngineOutputError('no eval time line'); };
    const { engine } = scripted({ a: [lost, lost, lost], b: [() => good(english)], c: [() => good(english)] });
    const rows = await generateAll({ runId: 'r', engine, prompts, gen, store: store(), log: silentLogger });
    expect(rows[0]).toMatchObject({ promptId: 'a', attempts: 3, verdict: 'degenerate', error: expect.stringMatching(/after 3 attempts: no eval time line/) });
    expect(rows.slice(1).every((r) => r.verdict === 'coherent')).toBe(true);
  });

  it('a dropped connection reruns only the unfinished prompt; finished ones are kept', async () => {
    const drop = () => { throw new TargetConnectionLostError('connection reset'); };
    const s = store();
    const { engine, calls } = scripted({ a: [() => good(english)], b: [drop, () => good(english)], c: [() => good(english)] });
    const rows = await generateAll({ runId: 'r', engine, prompts, gen, store: s, log: silentLogger });
    expect(calls).toEqual(['a', 'b', 'b', 'c']);
    expect(rows.map((r) => r.attempts)).toEqual([1, 1, 1]);
    expect(s.read().map((r) => r.promptId)).toEqual(['a', 'b', 'c']);
  });

  it('resumes from the JSONL store: finished prompts are not run again', async () => {
    const s = store();
    const first = scripted({ a: [() => good(english)], b: [() => { throw new Error('host exploded'); }], c: [] });
    await expect(generateAll({ runId: 'r', engine: first.engine, prompts, gen, store: s, log: silentLogger })).rejects.toThrow('host exploded');
    const second = scripted({ a: [], b: [() => good(english)], c: [() => good(english)] });
    const rows = await generateAll({ runId: 'r', engine: second.engine, prompts, gen, store: s, log: silentLogger });
    expect(second.calls).toEqual(['b', 'c']);
    expect(rows.map((r) => r.promptId)).toEqual(['a', 'b', 'c']);
  });

  it('resuming after a torn last line (killed mid-write) reruns that prompt; the gate reads the folder as the run saw it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-torn-'));
    const s = new JsonlResultStore(join(dir, 'results.jsonl'));
    const first = scripted({ a: [() => good(english)], b: [() => good(english)], c: [] });
    const rows = await generateAll({ runId: 'r', engine: first.engine, prompts: prompts.slice(0, 2), gen, store: s, log: silentLogger });
    // SIGKILL while b's line was being written: half of it is on disk
    writeFileSync(s.file, `${JSON.stringify(rows[0])}\n${JSON.stringify(rows[1]).slice(0, 60)}`);
    const second = scripted({ a: [], b: [() => good(english)], c: [() => good(english)] });
    const resumed = await generateAll({ runId: 'r', engine: second.engine, prompts, gen, store: s, log: silentLogger });
    expect(second.calls).toEqual(['b', 'c']);
    writeFileSync(join(dir, 'run.json'), JSON.stringify(record('r', [], { promptIds: prompts.map((p) => p.id) })));
    const folder = readRunFolder(dir);
    expect(folder.rows.map((r) => r.promptId)).toEqual(resumed.map((r) => r.promptId));
    expect(evaluateGate(folder, []).findings.filter((f) => f.kind === 'infrastructure')).toEqual([]);
  });

  it('an engine fault is recorded as an infrastructure outcome, not a verdict; a fault that cannot heal is not retried', async () => {
    const segv = () => { throw new EngineFaultError('llama-completion was killed by SIGSEGV', { retryable: true }); };
    const unloadable = () => { throw new EngineFaultError('the model does not load: invalid GGUF magic', { retryable: false }); };
    const { engine, calls } = scripted({ a: [segv, segv, segv], b: [unloadable], c: [() => good(english)] });
    const rows = await generateAll({ runId: 'r', engine, prompts, gen, store: store(), log: silentLogger });
    expect(calls).toEqual(['a', 'a', 'a', 'b', 'c']);
    expect(rows[0]).toMatchObject({ promptId: 'a', outcome: 'infrastructure', attempts: 3, error: expect.stringMatching(/SIGSEGV/) });
    expect(rows[1]).toMatchObject({ promptId: 'b', outcome: 'infrastructure', attempts: 1, error: expect.stringMatching(/does not load/) });
    expect(rows[2]!.outcome).toBeUndefined();
  });

  it('output that is never usable (no timing lines on every attempt) is an infrastructure outcome too', async () => {
    const lost = () => { throw new EngineOutputError('no eval time line'); };
    const { engine } = scripted({ a: [lost, lost, lost], b: [() => good(english)], c: [() => good(english)] });
    const [a] = await generateAll({ runId: 'r', engine, prompts, gen, store: store(), log: silentLogger });
    expect(a).toMatchObject({ outcome: 'infrastructure', error: expect.stringMatching(/no eval time line/) });
  });

  it('a resume retries the prompts that ended in an infrastructure outcome, and keeps the judged ones', async () => {
    const s = store();
    const dead = () => { throw new EngineFaultError('llama-server is not running', { retryable: false }); };
    await generateAll({ runId: 'r', engine: scripted({ a: [() => good(english)], b: [dead], c: [dead] }).engine, prompts, gen, store: s, log: silentLogger });
    const second = scripted({ a: [], b: [() => good(english)], c: [() => good(english)] });
    const rows = await generateAll({ runId: 'r', engine: second.engine, prompts, gen, store: s, log: silentLogger });
    expect(second.calls).toEqual(['b', 'c']);
    expect(rows.map((r) => r.outcome)).toEqual([undefined, undefined, undefined]);
    expect(s.read().map((r) => [r.promptId, r.outcome])).toEqual([['a', undefined], ['b', undefined], ['c', undefined]]);
  });

  it('engine-run errors are outcomes in the judged run and in its repetitions alike; any other error stops the run', async () => {
    const segv = () => { throw new EngineFaultError('llama-completion was killed by SIGSEGV', { retryable: true }); };
    const lost = () => { throw new EngineOutputError('no eval time line'); };
    const bug = () => { throw new TypeError('a bug in the harness'); };
    const { engine, calls } = scripted({ a: [() => good(english), segv, lost, () => good(english)], b: [bug], c: [] });
    const s = store();
    await expect(generateAll({ runId: 'r', engine, prompts, gen, store: s, log: silentLogger, repetitions: 4 })).rejects.toThrow('a bug in the harness');
    expect(calls).toEqual(['a', 'a', 'a', 'a', 'b']);
    expect(s.read().map((r) => [r.promptId, r.samples?.length, r.outcome])).toEqual([['a', 2, undefined]]);
    const repeated = scripted({ a: [() => good(english), bug], b: [], c: [] });
    await expect(generateAll({ runId: 'r', engine: repeated.engine, prompts, gen, store: store(), log: silentLogger, repetitions: 2 })).rejects.toThrow('a bug in the harness');
    for (const error of [new EngineFaultError('x', { retryable: false }), new EngineOutputError('x')]) expect(isEngineRunError(error)).toBe(true);
    for (const error of [new TargetConnectionLostError('x'), new HarnessError('infrastructure', 'x', 'x'), new TypeError('x')]) expect(isEngineRunError(error)).toBe(false);
  });

  it('judges each output and keeps the reasons', async () => {
    const { engine } = scripted({ a: [() => good(' 17 + 25 equals'.repeat(40))], b: [() => good(english)], c: [() => good(english)] });
    const [a] = await generateAll({ runId: 'r', engine, prompts, gen, store: store(), log: silentLogger });
    expect(a!.verdict).toBe('degenerate');
    expect(a!.reasons.length).toBeGreaterThan(0);
  });
});

describe('generateAll with judge thresholds from the config', () => {
  it('passes the overrides to the judge', async () => {
    const looping = () => good(' 17 + 25 equals'.repeat(40));
    const run = (judge?: Record<string, number>) =>
      generateAll({ runId: 'r', engine: scripted({ a: [looping], b: [() => good(english)], c: [() => good(english)] }).engine, prompts, gen, store: store(), log: silentLogger, judge });
    const [strict] = await run();
    const [lenient] = await run({ maxLoopCoverage: 1 });
    expect(strict!.reasons.join()).toMatch(/repetition-loop/);
    expect(lenient!.reasons.join()).not.toMatch(/repetition-loop/);
  });
});
