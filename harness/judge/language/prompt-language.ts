import { createRequire } from 'node:module';
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
export function lettersPerWord(char: string, script: string): number {
  if (script === 'Thai') return 3;
  if (script !== 'CJK') return 5;
  return /\p{Script=Han}/u.test(char) ? 1.5 : 3;
}
/** A script holding this share of the prompt's (weighted) letters is one the continuation may use. */
const MIN_PROMPT_SCRIPT_SHARE = 0.2;
/** A Latin prompt of this many words with not one common English word (the, of, is, …) is in another language. */
const MIN_WORDS_FOR_LANGUAGE = 3;

/**
 * Common function words of other Latin-script languages (German, Dutch, French, Spanish, Italian, Portuguese,
 * Scandinavian) that English never writes: a text where they outnumber English's is fluent in another language.
 */
const OTHER_LATIN_FUNCTION_WORDS = new Set((
  'der das und ist nicht mit sich des auf für von dem den ein eine einer einen zu im auch als wird sind wurde werden nach bei aus oder wie noch über vom zum zur ich wir sie nur schon kann haben hat durch um es '
  + 'het een van en op naar voor niet zijn werd door ook aan er deze wordt worden maar dat wat om '
  + 'le la les du une et est dans pour pas qui que sur avec ce cette il elle ils sont au aux par plus ne nous vous je mais ou '
  + 'el los las del y con por para una lo se su sus como más pero al está '
  + 'di che è della per non gli nel alla sono '
  + 'os da dos das em um não é na och att är som på inte jag ett til af og er'
).split(' '));

/**
 * Stop words of every Latin-script language in npm `stopwords-iso` (English left out): "quand", "étaient", "también",
 * Basque "eta". A word counts for another language only when English does not know it ("die",
 * "also", "son" are English too). Short plain ones ("ma", "con", "si") are left to the list above: words split
 * into fragments ("ma ch ine", "con tai ns") are full of them. Loaded on first use.
 */
let foreignStopWords: ReadonlySet<string> | undefined;
function isForeignStopWord(lower: string): boolean {
  foreignStopWords ??= new Set(Object.entries(createRequire(import.meta.url)('stopwords-iso') as Record<string, string[]>)
    .filter(([lang]) => lang !== 'en')
    .flatMap(([, list]) => list.filter((w) => /^[\p{Script=Latin}\p{M}'-]+$/u.test(w) && (w.length >= 4 || /[^a-z]/.test(w)))));
  return foreignStopWords.has(lower) && !isKnownWord(lower);
}

/**
 * Function words English shares with other Latin-script languages ("a" is Italian, Spanish and Portuguese for
 * "to"/"at" too): evidence for neither language ("A volte, ho creduto a sei…" is Italian).
 */
const SHARED_FUNCTION_WORDS = new Set(['a']);

/** How many of these words are function words of English, and how many of another Latin-script language. */
function functionWordCounts(words: readonly string[]): { english: number; other: number } {
  let english = 0;
  let other = 0;
  for (const w of words) {
    const folded = w.toLowerCase();
    const lower = folded.includes('’') ? folded.replace(/’/g, "'") : folded;
    if (SHARED_FUNCTION_WORDS.has(lower)) continue;
    if (OTHER_LATIN_FUNCTION_WORDS.has(lower)) other++;
    else if (isFrequentWord(lower)) english++;
    else if (isForeignStopWord(lower)) other++;
  }
  return { english, other };
}

/**
 * An answer this short may be one sentence (a translation of one is often 11–19 words): a single stop word of its
 * language is evidence.
 */
const SHORT_ANSWER_WORDS = 20;

/** Function words are a third to a half of any prose; a text with fewer of another language's is not in it. */
const MIN_FUNCTION_WORD_SHARE = 0.1;
/** Letter noise ("eenu u- nol b m=&o") is a third single letters; languages have a few (a, y, à, e, o). */
const MAX_SINGLE_LETTER_SHARE = 0.15;
const readsAsWords = (words: readonly string[]) => words.filter((w) => w.length === 1).length <= words.length * MAX_SINGLE_LETTER_SHARE;

/**
 * A clause (4+ words between punctuation) that reads as English: more English function words than another
 * language's, and 80% English words. Text in another language with an English stretch in it ("The capital of France
 * is Paris, y es una ciudad muy bonita") is a switch, so it stays with the English checks, which find the switch.
 */
const MIN_ENGLISH_CLAUSE_KNOWN = 0.8;
function hasEnglishClause(text: string): boolean {
  return text.split(/[.!?;:,\n]+/).some((clause) => {
    const words = latinWordsOf(clause);
    if (words.length < 4) return false;
    const counts = functionWordCounts(words);
    return counts.english > counts.other && words.filter((w) => isKnownWord(w)).length >= words.length * MIN_ENGLISH_CLAUSE_KNOWN;
  });
}

/** Latin words of a text or prompt. */
const latinWordsOf = (text: string) => text.match(/\p{Script=Latin}+(?:['’]\p{Script=Latin}+)*/gu) ?? [];

/**
 * The language a continuation is judged in: its own. Fluent text in any one language or script is coherent (a
 * Chinese answer to an English question, an English or German translation of a Chinese prompt); what is broken is a
 * switch *inside* the output, so the text's dominant script is expected and other scripts are measured against it.
 * The English-only checks apply to Latin text when another language's function words are a tenth of the words and no clause reads
 * as English (an English stretch among foreign ones is a switch, which the English checks find), or a
 * non-English prompt is answered by text with no English function word.
 */
export function expectedLanguage(prompt: string | undefined, text = ''): ExpectedLanguage {
  const words = naturalText(prompt ?? '');
  const own = scriptWeights(text);
  const main = [...own].sort((a, b) => b[1] - a[1])[0]?.[0];
  if (!main) return expectedFromPrompt(words);
  const fromPrompt = words ? expectedFromPrompt(words) : undefined;
  const scripts = new Set([main]);
  if (main !== 'Latin') return { scripts, english: false };
  const latin = latinWordsOf(text);
  const counts = functionWordCounts(latin);
  if (counts.other >= 3 && counts.other >= latin.length * MIN_FUNCTION_WORD_SHARE && readsAsWords(latin) && !hasEnglishClause(text)) return { scripts, english: false };
  if (fromPrompt && !fromPrompt.english && fromPrompt.scripts.has('Latin') && counts.english === 0) return { scripts, english: false };
  // Asked for a translation or another language ("Translate to Dutch"), a short answer with that language's stop
  // words and no English clause ("Het weer is vandaag mooi.") is in it; unasked, two such words and no English one.
  const asked = TRANSLATION_CUE.test(words);
  if (latin.length < SHORT_ANSWER_WORDS && !hasEnglishClause(text) && ((asked && counts.other >= 1 && counts.other >= counts.english) || (counts.other >= 2 && counts.english === 0))) return { scripts, english: false };
  return { scripts, english: true };
}

/** What a prompt's own words say: its scripts, and whether its Latin words are English. */
function expectedFromPrompt(words: string): ExpectedLanguage {
  const weights = scriptWeights(words);
  const total = [...weights.values()].reduce((a, b) => a + b, 0);
  if (total === 0) return { scripts: new Set(['Latin']), english: true };
  // A script the prompt writes whole words in (2+), or a fair share of its letters, is one the answer may use too.
  const scripts = new Set([...weights].filter(([, w]) => w / total >= MIN_PROMPT_SCRIPT_SHARE || w >= 2).map(([s]) => s));
  const latinWords = latinWordsOf(words);
  // One or two words ("hi", "Lorem ipsum") are English when they are English words; more when a common one is there.
  const englishWords = latinWords.length < MIN_WORDS_FOR_LANGUAGE ? latinWords.every((w) => isKnownWord(w)) : latinWords.some((w) => isFrequentWord(w));
  return { scripts, english: scripts.has('Latin') && englishWords };
}

/** Letters weighted to about one per word: a CJK character is a word, an alphabetic word about five letters. */
export function scriptWeights(text: string): Map<string, number> {
  const weights = new Map<string, number>();
  // ASCII letters (most of any text) are summed without a Map update or a string per character; the Latin entry
  // still takes its place in the Map at the first Latin letter, as the order breaks ties between scripts.
  let latin = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 128) {
      if ((code >= 65 && code <= 90) || (code >= 97 && code <= 122)) latin = addLatin(weights, latin);
      continue;
    }
    const c = String.fromCodePoint(text.codePointAt(i) ?? code);
    i += c.length - 1;
    const s = scriptOf(c);
    if (s === 'Latin') latin = addLatin(weights, latin);
    else if (s) weights.set(s, (weights.get(s) ?? 0) + 1 / lettersPerWord(c, s));
  }
  if (weights.has('Latin')) weights.set('Latin', latin);
  return weights;
}

const LATIN_LETTER_WEIGHT = 1 / lettersPerWord('a', 'Latin');
function addLatin(weights: Map<string, number>, latin: number): number {
  if (latin === 0) weights.set('Latin', 0);
  return latin + LATIN_LETTER_WEIGHT;
}

/** The prompt without special tokens and chat-template markers: what a person wrote. */
function naturalText(prompt: string): string {
  return prompt.replace(/<\|[^|>]{1,40}\|>|<\/?s>|<\/?[a-z_]{1,20}>|\[\/?INST\]/g, ' ').trim();
}

/** Words that say a text is or holds a translation, or name the language of a passage (or of a transliteration). */
export const TRANSLATION_CUE = /\b(?:translat\w*|traduc\w*|übersetz\w*|french|spanish|german|italian|portuguese|dutch|swedish|norwegian|danish|finnish|polish|czech|romanian|hungarian|turkish|indonesian|malay|tagalog|swahili|catalan|basque|latin|esperanto|japanese|chinese|mandarin|cantonese|korean|russian|ukrainian|greek|arabic|hebrew|hindi|thai|vietnamese|persian|français|español|deutsch|italiano|português)\b/i;

/**
 * A paragraph written in another Latin-script language: its stop words are another language's, English function
 * words are few, and no clause reads as English. An English answer that gives a translation or quotes a passage
 * holds such paragraphs whole; a broken model switches inside a sentence (which stays judged).
 */
export function isForeignParagraph(line: string): boolean {
  const words = latinWordsOf(line);
  if (words.length < 4) return false;
  const counts = functionWordCounts(words);
  return counts.other >= 2 && counts.english * 4 <= counts.other && readsAsWords(words) && !hasEnglishClause(line);
}
