/**
 * Where two outputs part. With greedy decoding (temperature 0) the same engine and model must produce the same
 * tokens, so the first differing character is the first place worth reading: a kernel fault shows up as two
 * outputs that agree for a few words and then one turns into salad.
 */
export interface Divergence {
  /** First differing character (UTF-16 offset), equal in both texts up to here. */
  charOffset: number;
  /** 0-based index of the whitespace-separated word the offset falls in (or starts). */
  wordIndex: number;
  /** The shared text just before the divergence. */
  before: string;
  /** What each side has from the divergence on ('' when that side ended there). */
  after: [string, string];
}

/** null when the texts are identical. */
export function firstDivergence(a: string, b: string, context = 40): Divergence | null {
  if (a === b) return null;
  let i = 0;
  const n = Math.min(a.length, b.length);
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  // never split a surrogate pair: step back to its first half so both sides show whole characters
  if (i > 0 && isHighSurrogate(a.charCodeAt(i - 1))) i--;
  return { charOffset: i, wordIndex: wordIndexAt(a, b, i), before: a.slice(Math.max(0, i - context), i), after: [a.slice(i, i + context), b.slice(i, i + context)] };
}

/** The shared prefix's word count, less one when the divergence falls inside a word on either side ("Paris"/"Parisian"). */
function wordIndexAt(a: string, b: string, offset: number): number {
  const prefix = a.slice(0, offset);
  const words = prefix.match(/\S+/g)?.length ?? 0;
  const continues = (text: string) => offset < text.length && /\S/.test(text[offset]!);
  const midWord = offset > 0 && /\S/.test(prefix.at(-1)!) && (continues(a) || continues(b));
  return midWord ? words - 1 : words;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/** One line for consoles and failure messages: `char 57 (word 11): "…shared" → "this side" | "other side"`. */
export function describeDivergence(d: Divergence, names: [string, string] = ['now', 'baseline']): string {
  const show = (s: string) => (s ? JSON.stringify(s) : '(end of output)');
  return `diverges at char ${d.charOffset} (word ${d.wordIndex + 1}) after ${JSON.stringify(`…${d.before}`)}: ${names[0]} ${show(d.after[0])} | ${names[1]} ${show(d.after[1])}`;
}
