import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { root } from '../../test/support/cli.ts';
import { environment, outputs, record } from '../../test/support/run-fixtures.ts';
import { snapshotOf } from '../baselines/from-run.ts';
import { loadBaseline } from '../baselines/io.ts';
import type { Baseline } from '../baselines/schema.ts';
import { benchConfigSchema } from '../config/schema.ts';
import { flavours, generationArgv, serverArgv } from '../engine/command.ts';
import { baselineLegend } from '../reports/present.ts';
import { agreementCell, describeAgreement, isEarly, referenceMismatch, wordAgreement } from './agreement.ts';
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

describe('the flags that change greedy output, from the recorded command lines', () => {
  const published = loadBaseline(join(root, 'fixtures/baselines/x86-epyc-75f3-trinity-reference.json'));
  const gen = { ...benchConfigSchema.parse({}).generation, threads: 2 };
  const model = '/root/BitNet/models/BitNet-b1.58-2B-4T/ggml-model-i2_s.gguf';
  /** A snapshot of a run of this harness with the argv its engine really builds (command.ts), from `gen`. */
  const run = (argv: string[], text = outputs.paris, o: { endOfText?: boolean; nPredict?: number } = {}) => {
    const rec = record('now', [{ id: 'capital', text }], { environment: { engineArgv: argv, nPredict: o.nPredict ?? gen.nPredict, threads: 2 } });
    rec.rows[0]!.endOfText = o.endOfText ?? false;
    return snapshotOf(rec);
  };
  const cli = (g = gen) => generationArgv(flavours['bitnet.cpp'], '/root/BitNet/build/bin/llama-cli', model, '/tmp/p/capital.txt', g);

  it("the harness's default command is the published reference's: threads (-t 2 against -t 4) and -n 500 against 200 do not count", () => {
    expect(published.environment.engineArgv).toContain('--override-kv');
    const argv = cli();
    expect([argv[argv.indexOf('-t') + 1], argv[argv.indexOf('-n') + 1]]).toEqual(['2', '500']);
    expect(referenceMismatch(run(cli()).environment, published)).toBeNull();
    // server mode: -b 1 becomes -b 2 -ub 1 (one token per micro-batch, the same computation); -n and --temp travel with requests
    expect(referenceMismatch(run(serverArgv('/root/BitNet/build/bin/llama-server', model, gen)).environment, published)).toBeNull();
  });

  it('not comparable: the legend says which flag differs (-b, --override-kv, --temp)', () => {
    const batch8 = compareRun(run(cli({ ...gen, batchSize: 8 })), published);
    expect(batch8.reference?.mismatch).toBe("this run's -b is 8, the reference's 1 (the batch changes the order of floating-point sums)");
    expect(baselineLegend(batch8)).toMatch(/greedy reference, not comparable with this run: this run's -b is 8, the reference's 1/);
    expect(batch8.prompts[0]!.agreement).toBeNull();
    // llama.cpp's default batch when a server is started with -b 512 and no -ub: 512 tokens per micro-batch
    expect(referenceMismatch(run(serverArgv('llama-server', model, { ...gen, batchSize: 512 })).environment, published)).toMatch(/-b is 512, the reference's 1/);
    expect(referenceMismatch(run(cli({ ...gen, overrideKv: [] })).environment, published)).toBe("this run's --override-kv is none, the reference's tokenizer.ggml.pre=str:llama-bpe");
    expect(baselineLegend(compareRun(run(cli({ ...gen, overrideKv: ['tokenizer.ggml.pre=str:gpt-2'] })), published))).toContain("not comparable with this run: this run's --override-kv is tokenizer.ggml.pre=str:gpt-2, the reference's tokenizer.ggml.pre=str:llama-bpe");
    expect(referenceMismatch(run(cli({ ...gen, temperature: 0.8 })).environment, published)).toBe('this run samples at temperature 0.8 (a reference needs 0)');
  });

  it('a baseline or run that records no command line is judged on what it records: its environment fields', () => {
    const noArgv = { ...published, environment: { ...published.environment, engineArgv: undefined } };
    expect(referenceMismatch(run(cli({ ...gen, overrideKv: [] })).environment, noArgv)).toBeNull();
    expect(referenceMismatch(run(cli({ ...gen, batchSize: 8 })).environment, noArgv)).toMatch(/-b is 8, the reference's 1/);
    expect(referenceMismatch(snapshotOf(record('old', [], { environment: { batchSize: 4 } })).environment, published)).toMatch(/-b is 4/);
  });

  it('-n counts only as far as the shorter text: a run whose smaller -n ended it agrees; one that stopped at end of text diverges', () => {
    const reference = { ...published, prompts: [{ ...published.prompts[0]!, id: 'capital' }] };
    const first = (n: number) => reference.prompts[0]!.text.split(' ').slice(0, n).join(' ');
    const limited = compareRun(run(cli({ ...gen, nPredict: 16 }), first(12), { nPredict: 16 }), reference).prompts[0]!.agreement!;
    expect(limited).toMatchObject({ words: 11, referenceWords: 72, shorterLimit: { now: 16, reference: 200 }, divergence: null });
    expect(describeAgreement(limited, 'the x86 reference')).toBe("agrees with the x86 reference for all 11 words this run generated (its -n 16 stops before the reference's -n 200, 72 words)");
    expect(agreementCell(limited)).toBe('agrees, all 11 words of -n 16 (reference: -n 200, 72 words)');
    expect(isEarly(limited)).toBe(false);
    // its last token may have cut a word: "architec" starts "architecture."
    const cut = `${first(15)} architec`;
    expect(compareRun(run(cli({ ...gen, nPredict: 24 }), cut, { nPredict: 24 }), reference).prompts[0]!.agreement).toMatchObject({ words: 15, divergence: null });
    // the same short text, but the model stopped on its own: the reference went on, so that is where it diverges
    const stopped = compareRun(run(cli({ ...gen, nPredict: 16 }), first(12), { nPredict: 16, endOfText: true }), reference).prompts[0]!.agreement!;
    expect(stopped).toMatchObject({ words: 11, divergence: { word: 12, now: '' } });
    // a wrong word within the shorter text is still a divergence
    expect(compareRun(run(cli({ ...gen, nPredict: 16 }), `${first(5)} Lyon`, { nPredict: 16 }), reference).prompts[0]!.agreement?.divergence?.word).toBe(5);
  });
});
