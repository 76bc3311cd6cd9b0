import type { JudgeContext } from '../context.ts';
import type { Token } from '../language/tokens.ts';
import { isUnknownClass, pairLift, tokenClasses } from '../language/pair-model.ts';
import type { JudgeThresholds } from '../thresholds.ts';
import type { CheckResult } from '../types.ts';
import { notEnglishPrompt, pct, result, scoreAtLeast, scoreAtMost } from './score.ts';

/** Below this many word pairs a text is short: its averages are noise, only clear faults count. */
const SHORT_TEXT_PAIRS = 20;

export interface PairStats { pairs: number; logSum: number; implausible: string[]; impossible: string[] }

/** Lift of each adjacent pair of prose tokens (line and sentence starts count as `<s>`), and the implausible ones. */
export function pairStats(lines: readonly Token[][], t: Pick<JudgeThresholds, 'implausibleLift' | 'impossibleLift'>): PairStats {
  let pairs = 0;
  let logSum = 0;
  const implausible: string[] = [];
  const impossible: string[] = [];
  for (const line of lines) {
    // A line or sentence start is the model's `<s>`, as in training (one Brown sentence per line): the pair of a
    // sentence end and the next sentence's first word is `<s>` + that word ("## 1. Python": a list number is no end).
    // Each token's class as the second word of a pair and as the first (they differ for "wanna": want | to).
    const both = line.map((tok, i) => tokenClasses(tok, line[i - 1]));
    const into = ['<s>', ...both.map((c) => c[0])];
    const from = ['<s>', ...both.map((c) => c[1])];
    const texts = ['', ...line.map((tok) => tok.text)];
    for (let i = 0; i + 1 < into.length; i++) {
      const a = from[i] === '.' && !isListNumber(line, i - 1) ? '<s>' : from[i] ?? '';
      const b = into[i + 1] ?? '';
      if (isUnknownClass(a) || isUnknownClass(b) || b === '<s>') continue;
      if (line[i - 1]?.kind !== 'word' && line[i]?.kind !== 'word') continue;
      const lift = pairLift(a, b);
      pairs++;
      logSum += Math.log(lift);
      if (lift < t.implausibleLift) implausible.push(`'${texts[i]} ${texts[i + 1]}'`.replace("' ", "'"));
      if (lift < t.impossibleLift) impossible.push(`'${texts[i]} ${texts[i + 1]}'`.replace("' ", "'"));
    }
  }
  return { pairs, logSum, implausible, impossible };
}

/** The full stop at `dot` follows a number that opens its line ("1.", "## 2."): a list marker, not a sentence end. */
function isListNumber(line: readonly Token[], dot: number): boolean {
  return line[dot - 1]?.kind === 'number' && line.slice(0, dot - 1).every((tok) => tok.kind === 'punct');
}

/**
 * Word salad: real words in no grammatical order. Each adjacent pair of prose tokens gets its lift from the
 * Brown-corpus pair model; English keeps a positive mean log-lift and few pairs below the implausible floor,
 * shuffled words sit far below on both.
 */
export function wordOrder(ctx: JudgeContext, t: JudgeThresholds): CheckResult {
  if (!ctx.language.english) return notEnglishPrompt('word-order');
  const { pairs, logSum, implausible, impossible } = pairStats(ctx.proseLines, t);
  // Pairs English never writes ("the your", "the ,", "a the"): a dropped word or salad, however short the text.
  const short = pairs < SHORT_TEXT_PAIRS;
  // Distinct pairs: one construction the 1960s corpus lacks, used again and again ("in AI" in a text about AI), is one
  // piece of evidence, not several; two different ones in a longer text are a fault.
  const distinctImpossible = [...new Set(impossible)];
  if (distinctImpossible.length >= (short ? 1 : 2)) {
    return result('word-order', false, 0.3, `${short ? 'short text: ' : ''}word pairs English does not write: ${distinctImpossible.slice(0, 4).join(', ')} (${impossible.length} of ${pairs} pairs occur at under ${t.impossibleLift * 100}% of their chance rate in the Brown corpus)`);
  }
  if (pairs < t.minWordsForStatistics) return result('word-order', true, 1, `too few word pairs to judge order (${pairs})`);
  const share = implausible.length / pairs;
  const mean = logSum / pairs;
  const score = Math.min(scoreAtMost(share, t.maxImplausiblePairShare, 0.02), scoreAtLeast(mean, t.minMeanPairLogLift, 0.6));
  const summary = `${pct(share)} of ${pairs} adjacent word pairs are implausible in English (limit ${pct(t.maxImplausiblePairShare)}, or ${pct(t.maxImplausiblePairShare / 3)} when the mean is negative), mean log-lift ${mean.toFixed(2)} (needs ≥ ${t.minMeanPairLogLift}; English is ~ +0.5)`;
  // Either signal alone when clear; both at once when each is only weak (negative lift and some implausible pairs).
  const weakBoth = mean < 0 && share > t.maxImplausiblePairShare / 3;
  // A short text's statistics are noisy: it fails on them only when both say salad.
  const salad = short ? share > t.maxImplausiblePairShare * 1.5 && mean < t.minMeanPairLogLift : share > t.maxImplausiblePairShare || mean < t.minMeanPairLogLift || weakBoth;
  if (salad) {
    return result('word-order', false, score, `word salad: ${summary}; e.g. ${[...new Set(implausible)].slice(0, 4).join(', ')}`);
  }
  return result('word-order', true, score, summary);
}
