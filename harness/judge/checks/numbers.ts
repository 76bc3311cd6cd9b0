import type { JudgeContext } from '../context.ts';
import type { CheckResult } from '../types.ts';
import { pct, result } from './score.ts';

/** Below this share of word tokens (vs numbers), an output is a numeric text and judged as one. */
const NUMERIC_TEXT_WORD_SHARE = 0.25;
const MIN_NUMBERS = 8;
/** Long digit strings glued together count too: junk often runs its numbers into each other. */
const MIN_DIGITS = 30;

/**
 * Numbers-and-punctuation junk ("381 ; 22 ) 907 , 5 :"). Legitimate numeric answers (a sequence, multiples, a
 * countdown) run in one direction with one separator; junk jumps up and down and changes separators at random.
 */
export function numericJunk(ctx: JudgeContext): CheckResult {
  const numbers = ctx.tokens.filter((t) => t.kind === 'number');
  const wordCount = ctx.tokens.filter((t) => t.kind === 'word').length;
  const digits = ctx.text.match(/\p{N}/gu)?.length ?? 0;
  if ((numbers.length < MIN_NUMBERS && digits < MIN_DIGITS) || wordCount / (wordCount + numbers.length) >= NUMERIC_TEXT_WORD_SHARE) {
    return result('numeric-junk', true, 1, 'not a numeric text');
  }
  const values = numbers.map((t) => Number.parseFloat(t.text.replace(/,/g, '')));
  let up = 0;
  let down = 0;
  for (let i = 1; i < values.length; i++) {
    if ((values[i] ?? 0) > (values[i - 1] ?? 0)) up++;
    else if ((values[i] ?? 0) < (values[i - 1] ?? 0)) down++;
  }
  const monotone = 1 - Math.min(up, down) / Math.max(1, values.length - 1);
  const separators = [...ctx.text.matchAll(/\p{N}+(?:[.,:]\p{N}+)*([^\p{N}]*?)(?=\p{N})/gu)].map((m) => (m[1] ?? '').replace(/\s+/g, ' '));
  const counts = new Map<string, number>();
  for (const s of separators) counts.set(s, (counts.get(s) ?? 0) + 1);
  const consistency = Math.max(0, ...counts.values()) / Math.max(1, separators.length);
  const pass = monotone >= 0.8 && consistency >= 0.6;
  const summary = `${numbers.length} numbers: ${pct(monotone)} run in one direction (needs ≥ 80%), ${pct(consistency)} share one separator (needs ≥ 60%)`;
  return result('numeric-junk', pass, Math.min(monotone, consistency), pass ? summary : `number junk: ${summary}`);
}
