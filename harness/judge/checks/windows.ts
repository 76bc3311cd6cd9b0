import { buildContext, type JudgeContext } from '../context.ts';
import { sentencesOf } from '../repetitive.ts';
import type { JudgeThresholds } from '../thresholds.ts';
import type { CheckResult } from '../types.ts';
import { dictionaryWords, functionWords } from './lexical.ts';
import { stutter } from './repetition.ts';
import { scriptMix } from './script.ts';
import { quote, result } from './score.ts';
import { wordBoundaries } from './token-boundary.ts';
import { wordOrder } from './word-order.ts';

/** Words per window: about a paragraph, enough for the statistics, small enough that one bad span dominates it. */
const WINDOW_WORDS = 50;
/** The language checks, run again on each window: a garbled or foreign stretch is diluted in a whole-text average. */
const WINDOW_CHECKS = [dictionaryWords, functionWords, wordOrder, wordBoundaries, scriptMix, stutter];

/**
 * A run-on "sentence" longer than a window is cut into windows of words: a fluent start that collapses into
 * comma-separated fragments ("known for its, known for, …") is one sentence, and would otherwise be one window.
 */
function chunksOf(sentence: string): string[] {
  const words = sentence.split(/\s+/);
  if (words.length <= WINDOW_WORDS) return [sentence];
  const chunks: string[] = [];
  for (let i = 0; i < words.length; i += WINDOW_WORDS) chunks.push(words.slice(i, i + WINDOW_WORDS).join(' '));
  return chunks;
}

/** Consecutive prose sentences grouped into windows of about WINDOW_WORDS words. */
export function proseWindows(ctx: JudgeContext): string[] {
  const out: string[] = [];
  let current: string[] = [];
  let words = 0;
  for (const line of ctx.proseText) {
    for (const sentence of sentencesOf(line).flatMap(chunksOf)) {
      current.push(sentence);
      words += sentence.match(/\S+/g)?.length ?? 0;
      if (words >= WINDOW_WORDS) { out.push(current.join(' ')); current = []; words = 0; }
    }
    if (current.length) current.push('\n');
  }
  const rest = current.join(' ').trim();
  if (rest) {
    // A short tail joins the window before it rather than being judged on a handful of words.
    if (out.length && words < WINDOW_WORDS / 2) out[out.length - 1] += ` ${rest}`;
    else out.push(rest);
  }
  return out;
}

/**
 * Faults confined to one span of otherwise fluent text (a garbled or glued stretch, a switch into another
 * language, a stuttered line): the whole-text checks average them away, so each ~50-word window is judged too
 * and the worst one is named.
 */
export function windows(ctx: JudgeContext, t: JudgeThresholds): CheckResult {
  if (ctx.proseWords.length < WINDOW_WORDS * 1.5) return result('windows', true, 1, `one window (${ctx.proseWords.length} prose words): judged as a whole`);
  const spans = proseWindows(ctx);
  let worst: { index: number; text: string; check: CheckResult } | undefined;
  spans.forEach((text, index) => {
    const wctx = { ...buildContext({ text, prompt: ctx.input.prompt }, ctx.language), window: true };
    for (const check of WINDOW_CHECKS) {
      const r = check(wctx, t);
      if (r.score < t.maxWindowScore && (!worst || r.score < worst.check.score)) worst = { index, text, check: r };
    }
  });
  if (worst) return result('windows', false, worst.check.score, `window ${worst.index + 1} of ${spans.length} ${quote(worst.text, 60)}: ${worst.check.name}: ${worst.check.reason}`);
  return result('windows', true, 1, `all ${spans.length} windows of ~${WINDOW_WORDS} words pass the language checks`);
}
