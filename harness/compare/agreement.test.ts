import { describe, expect, it } from 'vitest';
import { environment, outputs, record } from '../../test/support/run-fixtures.ts';
import { snapshotOf } from '../baselines/from-run.ts';
import type { Baseline } from '../baselines/schema.ts';
import { describeAgreement, isEarly, referenceMismatch, wordAgreement } from './agreement.ts';
import { compareRun } from './compare.ts';

const paris = { text: outputs.paris };

describe('word-level agreement with a greedy reference', () => {
  it('identical texts agree for every word; line breaks and spacing are not words', () => {
    expect(wordAgreement(outputs.paris, paris)).toEqual({ words: 26, referenceWords: 26, divergence: null });
    expect(wordAgreement(outputs.paris.replace('country, on', 'country,\non'), paris).divergence).toBeNull();
  });

  it('a kernel fault: agrees for 10 words, then diverges at word 11, with both sides shown', () => {
    const a = wordAgreement(outputs.parisSalad, paris);
    expect(a).toMatchObject({ words: 10, referenceWords: 26, divergence: { word: 11, before: 'in the north of the country,', now: 'the the of in city city', reference: 'on the river Seine. Paris is' } });
    expect(isEarly(a)).toBe(true);
    expect(describeAgreement(a, 'the x86 reference (AMD EPYC 75F3)')).toBe('agrees with the x86 reference (AMD EPYC 75F3) for 10 of 26 words, then diverges at word 11 after "…in the north of the country,": now "the the of in city city…" | reference "on the river Seine. Paris is…"');
    // the same divergence in a run that also failed the judge reads as what it is
    expect(describeAgreement(a, 'the x86 reference (AMD EPYC 75F3)', true)).toMatch(/^diverged from the x86 reference \(AMD EPYC 75F3\) at word 11: now "the the of/);
  });

  it('word salad from the first word: diverged at word 1', () => {
    const a = wordAgreement(outputs.armSalad, paris);
    expect(a).toMatchObject({ words: 0, divergence: { word: 1, before: '' } });
    expect(describeAgreement(a, 'the x86 reference', true)).toBe('diverged from the x86 reference at word 1: now "pérdida Unterscheidung sizeof sizeof ModelState Peg…" | reference "Paris. It is located in the…"');
  });

  it("a truncated reference agrees up to the author's marker; a run that goes on past it still agrees fully", () => {
    const loop = { text: ' the speed of light is constant. The theory also states that the speed of light is constant. [repeats...]', truncated: { marker: '[repeats...]', note: '' } };
    const a = wordAgreement(' the speed of light is constant. The theory also states that the speed of light is constant. The theory also states that', loop);
    expect(a).toEqual({ words: 17, referenceWords: 17, truncatedAt: '[repeats...]', divergence: null });
    expect(describeAgreement(a, 'the x86 reference')).toBe('agrees with the x86 reference for all 17 words it publishes (the author abbreviated the rest as "[repeats...]")');
    // a marker glued to a word may have cut it: "proven-for..." agrees with "proven-formula"
    expect(wordAgreement(' unit proven-formula and more', { text: ' unit proven-for...', truncated: { marker: '...', note: '' } }).divergence).toBeNull();
    expect(wordAgreement(' unit proven-formula', { text: ' unit proven...', truncated: { marker: '...', note: '' } }).divergence).toBeNull();
    expect(wordAgreement(' unit disproven', { text: ' unit proven...', truncated: { marker: '...', note: '' } }).divergence?.word).toBe(2);
  });

  it('a run that stops before the reference does diverges at its end', () => {
    const a = wordAgreement(' Paris. It is', paris);
    expect(a.divergence).toMatchObject({ word: 4, now: '' });
    expect(describeAgreement(a, 'the reference')).toContain('now (end of output) | reference "located in the north');
  });
});

describe('when a reference applies', () => {
  const ref: Baseline = { ...snapshotOf(record('ref', [{ id: 'capital', text: outputs.paris }])), reference: { decoding: 'greedy', engine: 'bitnet.cpp', engineCommits: ['8fd3412', '01eb415'], modelFile: 'ggml-model-i2_s.gguf', flags: '-b 1 --temp 0', why: 'same CPU code' } };
  ref.environment = { ...ref.environment, engineCommit: '8fd3412', cpu: 'AMD EPYC 75F3' };

  it('same engine code (any listed commit), model file and temperature 0: figures; otherwise the reason, and none', () => {
    const env = (o = {}) => snapshotOf(record('now', [], { environment: o })).environment;
    expect(referenceMismatch(env(), ref)).toBeNull();
    expect(referenceMismatch(env({ engineCommit: '01eb415772c342d9' }), ref)).toBeNull();
    expect(referenceMismatch(env({ temperature: 0.8 }), ref)).toBe('this run samples at temperature 0.8 (a reference needs 0)');
    expect(referenceMismatch(env({ engine: 'llama.cpp', engineCommit: '80fb11a' }), ref)).toBe("this run's engine is llama.cpp, the reference's bitnet.cpp");
    expect(referenceMismatch(env({ engineCommit: 'c82b5e6' }), ref)).toBe("this run's engine commit c82b5e6 is not one of 8fd3412, 01eb415");
    expect(referenceMismatch(env({ modelFile: '/m/tiny-bitnet-coherent.gguf' }), ref)).toBe("this run's model file is tiny-bitnet-coherent.gguf, the reference's ggml-model-i2_s.gguf");
    expect(environment('x').engineCommit).toBe('01eb415');
  });

  it('compareRun attaches the agreement and names the reference by kernel family and CPU', () => {
    const c = compareRun(snapshotOf(record('now', [{ id: 'capital', text: outputs.parisSalad, verdict: 'degenerate' }])), ref);
    expect(c.reference).toEqual({ name: 'the x86 reference (AMD EPYC 75F3)', mismatch: null });
    expect(c.prompts[0]!.agreement).toMatchObject({ words: 10, divergence: { word: 11 } });
    const other = compareRun(snapshotOf(record('now', [{ id: 'capital', text: outputs.paris }], { environment: { temperature: 0.7 } })), ref);
    expect(other.reference?.mismatch).toMatch(/temperature 0.7/);
    expect(other.prompts[0]!.agreement).toBeNull();
  });
});
