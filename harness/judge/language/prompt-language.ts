import { isKnownWord } from './lexicon.ts';
import { isFrequentWord } from './pair-model.ts';
import { scriptOf } from './scripts.ts';

/** What the prompt lets the judge expect of the continuation's writing system and language. */
export interface ExpectedLanguage {
  /** Scripts the continuation may be written in (Latin when there is no prompt). */
  scripts: ReadonlySet<string>;
  /** The English-only checks (lexicon, function words, word order, word boundaries) apply. */
  english: boolean;
}

/** Letters per word: a Han character is most of a word, kana, Hangul and Thai a syllable, alphabets about five letters. */
function lettersPerWord(char: string, script: string): number {
  if (script === 'Thai') return 3;
  if (script !== 'CJK') return 5;
  return /\p{Script=Han}/u.test(char) ? 1.5 : 3;
}
/** A script holding this share of the prompt's (weighted) letters is one the continuation may use. */
const MIN_PROMPT_SCRIPT_SHARE = 0.2;
/** A Latin prompt of this many words with not one common English word (the, of, is, …) is in another language. */
const MIN_WORDS_FOR_LANGUAGE = 3;

/**
 * The languages a continuation may legitimately be in: those of its prompt. A French prompt's French answer is
 * coherent; an English prompt's French answer is a language switch. No prompt means English.
 */
export function expectedLanguage(prompt: string | undefined, text = ''): ExpectedLanguage {
  // A prompt of special tokens only ("</s>", "<|im_start|>") says nothing about language: the text's own script
  // is expected (a switch away from it is still caught), English only when that script is Latin.
  const words = naturalText(prompt ?? '');
  const weights = scriptWeights(words || text);
  const total = [...weights.values()].reduce((a, b) => a + b, 0);
  if (total === 0) return { scripts: new Set(['Latin']), english: true };
  if (!words) {
    const main = [...weights].sort((a, b) => b[1] - a[1])[0]![0];
    return { scripts: new Set([main]), english: main === 'Latin' };
  }
  // A script the prompt writes whole words in (2+), or a fair share of its letters, is one the answer may use too.
  const scripts = new Set([...weights].filter(([s, w]) => w / total >= MIN_PROMPT_SCRIPT_SHARE || w >= 2).map(([s]) => s));
  const latinWords = words.match(/\p{Script=Latin}+(?:['’]\p{Script=Latin}+)*/gu) ?? [];
  // One or two words ("hi", "Lorem ipsum") are English when they are English words; more when a common one is there.
  const englishWords = latinWords.length < MIN_WORDS_FOR_LANGUAGE ? latinWords.every((w) => isKnownWord(w)) : latinWords.some((w) => isFrequentWord(w));
  return { scripts, english: scripts.has('Latin') && englishWords };
}

/** Letters weighted to about one per word: a CJK character is a word, an alphabetic word about five letters. */
export function scriptWeights(text: string): Map<string, number> {
  const weights = new Map<string, number>();
  for (const c of text) {
    const s = scriptOf(c);
    if (s) weights.set(s, (weights.get(s) ?? 0) + 1 / lettersPerWord(c, s));
  }
  return weights;
}

/** The prompt without special tokens and chat-template markers: what a person wrote. */
function naturalText(prompt: string): string {
  return prompt.replace(/<\|[^|>]{1,40}\|>|<\/?s>|<\/?[a-z_]{1,20}>|\[\/?INST\]/g, ' ').trim();
}
