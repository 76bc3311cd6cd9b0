import { SPACE_MARKER, splitWords } from './chunking.ts';

/** llama.cpp token types (`llama_token_type` / gguf `tokenizer.ggml.token_type`). */
export const TokenType = { NORMAL: 1, UNKNOWN: 2, CONTROL: 3, BYTE: 6 } as const;

export const UNK_ID = 0;
export const BOS_ID = 1;
export const EOS_ID = 2;

/**
 * Merge priorities for llama.cpp's SentencePiece tokenizer, which repeatedly merges the highest-scoring
 * adjacent pair (the leftmost on ties). Pieces inside one word outrank pieces spanning words, so every word
 * is complete before words join; all multi-word pieces tie, so words then join strictly left to right and a
 * prompt always becomes its one whole-prompt piece, never a stray chunk from another text.
 */
const WORD_PIECE_SCORE = 0;
const PHRASE_PIECE_SCORE = -1;
const FIXED_TOKEN_SCORE = -1000;

export interface SpmVocabulary {
  tokens: string[];
  scores: number[];
  types: number[];
  /** Token id of a piece; throws for text not in the vocabulary. */
  idOf(piece: string): number;
}

/**
 * A SentencePiece-style ("llama") vocabulary in which each of `phrases` is a single token. Every
 * multi-character piece is the concatenation of two smaller pieces (llama.cpp's tokenizer can only reach a
 * piece by merging two neighbours): words grow one character at a time from their space marker, phrases one
 * word at a time. No piece ends in the space marker, and the 256 byte tokens cover any other input.
 */
export function buildSpmVocabulary(phrases: readonly string[]): SpmVocabulary {
  const tokens: string[] = ['<unk>', '<s>', '</s>'];
  const types: number[] = [TokenType.UNKNOWN, TokenType.CONTROL, TokenType.CONTROL];
  const scores: number[] = [0, 0, 0];
  const ids = new Map<string, number>();
  const add = (text: string, type: number, score: number): void => {
    if (ids.has(text)) return;
    ids.set(text, tokens.length);
    tokens.push(text);
    types.push(type);
    scores.push(score);
  };
  for (let b = 0; b < 256; b++) add(byteTokenText(b), TokenType.BYTE, FIXED_TOKEN_SCORE);

  const characters = new Set([...phrases.join('')].filter((c) => c !== SPACE_MARKER));
  for (const c of [...characters].sort()) add(c, TokenType.NORMAL, FIXED_TOKEN_SCORE);
  // A lone space marker, as in every real SentencePiece vocabulary: without it a space before a character the
  // vocabulary lacks falls back to the bytes of "▁" and comes back out as a literal U+2581, not a space.
  add(SPACE_MARKER, TokenType.NORMAL, FIXED_TOKEN_SCORE);

  for (const phrase of phrases) {
    const words = splitWords(phrase);
    for (const word of words) {
      const chars = [...word];
      // "▁w" is the first merge: a lone "▁" would be a piece ending in the space marker.
      for (let end = 2; end <= chars.length; end++) {
        add(chars.slice(0, end).join(''), TokenType.NORMAL, WORD_PIECE_SCORE);
      }
    }
    for (let end = 2; end <= words.length; end++) add(words.slice(0, end).join(''), TokenType.NORMAL, PHRASE_PIECE_SCORE);
  }

  return {
    tokens,
    scores,
    types,
    idOf(piece: string): number {
      const id = ids.get(piece);
      if (id === undefined) throw new Error(`"${piece}" is not in the vocabulary`);
      return id;
    },
  };
}

/** The text of the byte-fallback token for `byte`, e.g. `<0x0A>`. */
export function byteTokenText(byte: number): string {
  return `<0x${byte.toString(16).toUpperCase().padStart(2, '0')}>`;
}
