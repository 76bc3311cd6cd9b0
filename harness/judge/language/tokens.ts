/**
 * Tokenisation shared by the checks and by the pair-model builder, so that the model is trained on exactly the
 * tokens it later scores. Words keep inner apostrophes and hyphens ("don't", "well-known"); punctuation marks
 * become their own tokens, folded into a few classes that matter for word order.
 */

export type PunctClass = '.' | ',' | ':' | '(' | ')' | '"';

export interface Token {
  text: string;
  kind: 'word' | 'number' | 'punct';
  /** Set for punctuation: its class. */
  punct?: PunctClass;
}

const TOKEN_RE = /(\p{N}+(?:[.,:]\p{N}+)*%?)|([\p{L}\p{M}]+(?:['’\-][\p{L}\p{M}]+)*)|([.!?]+)|[,;:()[\]"“”]|``|''|--|—/gu;

const PUNCT_CLASS: Record<string, PunctClass> = {
  ',': ',', ';': ':', ':': ':', '--': ':', '—': ':', '(': '(', '[': '(', ')': ')', ']': ')',
  '"': '"', '“': '"', '”': '"', '``': '"', "''": '"',
};

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  for (const match of text.matchAll(TOKEN_RE)) {
    const t = match[0];
    if (match[1]) tokens.push({ text: t, kind: 'number' });
    else if (match[2]) tokens.push({ text: t, kind: 'word' });
    else tokens.push({ text: t, kind: 'punct', punct: match[3] ? '.' : (PUNCT_CLASS[t] ?? ':') });
  }
  return tokens;
}

/** Word tokens only (letters), in order. */
export function words(text: string): string[] {
  return tokenize(text).filter((t) => t.kind === 'word').map((t) => t.text);
}
