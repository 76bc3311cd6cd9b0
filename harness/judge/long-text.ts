/**
 * A generation is a few thousand tokens at most; the judge still has to answer quickly (and in time linear in the
 * size) when handed megabytes. Past MAX_CHARS the statistical checks read evenly spaced excerpts of the text
 * (whole lines where possible) instead of all of it: a fault that covers the text shows in them, and the
 * byte-level debris check still reads every byte.
 */
const MAX_CHARS = 200_000;
const EXCERPTS = 40;

export interface LongTextSample { sample: string; description: string }

export function sampleLongText(text: string): LongTextSample | undefined {
  if (text.length <= MAX_CHARS) return undefined;
  const size = Math.floor(MAX_CHARS / EXCERPTS);
  const step = (text.length - size) / (EXCERPTS - 1);
  const excerpts: string[] = [];
  for (let i = 0; i < EXCERPTS; i++) {
    const from = Math.floor(i * step);
    let start = i === 0 ? 0 : text.indexOf('\n', from) + 1;
    if (start <= 0 || start - from > size / 2) start = text.indexOf(' ', from) + 1 || from;
    let end = text.lastIndexOf('\n', start + size);
    if (end <= start + size / 2) end = text.lastIndexOf(' ', start + size);
    excerpts.push(text.slice(start, end > start ? end : start + size));
  }
  return { sample: excerpts.join('\n\n'), description: `${EXCERPTS} evenly spaced excerpts (${MAX_CHARS.toLocaleString('en')} characters) of a ${text.length.toLocaleString('en')}-character text` };
}
