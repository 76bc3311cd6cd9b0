import type { JudgeContext } from '../context.ts';
import { isUnknownClass, pairLift, wordClass } from '../language/pair-model.ts';
import type { JudgeThresholds } from '../thresholds.ts';
import type { CheckResult } from '../types.ts';
import { pct, result, scoreAtLeast, scoreAtMost } from './score.ts';

/**
 * Word salad: real words in no grammatical order. Each adjacent pair of prose tokens gets its lift from the
 * Brown-corpus pair model; English keeps a positive mean log-lift and few pairs below the implausible floor,
 * shuffled words sit far below on both.
 */
export function wordOrder(ctx: JudgeContext, t: JudgeThresholds): CheckResult {
  let pairs = 0;
  let logSum = 0;
  const implausible: string[] = [];
  for (const line of ctx.proseLines) {
    const classes = line.map(wordClass);
    for (let i = 0; i + 1 < line.length; i++) {
      const a = classes[i] ?? '';
      const b = classes[i + 1] ?? '';
      if (isUnknownClass(a) || isUnknownClass(b)) continue;
      if (line[i]?.kind !== 'word' && line[i + 1]?.kind !== 'word') continue;
      const lift = pairLift(a, b);
      pairs++;
      logSum += Math.log(lift);
      if (lift < t.implausibleLift) implausible.push(`'${line[i]?.text} ${line[i + 1]?.text}'`);
    }
  }
  if (pairs < t.minWordsForStatistics) return result('word-order', true, 1, `too few word pairs to judge order (${pairs})`);
  const share = implausible.length / pairs;
  const mean = logSum / pairs;
  const score = Math.min(scoreAtMost(share, t.maxImplausiblePairShare, 0.02), scoreAtLeast(mean, t.minMeanPairLogLift, 0.6));
  const summary = `${pct(share)} of ${pairs} adjacent word pairs are implausible in English (limit ${pct(t.maxImplausiblePairShare)}), mean log-lift ${mean.toFixed(2)} (needs ≥ ${t.minMeanPairLogLift})`;
  if (share > t.maxImplausiblePairShare || mean < t.minMeanPairLogLift) {
    return result('word-order', false, score, `word salad: ${summary}; e.g. ${[...new Set(implausible)].slice(0, 4).join(', ')}`);
  }
  return result('word-order', true, score, summary);
}
