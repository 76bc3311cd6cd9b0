import { isFrequentWord } from './pair-model.ts';
import { scriptOf } from './scripts.ts';

/** What the prompt lets the judge expect of the continuation's writing system and language. */
export interface ExpectedLanguage {
  /** Scripts the continuation may be written in (Latin when there is no prompt). */
  scripts: ReadonlySet<string>;
  /** The English-only checks (lexicon, function words, word order, word boundaries) apply. */
  english: boolean;
}

/** A CJK character carries about a word, alphabetic scripts take about five letters: weigh scripts by words. */
const LETTERS_PER_WORD: Readonly<Record<string, number>> = { CJK: 1, Thai: 3 };
/** A script holding this share of the prompt's (weighted) letters is one the continuation may use. */
const MIN_PROMPT_SCRIPT_SHARE = 0.2;
/** A Latin prompt of this many words with not one common English word (the, of, is, …) is in another language. */
const MIN_WORDS_FOR_LANGUAGE = 3;

/**
 * The languages a continuation may legitimately be in: those of its prompt. A French prompt's French answer is
 * coherent; an English prompt's French answer is a language switch. No prompt means English.
 */
export function expectedLanguage(prompt: string | undefined): ExpectedLanguage {
  const weights = new Map<string, number>();
  for (const c of prompt ?? '') {
    const s = scriptOf(c);
    if (s) weights.set(s, (weights.get(s) ?? 0) + 1 / (LETTERS_PER_WORD[s] ?? 5));
  }
  const total = [...weights.values()].reduce((a, b) => a + b, 0);
  if (total === 0) return { scripts: new Set(['Latin']), english: true };
  const scripts = new Set([...weights].filter(([, w]) => w / total >= MIN_PROMPT_SCRIPT_SHARE).map(([s]) => s));
  const words = (prompt ?? '').match(/\p{Script=Latin}+(?:['’]\p{Script=Latin}+)*/gu) ?? [];
  const englishWords = words.length < MIN_WORDS_FOR_LANGUAGE || words.some((w) => isFrequentWord(w));
  return { scripts, english: scripts.has('Latin') && englishWords };
}
