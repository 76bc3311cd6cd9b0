import { describe, expect, it } from 'vitest';
import { armMachine, outputs, record } from '../../test/support/run-fixtures.ts';
import { snapshotOf } from '../baselines/from-run.ts';
import type { Baseline } from '../baselines/schema.ts';
import { buildReportContext, renderConsoleSummary, reportWriters } from './index.ts';

/**
 * The writers read one context, so they must tell the same facts: whether the greedy reference applies (and which
 * flag keeps it from applying), the agreement sentence of each prompt, and the command line with what it leaves out.
 */
const argv = (batch: number) => ['llama-cli', '-m', '/m/ggml-model-i2_s.gguf', '-f', '/p/capital.txt', '-n', '500', '-b', String(batch), '-t', '2', '--temp', '0', '--override-kv', 'tokenizer.ggml.pre=str:llama-bpe'];
const reference: Baseline = {
  ...snapshotOf(record('ref', [{ id: 'capital', text: outputs.paris }], { environment: { engineArgv: argv(1) } }), { kind: 'platform' }),
  label: 'x86 greedy reference',
  reference: { decoding: 'greedy', engine: 'bitnet.cpp', engineCommits: ['01eb415'], modelFile: 'ggml-model-i2_s.gguf', flags: '-b 1 --temp 0 --override-kv tokenizer.ggml.pre=str:llama-bpe', why: 'same code' },
};
/** A report's text as a reader sees it: HTML entities and Markdown's escaped pipes decoded. */
const read = (text: string) => text.replace(/\\\|/g, '|').replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
const human: Record<string, (ctx: ReturnType<typeof buildReportContext>) => string> = {
  console: renderConsoleSummary,
  'summary.md': (ctx) => read(reportWriters['summary.md']!(ctx)),
  'report.html': (ctx) => read(reportWriters['report.html']!(ctx)),
  'bitnet_coherent_results.txt': reportWriters['bitnet_coherent_results.txt']!,
};

describe('every report tells the same facts', () => {
  it('a reference that does not apply: each report says which flag differs', () => {
    const ctx = buildReportContext(record('now', [{ id: 'capital', text: outputs.paris }], { environment: { engineArgv: argv(8) } }), [reference]);
    for (const [name, write] of Object.entries(human)) expect(write(ctx), name).toContain("not comparable with this run: this run's -b is 8, the reference's 1");
    expect(JSON.parse(reportWriters['comparison.json']!(ctx)).comparisons[0].reference.mismatch).toMatch(/-b is 8/);
    expect(reportWriters['results.csv']!(ctx).split('\n')[1]).not.toContain(',26,26,');
    // no agreement figures at all, not merely other ones than 26/26
    expect(ctx.rows[0]).toMatchObject({ reference_words_agreed: null, reference_words: null, reference_diverges_at_word: null });
  });

  it('an early divergence of a run that failed the judge reads the same in every report, the HTML prompt block included', () => {
    const ctx = buildReportContext(record('now', [{ id: 'capital', text: outputs.armSalad, verdict: 'degenerate' }], { environment: { engineArgv: argv(1) } }), [reference]);
    const sentence = 'diverged from the x86 reference (AMD EPYC 7763) at word 1: now "pérdida Unterscheidung sizeof sizeof ModelState Peg…" | reference "Paris. It is located in the…"';
    for (const [name, write] of Object.entries(human)) expect(write(ctx), name).toContain(sentence);
    const html = human['report.html']!(ctx);
    expect(html.match(/diverged from the x86 reference/g)).toHaveLength(2);
    expect(html).not.toContain('agrees with the reference for 0');
    expect(reportWriters['results.csv']!(ctx).split('\n')[1]).toContain(',0,26,1,');
  });

  it('results.csv tells a divergence from a run that ended first at its smaller -n (both agree for fewer words than the reference has)', () => {
    const csvRow = (text: string, nPredict: number) => {
      const ctx = buildReportContext(record('now', [{ id: 'capital', text }], { environment: { engineArgv: argv(1).map((a) => (a === '500' ? String(nPredict) : a)), nPredict } }), [reference]);
      const [head, row] = reportWriters['results.csv']!(ctx).split('\n');
      const cells = Object.fromEntries(head!.split(',').map((h, i) => [h, row!.split(',')[i]]));
      return [cells.reference_words_agreed, cells.reference_words, cells.reference_diverges_at_word];
    };
    const comma = outputs.paris.indexOf(',');
    expect(csvRow(outputs.paris.slice(0, comma), 12)).toEqual(['10', '26', '']);
    expect(csvRow(outputs.parisSalad, 500)).toEqual(['10', '26', '11']);
  });

  it('server mode: the llama-server command line, with the -n and temperature each request carries', () => {
    const rec = record('now', [{ id: 'capital', text: outputs.paris }], { environment: { engineArgv: ['llama-server', '-m', '/m/ggml-model-i2_s.gguf', '--port', '0', '-t', '2', '-b', '2', '-ub', '1'] } });
    rec.engineMode = 'server';
    const ctx = buildReportContext(rec, [reference]);
    for (const [name, write] of Object.entries(human)) expect(write(ctx), name).toContain('llama-server -m /m/ggml-model-i2_s.gguf --port 0 -t 2 -b 2 -ub 1  # each /completion request: n_predict 500, temperature 0');
  });

  describe('a baseline with prompts this run did not ask (a smaller prompt set, a shard)', () => {
    const arm = (kind: 'platform' | 'previous-run') => ({
      ...snapshotOf(record('arm', [{ id: 'capital', text: outputs.armSalad, verdict: 'degenerate' }, { id: 'extra-water', text: outputs.armSalad, verdict: 'degenerate' }, { id: 'extra-loop', text: outputs.loop, verdict: 'degenerate' }], { machine: armMachine }), { kind }),
      label: `M1 ${kind}`,
    });
    const shared = (b: Baseline): Baseline => ({ ...b, prompts: b.prompts.filter((p) => p.id === 'capital') });

    it('lists none of them in any report, only how many there are', () => {
      const ctx = buildReportContext(record('now', [{ id: 'capital', text: outputs.paris }]), [arm('platform')]);
      for (const [name, write] of Object.entries(human)) {
        const text = write(ctx);
        expect(text, name).not.toContain('extra-');
        expect(text, name).not.toMatch(/no result/);
        expect(text, name).toContain('has 2 prompts this run did not ask');
        expect(text, name).toContain('the ARM kernels are at fault');
      }
      expect(ctx.comparisons[0]!.notAsked).toEqual(['extra-water', 'extra-loop']);
      expect(ctx.gate.notes.join('\n')).not.toContain('extra-');
    });

    it('the gate exits as it would against the shared prompts alone', () => {
      for (const [now, code] of [[outputs.paris, 0], [outputs.armSalad, 1]] as const) {
        const rec = record('now', [{ id: 'capital', text: now, verdict: code ? 'degenerate' : 'coherent' }]);
        for (const kind of ['platform', 'previous-run'] as const) {
          const gate = buildReportContext(rec, [arm(kind)]).gate;
          expect(gate.code, `${kind}, exit ${code}`).toBe(code);
          expect(gate).toEqual(buildReportContext(rec, [shared(arm(kind))]).gate);
        }
      }
    });

    it('a prompt this run asked but got no result for is still compared', () => {
      const ctx = buildReportContext(record('now', [{ id: 'capital', text: outputs.paris }], { promptIds: ['capital', 'extra-water'] }), [arm('previous-run')]);
      expect(ctx.comparisons[0]!.prompts.map((p) => [p.promptId, p.diagnosis.code])).toEqual([['capital', 'fixed'], ['extra-water', 'no-result']]);
      expect(ctx.comparisons[0]!.notAsked).toEqual(['extra-loop']);
      expect(renderConsoleSummary(ctx)).toContain('extra-water: no result');
    });
  });
});
