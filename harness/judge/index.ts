import { characterJunk, nonEmpty } from './checks/characters.ts';
import { expectation } from './checks/expectation.ts';
import { numericJunk } from './checks/numbers.ts';
import { dictionaryWords, functionWords } from './checks/lexical.ts';
import { diversity, repetitionLoop, stutter } from './checks/repetition.ts';
import { scriptMix } from './checks/script.ts';
import { tokenizerArtifacts, wordBoundaries } from './checks/token-boundary.ts';
import { wordOrder } from './checks/word-order.ts';
import { buildContext, type JudgeContext } from './context.ts';
import { resolveThresholds, type JudgeThresholds } from './thresholds.ts';
import type { CheckResult, JudgeInput, Verdict } from './types.ts';

export type * from './types.ts';
export { judgeThresholdsSchema, type JudgeThresholds } from './thresholds.ts';

type Check = (ctx: JudgeContext, t: JudgeThresholds) => CheckResult;

/** Every check, each independent; an output is coherent only when all of them pass. */
export const CHECKS: readonly Check[] = [
  nonEmpty, characterJunk, numericJunk, repetitionLoop, stutter, diversity, tokenizerArtifacts, wordBoundaries, scriptMix,
  dictionaryWords, functionWords, wordOrder, expectation,
];

/**
 * Judges one generated continuation. Degenerate as soon as one check fails: each check targets one failure
 * seen in broken BitNet builds, and a broken output usually trips several. The score is the weakest check's
 * score (0.5 is the pass line of every check), so it says how close the output came to failing.
 */
export function judge(input: JudgeInput, thresholds: Partial<JudgeThresholds> = {}): Verdict {
  const t = resolveThresholds(thresholds);
  const ctx = buildContext(input);
  const checks = CHECKS.map((check) => check(ctx, t));
  const failed = checks.filter((c) => !c.pass);
  return {
    verdict: failed.length ? 'degenerate' : 'coherent',
    score: Math.min(...checks.map((c) => c.score)),
    reasons: failed.map((c) => `${c.name}: ${c.reason}`),
    checks,
  };
}
