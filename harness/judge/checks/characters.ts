import type { JudgeContext } from '../context.ts';
import type { JudgeThresholds } from '../thresholds.ts';
import type { CheckResult } from '../types.ts';
import { isKnownWord } from '../language/lexicon.ts';
import { scriptOf } from '../language/scripts.ts';
import { pct, quote, result, scoreAtLeast, scoreAtMost } from './score.ts';

/** Something was generated at all, and it contains letters or digits. */
export function nonEmpty(ctx: JudgeContext): CheckResult {
  const trimmed = ctx.text.trim();
  if (!trimmed) return result('non-empty', false, 0, 'empty generation: the output has no visible characters');
  if (!/[\p{L}\p{N}]/u.test(trimmed)) return result('non-empty', false, 0, `no letters or digits at all: ${quote(trimmed)}`);
  return result('non-empty', true, 1, `${ctx.tokens.length} tokens generated`);
}

const MAX_CJK_RUN = 4;

/** Decorative rules are legitimately long runs of one symbol. */
const RULE_CHARS = new Set(['-', '=', '_', '*', '#', '.', '~', '`', ' ', '\t', '\n', '\r', '─', '═']);

/** One character hammered ("GGGGGGGG", "!!!!!!!!", "@ @ @ @") or symbol junk instead of text. */
export function characterJunk(ctx: JudgeContext, t: JudgeThresholds): CheckResult {
  const chars = ctx.text.replace(/\s+/g, '');
  if (chars.length === 0) return result('character-junk', true, 1, 'no characters to judge');
  const run = longestRun(withoutElongations(ctx.text));
  const isLetter = /\p{L}/u.test(run.char);
  // A CJK character is a word or a syllable: four in a row ("めめめめ") is a stutter, not a spelling.
  const runLimit = scriptOf(run.char) === 'CJK' ? MAX_CJK_RUN : isLetter ? t.maxLetterRun : t.maxSymbolRun;
  if (!RULE_CHARS.has(run.char) && run.length >= runLimit) {
    return result('character-junk', false, scoreAtMost(run.length, runLimit, 1), `one character repeated: '${run.char}' ×${run.length} in a row (limit ${runLimit - 1})`);
  }
  const cycle = longestCycle(ctx.rawTokens);
  const letters = chars.match(/\p{L}/gu)?.length ?? 0;
  if (cycle && (cycle.length >= MIN_CYCLE_CHARS || cycle.length >= letters * MIN_CYCLE_SHARE)) {
    return result('character-junk', false, 0.2, `character cycle: ${quote(cycle, 30)} (${cycle.length} characters, ${pct(cycle.length / Math.max(1, letters))} of the letters)`);
  }
  const wrongClosers = mismatchedBrackets(ctx.text);
  if (wrongClosers >= MIN_MISMATCHED_BRACKETS) {
    return result('character-junk', false, 0.3, `garbled brackets: ${wrongClosers} closing brackets close an opener of another kind ('(' … ']'), which neither code nor prose does`);
  }
  // A Markdown table's pipes and |---| rows are layout, not symbols the model babbled.
  const tableFree = ctx.text.replace(/^\s*\|?(?:\s*:?-{3,}:?\s*\|)+\s*:?-*:?\s*$/gm, '').replace(/\|/g, '').replace(/\s+/g, '');
  const symbols = (tableFree.match(/[^\p{L}\p{M}\p{N}]/gu)?.length ?? 0) / Math.max(1, tableFree.length);
  if (chars.length >= 10 && symbols > t.maxSymbolShare) {
    return result('character-junk', false, scoreAtMost(symbols, t.maxSymbolShare, 0.1), `symbol junk: ${pct(symbols)} of characters are neither letters nor digits (limit ${pct(t.maxSymbolShare)})`);
  }
  const counts = new Map<string, number>();
  for (let i = 0; i < chars.length; i++) { const c = chars[i] as string; counts.set(c, (counts.get(c) ?? 0) + 1); }
  const [topChar, topCount] = [...counts].sort((a, b) => b[1] - a[1])[0] ?? ['', 0];
  const topShare = topCount / chars.length;
  if (chars.length >= 10 && topShare > t.maxTopCharShare) {
    return result('character-junk', false, scoreAtMost(topShare, t.maxTopCharShare, 0.12), `one character dominates: '${topChar}' is ${pct(topShare)} of all characters (limit ${pct(t.maxTopCharShare)})`);
  }
  return result('character-junk', true, Math.min(scoreAtMost(symbols, t.maxSymbolShare, 0.1), scoreAtMost(topShare, t.maxTopCharShare, 0.12)),
    `character mix is normal: ${pct(symbols)} symbols, most frequent '${topChar}' ${pct(topShare)}, longest run ${run.length}`);
}

/**
 * A shouted or drawn-out word ("Nooooooooo!", "GIRAAAFFFFFFFFF!!!") is spelling for effect, not a kernel
 * hammering one token: a run of under 16 after a word's start holding a vowel. A text may have one or two; more, or
 * a run standing alone ("GGGGGGGG"), is still junk.
 */
const ELONGATION = /(?<!\p{L})(\p{L}{2,}?)(\p{L})\2{6,14}(?!\2)/gu;
const MAX_ELONGATIONS = 2;
function withoutElongations(text: string): string {
  let count = 0;
  const collapsed = text.replace(ELONGATION, (match, start: string, letter: string) => {
    if (!/[aeiouy]/i.test(start)) return match;
    count++;
    return `${start}${letter}${letter}`;
  });
  return count <= MAX_ELONGATIONS ? collapsed : text;
}

const CLOSES: Readonly<Record<string, string>> = { ')': '(', ']': '[', '}': '{' };
/** One wrong closer may be a typo; two are a generator that does not track what it opened. */
const MIN_MISMATCHED_BRACKETS = 2;

/**
 * Closing brackets whose innermost open bracket is of another kind ("(input has a class]", "(item}"). Code and prose
 * nest their brackets; a cut-off output leaves some open and a continuation may close what the prompt opened, but
 * neither closes the wrong kind. Quoted strings and `code spans` are left out (a regex may hold "[(]").
 */
function mismatchedBrackets(text: string): number {
  const bare = text.replace(/"(?:[^"\\\n]|\\.)*"|`[^`\n]*`/g, '""');
  const open: string[] = [];
  let wrong = 0;
  for (const c of bare) {
    if (c === '(' || c === '[' || c === '{') open.push(c);
    const opener = CLOSES[c];
    if (!opener || !open.length) continue;
    if (open[open.length - 1] === opener) { open.pop(); continue; }
    wrong++;
    const match = open.lastIndexOf(opener);
    if (match >= 0) open.length = match;
  }
  return wrong;
}

function longestRun(text: string): { char: string; length: number } {
  let best = { char: '', length: 0 };
  let current = { char: '', length: 0 };
  for (const c of text) {
    current = c === current.char ? { char: c, length: current.length + 1 } : { char: c, length: 1 };
    if (current.length > best.length && !/\s/.test(c)) best = current;
  }
  return best;
}

/**
 * A unit of 2–4 letters repeated 5+ times inside one token ("RTRTRTRTRT"), laughter ("hahaha") excepted. It is
 * junk when long (20+ characters) or a tenth of the letters: a text may quote a short one ("ÿþÿþÿþÿþ").
 */
const MIN_CYCLE_CHARS = 20;
const MIN_CYCLE_SHARE = 0.1;

function longestCycle(tokens: readonly string[]): string | undefined {
  let best: string | undefined;
  for (const token of tokens) {
    if (token.length < 10) continue;
    const m = /(\p{L}{2,4}?)\1{4,}/u.exec(token);
    // A unit of one letter ("OO") is a run, judged as one above; laughter is not junk.
    if (m && !/^h[aeiou]$/i.test(m[1]!) && !/^(\p{L})\1+$/u.test(m[1]!) && !isKnownWord(token) && m[0].length > (best?.length ?? 0)) best = m[0];
  }
  return best;
}

