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

const COARSE: Record<string, string> = {
  NN: 'NN', NNS: 'NNS', NNP: 'NNP', NNPS: 'NNP', VB: 'VB', VBD: 'VBD', VBG: 'VBG', VBN: 'VBN', VBP: 'VBP',
  VBZ: 'VBZ', JJ: 'JJ', JJR: 'JJ', JJS: 'JJ', RB: 'RB', RBR: 'RB', RBS: 'RB', RP: 'RP', CD: 'CD', MD: 'MD',
  IN: 'IN', DT: 'DT', PDT: 'DT', PRP: 'PRP', PRP$: 'PRP$', CC: 'CC', WDT: 'WH', WP: 'WH', WP$: 'WH', WRB: 'WH',
  TO: 'TO', EX: 'EX', UH: 'UH', FW: 'FW', POS: 'POS', SYM: 'X', LS: 'X',
};
