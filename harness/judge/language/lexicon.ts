import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { brill } from 'brill';
import nspell from 'nspell';
import wordListPath from 'word-list';

/**
 * English lexicon: the Brill tagger's 89,539 words with their part-of-speech tags (npm `brill`, MIT), most
 * frequent tag first. It serves both as the dictionary (is this an English word?) and as the source of word
 * classes for the pair model. Loaded once per process (~150 ms), lookups are O(1).
 */
const LEXICON: Readonly<Record<string, readonly string[] | undefined>> = brill;

/**
 * Brill's vocabulary comes from news text and misses common words ("billion"); Hunspell's English dictionaries
 * (npm `dictionary-en` and `dictionary-en-gb`, read by `nspell`) complete it, with their affix rules (plurals,
 * tenses, British spellings). They replaced the 274,000-word `word-list`, which also holds rare and dialect words
 * ("ae", "bere", "ther", "nices") that garbage is made of: measured in docs/judge.md. Loaded on first use.
 */
let spellers: { correct(word: string): boolean }[] | undefined;
function hunspellDictionaries() {
  return ['dictionary-en', 'dictionary-en-gb'].map((name) => {
    const dir = dirname(createRequire(import.meta.url).resolve(name));
    return nspell({ aff: readFileSync(join(dir, 'index.aff')), dic: readFileSync(join(dir, 'index.dic')) });
  });
}
let wordList: Set<string> | undefined;
function inWordList(lower: string): boolean {
  if (process.env.JUDGE_LEXICON === 'word-list') {
    wordList ??= new Set(readFileSync(wordListPath, 'utf8').split('\n'));
    return wordList.has(lower);
  }
  spellers ??= hunspellDictionaries();
  return spellers.some((s) => s.correct(lower));
}

/** Tags of a word as written, else lower-cased. */
export function tagsOf(word: string): readonly string[] | undefined {
  return own(word) ?? own(word.toLowerCase());
}

function own(word: string): readonly string[] | undefined {
  return Object.hasOwn(LEXICON, word) ? LEXICON[word] : undefined;
}

/** Regular inflections and derivations whose stem is enough to call a word English. */
const SUFFIXES: ReadonlyArray<[string, string]> = [
  ["'s", ''], ['’s', ''], ["s'", 's'], ['ies', 'y'], ['es', ''], ['s', ''], ['ied', 'y'], ['ed', ''], ['ed', 'e'],
  ['ing', ''], ['ing', 'e'], ['ly', ''], ['ily', 'y'], ['er', ''], ['est', ''], ['ness', ''], ['ment', ''],
  ['ity', ''], ['ation', 'e'], ['ization', 'ize'], ['able', ''], ['ful', ''], ['less', ''],
];
const PREFIXES = ['un', 're', 'non', 'pre', 'over', 'under', 'multi', 'anti', 'inter', 'sub', 'co', 'de', 'dis', 'mis', 'self'];

const known = new Map<string, boolean>();

/** Is this an English word (by the lexicon, its regular inflections, or its hyphenated parts)? Memoised. */
export function isKnownWord(word: string): boolean {
  let answer = known.get(word);
  if (answer === undefined) {
    answer = lookUp(word);
    if (known.size > 200_000) known.clear();
    known.set(word, answer);
  }
  return answer;
}

function lookUp(word: string): boolean {
  if (tagsOf(word)) return true;
  const lower = word.toLowerCase().replace(/’/g, "'");
  if (tagsOf(lower) || inWordList(lower)) return true;
  if (lower.includes('-')) return lower.split('-').every((part) => part.length > 0 && isKnownWord(part));
  const apostrophe = lower.indexOf("'");
  if (apostrophe > 0) return isKnownWord(lower.slice(0, lower.endsWith("n't") ? -3 : apostrophe)) || tagsOf(lower.slice(0, -3)) !== undefined;
  if (process.env.JUDGE_AFFIX === '0') return false;
  for (const [suffix, replacement] of SUFFIXES) {
    if (lower.length > suffix.length + 2 && lower.endsWith(suffix) && own(lower.slice(0, -suffix.length) + replacement)) return true;
  }
  for (const prefix of PREFIXES) {
    if (lower.length > prefix.length + 3 && lower.startsWith(prefix) && own(lower.slice(prefix.length))) return true;
  }
  return false;
}
