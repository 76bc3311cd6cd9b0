import type { JudgeContext } from '../context.ts';
import { isKnownWord } from '../language/lexicon.ts';
import { isFrequentWord } from '../language/pair-model.ts';
import type { Token } from '../language/tokens.ts';
import type { JudgeThresholds } from '../thresholds.ts';
import type { CheckResult } from '../types.ts';
import { notEnglishPrompt, pct, quote, result, scoreAtLeast } from './score.ts';

/** Latin-script prose words to look up; a possibly cut last word of a truncated output is left out. */
function latinWords(ctx: JudgeContext): Token[] {
  const all = ctx.truncated ? ctx.proseWords.slice(0, -1) : ctx.proseWords;
  return all.filter((w) => /^[\p{Script=Latin}\p{M}'’-]+$/u.test(w.text));
}

/** Names and acronyms are not in any dictionary but are normal English. */
function looksLikeName(word: string): boolean {
  return /^\p{Lu}[\p{Ll}\p{M}]+$/u.test(word) || /^\p{Lu}{2,6}s?$/u.test(word) || /^\p{Lu}\p{Ll}+\p{Lu}\p{L}*$/u.test(word);
}

/** Share of words that are English: catches subword fragments, byte junk and switches into other languages. */
export function dictionaryWords(ctx: JudgeContext, t: JudgeThresholds): CheckResult {
  if (!ctx.language.english) return notEnglishPrompt('dictionary-words');
  const latin = latinWords(ctx);
  const names = latin.filter((w) => looksLikeName(w.text) && !isKnownWord(w.text));
  // Names are exempt, but only a text's fair share of them: salad of invented capitalised words is not a list of names.
  const namesExempt = names.length < 3 || names.length / Math.max(1, latin.length) <= t.maxUnknownNameShare;
  const candidates = namesExempt ? latin.filter((w) => !looksLikeName(w.text)) : latin;
  const nonLatin = ctx.proseWords.length - latinWords(ctx).length;
  const total = candidates.length + nonLatin;
  if (total < t.minWordsForStatistics) return result('dictionary-words', true, 1, `too few words to judge vocabulary (${total})`);
  const unknown = candidates.filter((w) => !isKnownWord(w.text));
  const share = (candidates.length - unknown.length) / total;
  const score = scoreAtLeast(share, t.minDictionaryShare, 0.97);
  const examples = unknown.slice(0, 5).map((w) => `'${w.text}'`).join(', ');
  if (share < t.minDictionaryShare) return result('dictionary-words', false, score, `not English words: only ${pct(share)} of words are in the English lexicon (needs ≥ ${pct(t.minDictionaryShare)}); unknown: ${examples}`);
  const switched = longestForeignRun(ctx);
  if (switched.words >= t.minWordsForLanguageSwitch) return result('dictionary-words', false, 0.3, `switched language: ${switched.sentences} sentence(s), ${switched.words} words in a row, are mostly not English: ${quote(switched.text, 60)}`);
  return result('dictionary-words', true, score, `${pct(share)} of words are English (needs ≥ ${pct(t.minDictionaryShare)})`);
}

/**
 * The longest run of consecutive foreign sentences: fewer than half the words are English, or (other languages
 * share many short words with English) almost none are English function words.
 */
function longestForeignRun(ctx: JudgeContext): { sentences: number; words: number; text: string } {
  const sentences = ctx.proseLines.map((line) => line.map((tok) => tok.text).join(' ')).join(' ').split(/(?<=[.!?])\s+/);
  let best = { sentences: 0, words: 0, text: '' };
  let run = { sentences: 0, words: 0, text: '' };
  for (const sentence of sentences) {
    const all = sentence.match(/[\p{L}\p{M}'’-]+/gu) ?? [];
    const ws = all.filter((w) => !looksLikeName(w));
    const known = ws.filter((w) => /^[\p{Script=Latin}\p{M}'’-]+$/u.test(w) && isKnownWord(w)).length;
    const functionShare = all.filter((w) => isFrequentWord(w)).length / Math.max(1, all.length);
    if ((ws.length >= 3 && known / ws.length < 0.5) || (all.length >= 6 && functionShare < 0.1)) run = { sentences: run.sentences + 1, words: run.words + all.length, text: run.text || sentence };
    else run = { sentences: 0, words: 0, text: '' };
    if (run.words > best.words) best = run;
  }
  return best;
}

/** English prose is about half function words; content-word salad and other languages have few. */
export function functionWords(ctx: JudgeContext, t: JudgeThresholds): CheckResult {
  if (!ctx.language.english) return notEnglishPrompt('function-words');
  const words = latinWords(ctx);
  if (words.length < t.minWordsForFunctionShare) return result('function-words', true, 1, `too few prose words to judge (${words.length} < ${t.minWordsForFunctionShare})`);
  const share = words.filter((w) => isFrequentWord(w.text)).length / words.length;
  const score = scoreAtLeast(share, t.minFunctionWordShare, 0.45);
  if (share < t.minFunctionWordShare) return result('function-words', false, score, `not English sentences: only ${pct(share)} of words are common function words like 'the', 'of', 'is' (needs ≥ ${pct(t.minFunctionWordShare)})`);
  return result('function-words', true, score, `${pct(share)} function words (needs ≥ ${pct(t.minFunctionWordShare)})`);
}
