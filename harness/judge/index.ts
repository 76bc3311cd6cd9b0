import { characterJunk, nonEmpty } from './checks/characters.ts';
import { expectation } from './checks/expectation.ts';
import { numericJunk } from './checks/numbers.ts';
import { dictionaryWords, functionWords } from './checks/lexical.ts';
import { diversity, repetitionLoop, stutter } from './checks/repetition.ts';
import { scriptMix } from './checks/script.ts';
import { specialTokens } from './checks/special-tokens.ts';
import { lineFragments, punctuation, spacing } from './checks/spacing.ts';
import { tokenizerArtifacts, wordBoundaries } from './checks/token-boundary.ts';
import { result } from './checks/score.ts';
import { windows } from './checks/windows.ts';
import { wordOrder } from './checks/word-order.ts';
import { buildContext, type JudgeContext } from './context.ts';
import { sampleLongText } from './long-text.ts';
import { withoutStopMarker } from './stop-marker.ts';
import { carriesSentences, deduplicateSentences, notASentence, REPETITION_CHECKS } from './repetitive.ts';
import { resolveThresholds, type JudgeThresholds } from './thresholds.ts';
import type { CheckResult, JudgeInput, Verdict } from './types.ts';

export type * from './types.ts';
export { verdictPasses } from './types.ts';
export { judgeThresholdsSchema, type JudgeThresholds } from './thresholds.ts';

type Check = (ctx: JudgeContext, t: JudgeThresholds) => CheckResult;

/** Every check, each independent; an output is coherent only when all of them pass. */
export const CHECKS: readonly Check[] = [
  nonEmpty, characterJunk, numericJunk, repetitionLoop, stutter, diversity, tokenizerArtifacts, specialTokens, wordBoundaries, scriptMix,
  dictionaryWords, functionWords, wordOrder, spacing, punctuation, lineFragments, windows, expectation,
];

/**
 * Runs every check. The windows check looks for faults the whole-text checks average away, so it only has to run
 * when they all pass: otherwise the verdict is decided (and a repetitive text is judged again, said once).
 */
function runChecks(input: JudgeInput, t: JudgeThresholds): CheckResult[] {
  const ctx = buildContext(input);
  const results = CHECKS.map((check) => (check === windows ? undefined : check(ctx, t)));
  const decided = results.some((r) => r && !r.pass);
  return results.map((r) => r ?? (decided ? result('windows', true, 1, 'not needed: the whole text already fails') : windows(ctx, t)));
}

/**
 * Judges one generated continuation. Degenerate as soon as one check fails (each check targets one failure seen
 * in broken builds, and a broken output usually trips several) — except when only the repetition checks fail and
 * the text, each repeated sentence kept once, passes everything: fluent sentences that repeat are `repetitive`
 * (see repetitive.ts). The score is the weakest check's score (0.5 is the pass line of every check).
 */
export function judge(raw: JudgeInput, thresholds: Partial<JudgeThresholds> = {}): Verdict {
  const t = resolveThresholds(thresholds);
  const input = { ...raw, text: withoutStopMarker(raw.text) };
  const long = sampleLongText(input.text);
  const checks = runChecks(long ? { ...input, text: long.sample } : input, t);
  if (long) {
    // Byte-level debris and special tokens are looked for in every byte, whatever the size; the statistics read the sample.
    for (const everyByte of [tokenizerArtifacts, specialTokens]) checks[CHECKS.indexOf(everyByte)] = everyByte(input, t);
    checks.push({ name: 'long-text', pass: true, score: 1, reason: `judged on ${long.description}` });
  }
  const failed = checks.filter((c) => !c.pass);
  const score = Math.min(...checks.map((c) => c.score));
  if (failed.length === 0) return { verdict: 'coherent', score, reasons: [], checks };
  const reasons = failed.map((c) => `${c.name}: ${c.reason}`);
  // Repetition amplifies one sentence's quirks in every whole-text statistic: judge the text with each sentence said once.
  if (failed.some((c) => REPETITION_CHECKS.has(c.name))) {
    const once = deduplicateSentences(long ? long.sample : input.text);
    if (carriesSentences(once) && runChecks({ ...input, text: once.text }, t).every((c) => c.pass)) {
      const example = once.repeated[0] ?? '';
      return {
        verdict: 'repetitive',
        score,
        reasons: [...reasons, `repetitive: fluent sentences repeated (${once.repeated.length} distinct, e.g. '${example.length > 80 ? `${example.slice(0, 80)}…` : example}'); the text with each said once passes every check`],
        checks,
      };
    }
    const unlike = once.reentry ?? once.repeated.map(notASentence).find(Boolean);
    if (unlike) reasons.push(`loop of fragments, not sentences: ${unlike}`);
  }
  return { verdict: 'degenerate', score, reasons, checks };
}
