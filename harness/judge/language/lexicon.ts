import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { brill } from 'brill';
import nspell from 'nspell';
import { memoised } from './memo.ts';

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
function inHunspell(word: string): boolean {
  spellers ??= hunspellDictionaries();
  return spellers.some((s) => s.correct(word));
}

/** Tags of a word as written, else lower-cased. */
export function tagsOf(word: string): readonly string[] | undefined {
  return own(word) ?? own(word.toLowerCase());
}

function own(word: string): readonly string[] | undefined {
  return Object.hasOwn(LEXICON, word) ? LEXICON[word] : undefined;
}

/** Is this an English word (Brill's lexicon, Hunspell's dictionaries with their affix rules, or its hyphenated parts)? Memoised. */
export const isKnownWord = memoised(lookUp, 200_000);

function lookUp(word: string): boolean {
  if (tagsOf(word)) return true;
  const lower = word.toLowerCase().replace(/’/g, "'");
  // Hunspell knows names only capitalised ("Paris") and other words in any case.
  if (tagsOf(lower) || inHunspell(word) || (word !== lower && inHunspell(lower))) return true;
  if (lower.includes('-')) return lower.split('-').every((part) => part.length > 0 && isKnownWord(part));
  const apostrophe = lower.indexOf("'");
  if (apostrophe <= 0) return false;
  if (lower.endsWith("n't")) return isKnownWord(lower.slice(0, -3)) || tagsOf(lower.slice(0, -3)) !== undefined;
  // A known word and an English clitic ("it's", "they're"), or an elision ("d'Orsay", "l'étude", "y'all"); a known
  // word and anything else is a corrupted word ("It’saks", "she'she'i", "The'gc").
  const [head, tail] = [lower.slice(0, apostrophe), lower.slice(apostrophe + 1)];
  return CLITIC.test(tail) ? isKnownWord(head) : ELISION.test(head) && /^[\p{L}\p{M}]+$/u.test(tail);
}

/** What English writes after an apostrophe: 's, 're, 've, 'll, 'd, 'm ('t of "n't" is looked for first). */
const CLITIC = /^(?:s|re|ve|ll|d|m)$/;
/** Elided articles and pronouns before a word: French and Italian l', d', c', j', qu', Irish O', "y'all". */
const ELISION = /^(?:[cdjlmnost]|qu|y)$/;

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';
/** Edits are looked up in Brill's word list only (a property look-up, no affix rules): cheap enough for every unknown word. */
const MIN_MISSPELT_LENGTH = 5;

/**
 * The English word one edit away inside the word (a letter dropped, added, changed or two swapped: "convice",
 * "Intellignent", "Artificiel"), if there is one: a misspelling rather than a name or a foreign word. The first and
 * last letters stay: changing them turns other words into English ones ("vlogger" → "logger", "influencer" →
 * "influence", "numpy" → "bumpy"). Words of 5+ letters only — short words are one edit from too many others.
 */
export const misspeltWordOf = memoised(oneEditFromBrill, 100_000);

function oneEditFromBrill(word: string): string | undefined {
  const w = word.toLowerCase();
  if (w.length < MIN_MISSPELT_LENGTH || !/^[a-z]+$/.test(w)) return undefined;
  const hit = (candidate: string) => candidate.length >= MIN_MISSPELT_LENGTH && own(candidate) !== undefined;
  const last = w.length - 1;
  for (let i = 1; i < last; i++) {
    const dropped = w.slice(0, i) + w.slice(i + 1);
    if (hit(dropped)) return dropped;
    if (i + 1 < last) {
      const swapped = w.slice(0, i) + w[i + 1] + w[i] + w.slice(i + 2);
      if (hit(swapped)) return swapped;
    }
  }
  for (let i = 1; i <= last; i++) {
    for (const c of LETTERS) {
      const added = w.slice(0, i) + c + w.slice(i);
      if (hit(added)) return added;
      if (i < last && c !== w[i]) {
        const changed = w.slice(0, i) + c + w.slice(i + 1);
        if (hit(changed)) return changed;
      }
    }
  }
  return undefined;
}
