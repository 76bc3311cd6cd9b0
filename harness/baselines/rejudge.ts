import { verbatimText } from '../compare/agreement.ts';
import type { PromptSet } from '../config/schema.ts';
import { judge } from '../judge/index.ts';
import type { Baseline } from './schema.ts';

/**
 * A published baseline's verdicts are this harness's judge applied to the published texts (the author's own
 * verdicts are in its provenance). When the judge changes, they are re-derived, never edited by hand: the judge
 * sees only the model's words (before an author's "[repeats...]"), with the prompt and its `expect` from the set.
 */
export function rejudgeBaseline(baseline: Baseline, prompts: PromptSet): { baseline: Baseline; changed: string[] } {
  const expectations = new Map(prompts.prompts.map((p) => [p.id, p.expect]));
  const changed: string[] = [];
  const rejudged = baseline.prompts.map((p) => {
    if (p.error) return p;
    const expect = expectations.get(p.id);
    const v = judge({ text: verbatimText(p).trimEnd(), prompt: p.prompt, ...(expect ? { expect } : {}) });
    const score = Math.round(v.score * 10_000) / 10_000;
    if (v.verdict !== p.verdict || score !== p.score || v.reasons.join('\n') !== p.reasons.join('\n')) changed.push(`${p.id}: ${p.verdict} → ${v.verdict} (score ${p.score} → ${score})`);
    return { ...p, verdict: v.verdict, score, reasons: v.reasons };
  });
  return { baseline: { ...baseline, prompts: rejudged }, changed };
}
