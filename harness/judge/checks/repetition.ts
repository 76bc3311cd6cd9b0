import { deflateRawSync } from 'node:zlib';
import type { JudgeContext } from '../context.ts';
import { isKnownWord } from '../language/lexicon.ts';
import type { JudgeThresholds } from '../thresholds.ts';
import type { CheckResult } from '../types.ts';
import { pct, quote, result, scoreAtLeast, scoreAtMost } from './score.ts';

/** Longest period searched, in tokens: a loop of one long paragraph still shows within 500 tokens. */
const MAX_PERIOD = 250;
/** A unit this long, repeated twice and still repeating when the output stops, is a loop the model never left. */
const MIN_TERMINAL_LOOP_PERIOD = 6;

interface Loop { start: number; period: number; length: number }

/**
 * Back-to-back repeats of one unit ("17 + 25 equals 17 + 25 equals …", or a whole paragraph again and again).
 * A run where token[i] = token[i + p] for L tokens holds (L + p) / p copies of a p-token unit; short units must
 * appear 3 times, units of 20+ tokens twice, and units of 6+ tokens twice when the repeats run to the end of the
 * output: under greedy decoding a model that is still copying itself when the token limit hits never escapes.
 * Legitimate repetition (lists, refrains, sequences) varies its items or moves on.
 */
export function findLoops(words: readonly string[], minSpan: number): { covered: number; biggest?: Loop } {
  const ids = new Map<string, number>();
  const tokens = Int32Array.from(words, (w) => { let id = ids.get(w); if (id === undefined) ids.set(w, (id = ids.size)); return id; });
  const covered = new Uint8Array(tokens.length);
  let biggest: Loop | undefined;
  for (let p = 1; p <= Math.min(MAX_PERIOD, tokens.length >> 1); p++) {
    let run = 0;
    for (let i = 0; i + p <= tokens.length; i++) {
      if (i + p < tokens.length && tokens[i] === tokens[i + p]) { run++; continue; }
      const span = run + p;
      const copies = span / p;
      const terminal = i + p >= tokens.length && p >= MIN_TERMINAL_LOOP_PERIOD;
      if (span >= minSpan && copies >= (p >= 20 || terminal ? 2 : 3)) {
        const start = i - run;
        covered.fill(1, start, start + span);
        if (!biggest || span > biggest.length) biggest = { start, period: p, length: span };
      }
      run = 0;
    }
  }
  return { covered: covered.reduce((a, b) => a + b, 0), biggest };
}

export function repetitionLoop(ctx: JudgeContext, t: JudgeThresholds): CheckResult {
  const tokens = ctx.rawTokens.map((tok) => tok.toLowerCase());
  if (tokens.length < t.minLoopSpanTokens) return result('repetition-loop', true, 1, `too short for a loop (${tokens.length} tokens)`);
  const { covered, biggest } = findLoops(tokens, t.minLoopSpanTokens);
  const share = covered / tokens.length;
  const score = scoreAtMost(share, t.maxLoopCoverage, 0);
  if (share > t.maxLoopCoverage && biggest) {
    const unit = ctx.rawTokens.slice(biggest.start, biggest.start + biggest.period).join(' ');
    return result('repetition-loop', false, score, `loop: ${pct(share)} of the text is back-to-back repeats (limit ${pct(t.maxLoopCoverage)}); e.g. the ${biggest.period}-token unit ${quote(unit)} ×${(biggest.length / biggest.period).toFixed(1)}`);
  }
  return result('repetition-loop', true, score, `${pct(share)} of tokens in back-to-back repeats (limit ${pct(t.maxLoopCoverage)})`);
}

/** Repetition that is not back-to-back: few distinct 4-grams, or text that compresses like a loop. */
export function diversity(ctx: JudgeContext, t: JudgeThresholds): CheckResult {
  const tokens = ctx.rawTokens.map((tok) => tok.toLowerCase());
  const grams = new Set<string>();
  for (let i = 0; i + 4 <= tokens.length; i++) grams.add(tokens.slice(i, i + 4).join(' '));
  const distinct4 = tokens.length >= 50 ? grams.size / (tokens.length - 3) : 1;
  const bytes = Buffer.byteLength(ctx.text);
  const ratio = bytes >= 400 ? deflateRawSync(ctx.text).length / bytes : 1;
  const score = Math.min(scoreAtLeast(distinct4, t.minDistinct4, 1), scoreAtLeast(ratio, t.minCompressionRatio, 0.45));
  if (distinct4 < t.minDistinct4) return result('diversity', false, score, `repetitive: only ${pct(distinct4)} of 4-token sequences are distinct (needs ≥ ${pct(t.minDistinct4)})`);
  if (ratio < t.minCompressionRatio) return result('diversity', false, score, `repetitive: the text compresses to ${pct(ratio)} of its size (needs ≥ ${pct(t.minCompressionRatio)}; prose is ~45%)`);
  return result('diversity', true, score, `distinct 4-grams ${pct(distinct4)}, compression ratio ${pct(ratio)}`);
}

/**
 * Stutter: each word emitted twice or more ("TheThe answer answer to to", "imersimersimers"), a token-level fault
 * (duplicated KV-cache steps, a broken sampler) that loops of 12+ tokens miss. English doubles a word only rarely
 * ("had had"), and real words that look doubled ("couscous", "tutu") are in the lexicon.
 */
export function stutter(ctx: JudgeContext, t: JudgeThresholds): CheckResult {
  let units = 0;
  let repeats = 0;
  const examples: string[] = [];
  const words = ctx.rawTokens.map((tok) => tok.toLowerCase());
  words.forEach((w, i) => {
    if (!/^\p{L}+$/u.test(w)) return;
    const copies = selfRepeats(w);
    units += copies;
    const doubled = w === words[i - 1];
    if (copies > 1 || doubled) { repeats += copies - 1 + (doubled ? 1 : 0); if (examples.length < 3) examples.push(doubled ? `${w} ${w}` : w); }
  });
  const share = repeats / Math.max(1, units);
  const score = scoreAtMost(share, t.maxStutterShare, 0);
  const run = longestWordRun(words);
  if (run.length >= MAX_WORD_RUN && !INTERJECTIONS.has(run.word)) return result('stutter', false, 0.2, `stutter: '${run.word}' ${run.length} times in a row`);
  if (repeats >= 3 && share > t.maxStutterShare) return result('stutter', false, score, `stutter: ${pct(share)} of words are immediate repeats of the word before (limit ${pct(t.maxStutterShare)}); e.g. ${examples.map((e) => quote(e, 30)).join(', ')}`);
  return result('stutter', true, score, `${repeats} immediately repeated words (${pct(share)}, limit ${pct(t.maxStutterShare)})`);
}

/**
 * How many back-to-back copies of a unit of 2+ letters make up this unknown word ("imersimers" → 2), else 1. One
 * letter hammered ("GGGG") is left to the character-junk check.
 */
function selfRepeats(word: string): number {
  if (word.length < 4 || isKnownWord(word) || /^(.)\1*$/u.test(word)) return 1;
  for (let p = 2; p <= word.length / 2; p++) {
    if (word.length % p !== 0) continue;
    const unit = word.slice(0, p);
    if (unit.repeat(word.length / p) === word) return word.length / p;
  }
  return 1;
}

/** One word this many times in a row ("named named named named") is a stutter, whatever its share of the text. */
const MAX_WORD_RUN = 4;
/** Words people do say over and over ("no no no no", "ha ha ha ha"). */
const INTERJECTIONS = new Set(['ha', 'he', 'hi', 'ho', 'la', 'na', 'no', 'yes', 'yeah', 'oh', 'ah', 'go', 'very', 'so', 'more', 'please', 'tick', 'tock', 'blah', 'bye', 'knock', 'hey', 'run', 'really']);

function longestWordRun(words: readonly string[]): { word: string; length: number } {
  let best = { word: '', length: 0 };
  let length = 0;
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    length = i > 0 && w === words[i - 1] ? length + 1 : 1;
    if (length > best.length && /^\p{L}+$/u.test(w)) best = { word: w, length };
  }
  return best;
}
