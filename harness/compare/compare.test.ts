import { describe, expect, it } from 'vitest';
import { armMachine, outputs, record } from '../../test/support/run-fixtures.ts';
import { snapshotOf } from '../baselines/from-run.ts';
import type { BaselineKind } from '../baselines/schema.ts';
import type { VerdictLabel } from '../judge/types.ts';
import { compareRates, compareRun, describeDivergence, diagnose, firstDivergence } from './index.ts';

const x86 = { arch: 'x86_64', platform: 'AMD EPYC 75F3' };
const arm = { arch: 'arm64', platform: 'Apple M1 Pro' };

describe('diagnosis of a pair of verdicts: one plain sentence, the finding first', () => {
  const cases: [BaselineKind, VerdictLabel, VerdictLabel, string, boolean, string][] = [
    ['platform', 'coherent', 'coherent', 'fine', false, 'fine: coherent here and on Apple M1 Pro'],
    ['platform', 'coherent', 'degenerate', 'baseline-platform-fault', false, 'the ARM kernels are at fault: coherent here, word salad on Apple M1 Pro'],
    ['platform', 'degenerate', 'coherent', 'this-platform-fault', false, 'the x86 kernels are at fault: word salad here, coherent on Apple M1 Pro'],
    ['platform', 'degenerate', 'degenerate', 'weights-or-forward-pass', false, "the weights or the forward pass are at fault: word salad here, word salad on Apple M1 Pro, so not one platform's kernels"],
    ['platform', 'repetitive', 'degenerate', 'baseline-platform-fault', false, 'the ARM kernels are at fault: repetitive here, word salad on Apple M1 Pro'],
    ['previous-run', 'coherent', 'coherent', 'fine', false, 'fine: coherent now and in "M1 last week"'],
    ['previous-run', 'degenerate', 'coherent', 'regression', true, 'regression: coherent in "M1 last week", word salad now — look at what changed since (engine commit, build flags, model file)'],
    ['previous-run', 'coherent', 'degenerate', 'fixed', false, 'fixed: word salad in "M1 last week", coherent now'],
    ['previous-run', 'degenerate', 'degenerate', 'still-broken', false, 'still broken, not a new regression: word salad now and in "M1 last week" — the weights or the forward pass'],
    ['simulated', 'coherent', 'degenerate', 'baseline-platform-fault', false, 'the simulated kernel fault shows: coherent here, word salad in the simulated baseline'],
  ];
  it.each(cases)('%s baseline: this run %s, baseline %s → %s', (kind, now, then, code, regression, summary) => {
    const d = diagnose({ verdict: now, ...x86 }, { verdict: then, ...arm }, kind, { label: 'M1 last week' });
    expect(d).toEqual({ code, regression, summary, finding: summary.slice(0, summary.indexOf(':')) });
  });

  it("two x86 machines: the other machine's kernels or build, not 'the x86 kernels'", () => {
    expect(diagnose({ verdict: 'coherent', ...x86 }, { verdict: 'degenerate', arch: 'x86_64', platform: 'Intel Core i3-3217U' }, 'platform').summary).toBe('the kernels or the build on Intel Core i3-3217U are at fault: coherent here, word salad on Intel Core i3-3217U');
    expect(diagnose({ verdict: 'degenerate', ...x86 }, { verdict: 'coherent', arch: 'x86_64', platform: 'AMD EPYC 75F3' }, 'platform').summary).toMatch(/^this machine's kernels or build are at fault: word salad here, coherent on AMD EPYC 75F3$/);
  });

  it('broken on two machines of one kind says nothing about weights against kernels', () => {
    expect(diagnose({ verdict: 'degenerate', arch: 'aarch64', platform: 'Ampere Altra' }, { verdict: 'degenerate', ...arm }, 'platform').summary).toBe('broken on both ARM machines: word salad here, word salad on Apple M1 Pro — the same ARM kernels or the weights; a run on another platform tells which');
  });

  it("'repetitive' passes unless failOnRepetition (verdictPasses)", () => {
    expect(diagnose({ verdict: 'repetitive', ...x86 }, { verdict: 'coherent', ...x86 }, 'previous-run').code).toBe('fine');
    expect(diagnose({ verdict: 'repetitive', ...x86 }, { verdict: 'coherent', ...x86 }, 'previous-run', { failOnRepetition: true })).toMatchObject({ code: 'regression', regression: true });
  });

  it('a prompt missing on either side is named, not guessed', () => {
    expect(diagnose({ verdict: undefined, ...x86 }, { verdict: 'coherent', ...arm }, 'previous-run').code).toBe('no-result');
    expect(diagnose({ verdict: 'coherent', ...x86 }, { verdict: undefined, ...arm }, 'previous-run', { label: 'M1' }).summary).toBe('not in the baseline: "M1" has no output for this prompt');
  });
});

describe('first divergence of two greedy outputs', () => {
  it('finds the character and word where a kernel fault turns the text into salad', () => {
    const d = firstDivergence(outputs.paris, outputs.parisSalad)!;
    const shared = ' Paris. It is located in the north of the country, ';
    expect(d.charOffset).toBe(shared.length);
    expect(outputs.paris.slice(0, d.charOffset)).toBe(outputs.parisSalad.slice(0, d.charOffset));
    expect(d.wordIndex).toBe(10); // "on" / "the" is the 11th word
    expect(d.before.endsWith('of the country, ')).toBe(true);
    expect(d.after[0].startsWith('on the river Seine')).toBe(true);
    expect(d.after[1].startsWith('the the of in city')).toBe(true);
    expect(describeDivergence(d)).toMatch(/^diverges at char 51 \(word 11\) after "….*country, ": now "on the river/);
  });

  it('a divergence inside a word points at that word', () => {
    const d = firstDivergence(' Paris is big', ' Parisian cafés')!;
    expect(d).toMatchObject({ charOffset: 6, wordIndex: 0, before: ' Paris', after: [' is big', 'ian cafés'] });
  });

  it('one output ending early diverges at its end', () => {
    const d = firstDivergence(outputs.water, outputs.water.slice(0, 30))!;
    expect(d.charOffset).toBe(30);
    expect(d.after[1]).toBe('');
    expect(describeDivergence(d)).toContain('baseline (end of output)');
  });

  it('identical outputs have no divergence; a surrogate pair is never split', () => {
    expect(firstDivergence(outputs.paris, outputs.paris)).toBeNull();
    const d = firstDivergence('Tea 🍵 time', 'Tea 🍶 time')!;
    expect(d.after).toEqual(['🍵 time', '🍶 time']);
  });
});

describe('token-rate change, noise-aware', () => {
  const opts = { relativeTolerance: 0.1, z: 1.96 };

  it('a large drop with tight samples is slower; the same means with wide samples are noise', () => {
    const tight = compareRates([4.0, 4.05, 3.95, 4.02], [5.0, 5.05, 4.95, 5.02], opts);
    expect(tight.verdict).toBe('slower');
    expect(tight.change).toBeCloseTo(-0.2, 2);
    expect(tight.thresholds.noise).toBeGreaterThan(0);
    const noisy = compareRates([2.0, 6.0, 4.0, 4.08], [7.5, 2.5, 5.0, 5.07], opts);
    expect(noisy.change).toBeCloseTo(-0.2, 2);
    expect(noisy.verdict).toBe('unchanged');
  });

  it('a drop inside the relative tolerance is unchanged however tight the samples', () => {
    expect(compareRates([4.6, 4.6, 4.61], [5.0, 5.0, 5.01], opts).verdict).toBe('unchanged');
  });

  it('direction matters: higher tokens/s is faster, not a regression', () => {
    expect(compareRates([6.5], [5.0], opts).verdict).toBe('faster');
  });

  it('one sample per side falls back to the relative tolerance and says so', () => {
    const r = compareRates([4.0], [5.0], opts);
    expect(r.verdict).toBe('slower');
    expect(r.thresholds.noise).toBeNull();
    expect(r.note).toMatch(/one sample from this run and the baseline: no standard error, judged by the 10 % tolerance alone/);
    expect(compareRates([], [5], opts)).toMatchObject({ verdict: 'no-data', note: 'no token rate from this run' });
  });
});

describe('a run against a baseline', () => {
  const now = snapshotOf(record('now', [{ id: 'capital', text: outputs.paris, rate: 5.1 }, { id: 'water', text: outputs.loop, verdict: 'degenerate', rate: 3.2 }]));

  it('against an ARM word-salad platform baseline: ARM kernel fault, nothing gated', () => {
    const armRun = snapshotOf(record('arm', [{ id: 'capital', text: outputs.armSalad, verdict: 'degenerate', rate: 9.5 }, { id: 'water', text: outputs.armSalad, verdict: 'degenerate', rate: 9.4 }], { machine: armMachine }), { label: 'Apple M1, bitnet.cpp 01eb415 — word salad', kind: 'platform' });
    const c = compareRun(now, armRun);
    expect(c.expectIdenticalOutputs).toBe(false);
    expect(c.prompts.map((p) => p.diagnosis.code)).toEqual(['baseline-platform-fault', 'weights-or-forward-pass']);
    expect(c.prompts[0]!.diagnosis.summary).toBe('the ARM kernels are at fault: coherent here, word salad on Apple M1');
    // not marked as a greedy reference: no agreement figures
    expect(c.reference).toBeNull();
    expect(c.prompts[0]!.agreement).toBeNull();
    expect(c.regressions).toEqual([]);
  });

  it('against a platform baseline of another model: not comparable, no platform blamed', () => {
    const armRun = snapshotOf(record('arm', [{ id: 'capital', text: outputs.armSalad, verdict: 'degenerate' }], { machine: armMachine }), { label: 'Apple M1 — word salad', kind: 'platform' });
    const tiny = snapshotOf(record('tiny', [{ id: 'capital', text: outputs.paris }], { environment: { modelFile: '/tmp/tiny-bitnet-coherent-i2_s.gguf', modelBytes: 2_123_264 } }));
    const c = compareRun(tiny, armRun);
    expect(c.prompts[0]!.diagnosis).toMatchObject({ code: 'other-model', regression: false, summary: "not comparable: this run's model is tiny-bitnet-coherent-i2_s.gguf, Apple M1 ran ggml-model-i2_s.gguf" });
    // the same file of another size (another conversion) is another model too
    const otherSize = snapshotOf(record('other', [{ id: 'capital', text: outputs.paris }], { environment: { modelBytes: 1_000 } }));
    expect(compareRun(otherSize, armRun).prompts[0]!.diagnosis.code).toBe('other-model');
  });

  it('an infrastructure fault on either side is not graded, never a kernel or regression finding', () => {
    const before = snapshotOf(record('before', [{ id: 'capital', text: outputs.paris }]), { label: 'x86 last week' });
    const crashed = snapshotOf(record('crashed', [{ id: 'capital', text: '', verdict: 'degenerate', error: 'llama-cli crashed (killed by SIGSEGV)' }]));
    expect(compareRun(crashed, before).prompts[0]!.diagnosis).toMatchObject({ code: 'not-graded', regression: false, summary: 'not graded: this run hit an infrastructure fault on this prompt, so there is no verdict to compare' });
    const armCrashed = snapshotOf(record('arm', [{ id: 'capital', text: '', verdict: 'degenerate', error: 'timed out after 60 s' }], { machine: armMachine }), { label: 'M1', kind: 'platform' });
    expect(compareRun(now, armCrashed).prompts[0]!.diagnosis.code).toBe('not-graded');
  });

  it('against a previous x86 run: a regression in quality and one in speed, with the divergence', () => {
    const before = snapshotOf(record('before', [{ id: 'capital', text: outputs.paris, rate: 5.0 }, { id: 'water', text: outputs.water, rate: 5.0 }]), { label: 'x86 last week' });
    const c = compareRun(now, before);
    expect(c.expectIdenticalOutputs).toBe(true);
    // another batch size or --override-kv is another computation: its outputs may differ without a regression
    expect(compareRun(now, { ...before, environment: { ...before.environment, batchSize: 8 } }).expectIdenticalOutputs).toBe(false);
    const kv = (kvs: string[]) => snapshotOf(record('x', [], { environment: { engineArgv: ['llama-cli', '-b', '1', ...kvs.flatMap((k) => ['--override-kv', k])] } }));
    expect(compareRun(kv(['tokenizer.ggml.pre=str:llama-bpe']), kv([])).expectIdenticalOutputs).toBe(false);
    expect(compareRun(kv(['tokenizer.ggml.pre=str:llama-bpe']), kv(['tokenizer.ggml.pre=str:llama-bpe'])).expectIdenticalOutputs).toBe(true);
    const [capital, water] = c.prompts;
    expect(capital).toMatchObject({ divergence: null, slower: false, diagnosis: { code: 'fine' } });
    expect(water).toMatchObject({ slower: true, diagnosis: { code: 'regression', regression: true }, divergence: { charOffset: 1, wordIndex: 0 } });
    expect(c.regressions.map((p) => p.promptId)).toEqual(['water']);
  });
});
