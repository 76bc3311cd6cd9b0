/**
 * A generation is a few thousand tokens at most; the judge still has to answer quickly (and in time linear in the
 * size) when handed megabytes. Past MAX_CHARS the statistical checks read evenly spaced excerpts of the text,
 * each cut at sentence or line boundaries, instead of all of it: a fault that covers the text shows in them, and
 * the byte-level debris check still reads every byte.
 */
const MAX_CHARS = 100_000;
const EXCERPTS = 25;

export interface LongTextSample { sample: string; description: string }

/** Index just after the first sentence or line end in text[from, to), or -1. */
function boundaryAfter(text: string, from: number, to: number): number {
  const m = /[.!?]["'”’)]?\s+|\n+/g;
  m.lastIndex = from;
  const hit = m.exec(text);
  return hit && hit.index < to ? hit.index + hit[0].length : -1;
}

/** Index just after the last sentence or line end in text[from, to), or -1. */
function boundaryBefore(text: string, from: number, to: number): number {
  const slice = text.slice(from, to);
  const m = /[.!?]["'”’)]?(?=\s)|\n/g;
  let last = -1;
  for (let hit = m.exec(slice); hit; hit = m.exec(slice)) last = hit.index + hit[0].length;
  return last < 0 ? -1 : from + last;
}

export function sampleLongText(text: string): LongTextSample | undefined {
  if (text.length <= MAX_CHARS) return undefined;
  const size = Math.floor(MAX_CHARS / EXCERPTS);
  const step = (text.length - size) / (EXCERPTS - 1);
  const excerpts: string[] = [];
  for (let i = 0; i < EXCERPTS; i++) {
    const from = Math.floor(i * step);
    const after = i === 0 ? 0 : boundaryAfter(text, from, from + size / 2);
    const start = after < 0 ? from : after;
    const before = boundaryBefore(text, start + size / 2, start + size);
    excerpts.push(text.slice(start, before < 0 ? start + size : before).trim());
  }
  return { sample: excerpts.join('\n\n'), description: `${EXCERPTS} evenly spaced excerpts (${MAX_CHARS.toLocaleString('en')} characters) of a ${text.length.toLocaleString('en')}-character text` };
}
