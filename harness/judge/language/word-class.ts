import { tagsOf } from './lexicon.ts';
import type { Token } from './tokens.ts';

/**
 * The class a token takes in the pair model. The most frequent English words (almost all function words: the,
 * of, and, to, which, …) are classes of their own, because word order lives in them; every other word falls
 * into a coarse part-of-speech class from the lexicon's most frequent tag; unknown words into `?` / `?Cap`.
 */
export function classOf(token: Token, frequentWords: ReadonlySet<string>): string {
  if (token.kind === 'punct') return token.punct ?? ':';
  if (token.kind === 'number') return 'CD';
  const lower = token.text.toLowerCase().replace(/’/g, "'");
  if (frequentWords.has(lower)) return `w:${lower}`;
  const tag = tagsOf(token.text)?.[0]?.split('|')[0];
  if (!tag) return /^\p{Lu}/u.test(token.text) ? '?Cap' : '?';
  return COARSE[tag] ?? 'X';
}

/**
 * Closed-class words: determiners, pronouns, prepositions, conjunctions, wh-words, modals, interjections and the auxiliaries. Word
 * order lives in them, and names are almost never spelt like them ("The", "A", "Her" inside a sentence are debris,
 * "Go", "Apple", "Swift" are names).
 */
const CLOSED_TAGS = new Set(['DT', 'IN', 'PRP', 'PRP$', 'CC', 'WH', 'TO', 'MD', 'EX', 'UH']);
const AUXILIARIES = new Set(['be', 'is', 'am', 'are', 'was', 'were', 'been', 'being', 'have', 'has', 'had', 'do', 'does', 'did', 'not']);
/** The coarse part of speech of a word as the lexicon tags it most often (undefined when it does not know it). */
export function coarseTagOf(word: string): string | undefined {
  const tag = tagsOf(word.toLowerCase())?.[0]?.split('|')[0];
  return tag === undefined ? undefined : COARSE[tag];
}

export function isClosedClass(word: string): boolean {
  const lower = word.toLowerCase();
  return AUXILIARIES.has(lower) || CLOSED_TAGS.has(coarseTagOf(lower) ?? '');
}

/**
 * Informal spellings of two words, as chat answers and dialogue write them ("you wanna know", "gotta see"): the
 * edited 1960s prose of the Brown corpus has none, so each is read as the two words it stands for.
 */
export const INFORMAL_TWO_WORDS: Readonly<Record<string, readonly [string, string]>> = {
  wanna: ['want', 'to'], gonna: ['going', 'to'], gotta: ['got', 'to'], hafta: ['have', 'to'], hasta: ['has', 'to'],
  oughta: ['ought', 'to'], usta: ['used', 'to'], tryna: ['trying', 'to'], kinda: ['kind', 'of'], sorta: ['sort', 'of'],
  outta: ['out', 'of'], lotta: ['lot', 'of'], lotsa: ['lots', 'of'], coulda: ['could', 'have'], shoulda: ['should', 'have'],
  woulda: ['would', 'have'], musta: ['must', 'have'], lemme: ['let', 'me'], gimme: ['give', 'me'], dunno: ['do', 'know'],
  betcha: ['bet', 'you'], gotcha: ['got', 'you'], whatcha: ['what', 'you'], didja: ['did', 'you'],
};

const COARSE: Record<string, string> = {
  NN: 'NN', NNS: 'NNS', NNP: 'NNP', NNPS: 'NNP', VB: 'VB', VBD: 'VBD', VBG: 'VBG', VBN: 'VBN', VBP: 'VBP',
  VBZ: 'VBZ', JJ: 'JJ', JJR: 'JJ', JJS: 'JJ', RB: 'RB', RBR: 'RB', RBS: 'RB', RP: 'RP', CD: 'CD', MD: 'MD',
  IN: 'IN', DT: 'DT', PDT: 'DT', PRP: 'PRP', PRP$: 'PRP$', CC: 'CC', WDT: 'WH', WP: 'WH', WP$: 'WH', WRB: 'WH',
  TO: 'TO', EX: 'EX', UH: 'UH', FW: 'FW', POS: 'POS', SYM: 'X', LS: 'X',
};
