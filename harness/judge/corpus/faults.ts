/**
 * Fault injectors: each turns a coherent text into the kind of broken output seen from miscompiled BitNet
 * kernels. Deterministic given the random source, so the corpus can be rebuilt byte for byte.
 */
export type Rng = () => number;

/** mulberry32: tiny, seedable, good enough to shuffle fixtures. */
export function seededRng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)] as T;

export function shuffle<T>(rng: Rng, items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

const words = (text: string) => text.split(/\s+/).filter(Boolean);
const sentences = (text: string) => text.match(/[^.!?]+[.!?]+/g) ?? [text];

/** Real words, no order: the words of the text shuffled (punctuation stays on its word). */
export const saladShuffle = (text: string, rng: Rng) => shuffle(rng, words(text)).join(' ');

/** Real words, no order, no punctuation, lower case: the "the of Paris in and a blue" kind. */
export const saladBare = (text: string, rng: Rng) =>
  shuffle(rng, words(text.toLowerCase().replace(/[^\p{L}\p{N}\s'-]/gu, ' '))).join(' ');

/** Words drawn independently from a vocabulary pool, as a kernel emitting random likely tokens would. */
export const saladSampled = (pool: readonly string[]) => (text: string, rng: Rng) =>
  Array.from({ length: words(text).length }, () => pick(rng, pool)).join(' ');

/** A good start, then one short phrase forever: "…is Paris.17 + 25 equals 17 + 25 equals …". */
export function loopShort(text: string, rng: Rng): string {
  const ws = words(text);
  const start = Math.floor(rng() * Math.max(1, ws.length - 8));
  const unit = ws.slice(start, start + 2 + Math.floor(rng() * 6)).join(' ');
  const head = sentences(text)[0]?.trim() ?? '';
  return `${head}${' '.repeat(Math.floor(rng() * 2))}${Array.from({ length: 40 }, () => unit).join(' ')}`;
}

/** A long-period loop: a block of whole sentences repeated until the token limit, cut mid-block. */
export function loopLong(text: string, rng: Rng): string {
  const ss = sentences(text).map((s) => s.trim());
  // The first sentence completes the prompt's (lower-case fragment); a greedy loop repeats whole sentences after it.
  const from = Math.min(ss.length - 1, 1 + Math.floor(rng() * Math.max(1, ss.length - 3)));
  const block = ss.slice(from, from + 2 + Math.floor(rng() * 2)).join(' ');
  const copies = 3 + Math.floor(rng() * 3);
  const body = Array.from({ length: copies }, () => block).join(' ');
  return `${ss.slice(0, from).join(' ')} ${body.slice(0, body.length - Math.floor(rng() * (block.length / 2)))}`.trim();
}

/** No spaces between words (token boundaries lost), in the whole text or most of it. */
export const glued = (text: string, rng: Rng) => {
  const cut = Math.floor(text.length * rng() * 0.3);
  return text.slice(0, cut) + text.slice(cut).replace(/\s+/g, '');
};

/** Words split in the middle: a space inside many words. */
export const splitWords = (text: string, rng: Rng) =>
  text.replace(/\p{L}{5,}/gu, (w) => {
    if (rng() >= 0.45) return w;
    const at = 2 + Math.floor(rng() * (w.length - 3));
    return `${w.slice(0, at)} ${w.slice(at)}`;
  });

/** Raw tokenizer pieces: byte-level BPE or SentencePiece markers instead of spaces, byte tokens for newlines. */
export function rawPieces(text: string, rng: Rng): string {
  const style = pick(rng, ['gpt2', 'spm', 'bytes'] as const);
  if (style === 'gpt2') return text.replace(/ /g, 'Ġ').replace(/\n/g, 'Ċ');
  if (style === 'spm') return text.replace(/ /g, '▁').replace(/\n/g, '<0x0A>');
  return text.replace(/\n/g, '<0x0A>').replace(/ (\p{L})/gu, (m, c: string) => (rng() < 0.25 ? ` <unk>${c}` : m));
}

/** Broken byte decoding: U+FFFD replacement characters or UTF-8 read as Latin-1. */
export function byteJunk(text: string, rng: Rng): string {
  if (rng() < 0.5) return text.replace(/\p{L}{4,}/gu, (w) => (rng() < 0.2 ? `${w.slice(0, 2)}\uFFFD\uFFFD${w.slice(3)}` : w));
  const asLatin1 = (s: string) => Buffer.from(s, 'utf8').toString('latin1');
  return text.replace(/[ '\-]/g, (c) => (rng() < 0.1 ? asLatin1(pick(rng, ['’', '—', 'é', '“'])) : c));
}

const CYRILLIC_LOOKALIKE: Record<string, string> = { a: 'а', e: 'е', o: 'о', p: 'р', c: 'с', x: 'х', y: 'у' };

/** Letters swapped for another script inside words ("рабоta"). */
export const mixedScriptWords = (text: string, rng: Rng) =>
  text.replace(/\p{L}{4,}/gu, (w) => (rng() < 0.3 ? w.replace(/[aeopcxy]/g, (c) => (rng() < 0.6 ? CYRILLIC_LOOKALIKE[c] ?? c : c)) : w));

/** Starts well, then switches into another language or script mid-way. */
export const switchLanguage = (foreign: readonly string[]) => (text: string, rng: Rng) => {
  const ss = sentences(text);
  const keep = Math.max(1, Math.floor(ss.length * (0.2 + rng() * 0.3)));
  return `${ss.slice(0, keep).join('').trim()} ${shuffle(rng, foreign).slice(0, 4).join(' ')}`;
};

/** Multilingual token soup: subword fragments from several scripts. */
export const tokenSoup = (fragments: readonly string[]) => (text: string, rng: Rng) =>
  Array.from({ length: Math.min(120, words(text).length) }, () => pick(rng, fragments)).join(rng() < 0.5 ? ' ' : '');

/** Numbers and punctuation junk instead of text. */
export const numberJunk = (text: string, rng: Rng) =>
  Array.from({ length: Math.min(150, words(text).length) }, () => (rng() < 0.6 ? String(Math.floor(rng() * 1000)) : pick(rng, ['.', ',', ';', ')', '(', ':', '-', '/', '%', '=']))).join(pick(rng, [' ', '']));
