import type { JudgeContext } from '../context.ts';
import type { JudgeThresholds } from '../thresholds.ts';
import type { CheckResult } from '../types.ts';
import { pct, quote, result } from './score.ts';
import { STRING_LITERAL } from './special-tokens.ts';

/** Share of punctuation marks written with a space before them beyond which the text is tokens, not writing. */
const MAX_SPACED_PUNCT_SHARE = 0.3;
const MIN_SPACED_PUNCT = 3;
/** Small letters standing alone in a row ("a r m o r"): English has "a" and "I", never five running (capitals may be grades, options, vitamins). */
const MIN_SPACED_LETTERS = 5;

/**
 * Text printed token by token with a space between every token: "I ' m sorry , but" (spaced punctuation and
 * apostrophes, a detokenizer missing) or "a r m o r" (spaced characters, in prose or in a string of code or JSON).
 * Code and tables are otherwise left out; French spaces before ! ? ; : are normal there, so only , . and
 * apostrophes count unless the prompt is English.
 */
export function spacing(ctx: JudgeContext, t: JudgeThresholds): CheckResult {
  void t;
  const prose = ctx.proseText.join('\n');
  const marks = ctx.language.english ? /[,.!?;:]/g : /[,.]/g;
  const spacedMark = ctx.language.english ? /\p{L}\s+[,.!?;:](?=\s|$)/gu : /\p{L}\s+[,.](?=\s|$)/gu;
  const total = prose.match(marks)?.length ?? 0;
  const spaced = (prose.match(spacedMark)?.length ?? 0) + (prose.match(/\p{L}(?:\s+['’]\s*|['’]\s+)(?:s|t|m|d|re|ve|ll)\b/giu)?.length ?? 0);
  if (spaced >= MIN_SPACED_PUNCT && spaced / Math.max(1, total) > MAX_SPACED_PUNCT_SHARE) {
    const example = /\S+\s+['’,.!?;:]\s*\S+/u.exec(prose)?.[0] ?? '';
    return result('spacing', false, 0.3, `tokens printed apart: ${spaced} punctuation marks or apostrophes stand apart from their word (${pct(spaced / Math.max(1, total))} of them, limit ${pct(MAX_SPACED_PUNCT_SHARE)}); e.g. ${quote(example, 30)}`);
  }
  const glued = gluedKeywordLines(ctx.text);
  if (glued.length >= MIN_GLUED_KEYWORD_LINES) return result('spacing', false, 0.3, `spaces missing in code: ${glued.length} lines glue a keyword to its string (${glued.slice(0, 2).map((l) => quote(l, 30)).join(', ')}), as a detokenizer that drops spaces does`);
  // Strings in code and JSON are written text too ("a r m o r": "plat e" from a guided JSON decoder): looked at with the prose.
  const strings = (ctx.text.match(STRING_LITERAL) ?? []).map((literal) => literal.slice(1, -1));
  const letters = new RegExp(`(?:^|\\s)((?:\\p{Ll}\\s){${MIN_SPACED_LETTERS - 1},}\\p{Ll})(?=\\s|$|[.,!?])`, 'u').exec([prose, ...strings].join('\n'));
  if (letters) return result('spacing', false, 0.3, `characters printed apart: ${quote(letters[1]!, 30)}`);
  return result('spacing', true, 1, `${spaced} of ${total} punctuation marks stand apart`);
}

/**
 * A statement keyword glued to the string it takes ("import'package:flutter/material.dart';", 'from"os"'): every
 * style guide and formatter puts a space there, and a prefix letter (f'…', r"…", b'…') is never such a keyword, so
 * lines of it are a detokenizer dropping spaces. Two lines, since one may be a typo.
 */
const GLUED_KEYWORD = /^\s*(?:import|from|export|package|include|require|using|return|echo|print)["']/;
const MIN_GLUED_KEYWORD_LINES = 2;
function gluedKeywordLines(text: string): string[] {
  return text.split('\n').filter((line) => GLUED_KEYWORD.test(line)).map((line) => line.trim());
}

/** Sentence marks before a small letter ("I! can! write!!!! normally") this often, and for this share of the marks. */
const MIN_MARKS_BEFORE_LOWER = 3;
const MIN_MARKS_BEFORE_LOWER_SHARE = 0.4;
/**
 * A word in small letters, a mark that ends a sentence, then a word in small letters on the same line: the sentence
 * did not end. Names and interjections that carry a '!' ("Yahoo! search", "Oh! what") are capitalised.
 */
const MARK_BEFORE_LOWER = /(?<!\p{L})\p{Ll}+[!?]+(?=[ \t]+\p{Ll})/gu;
/** Brackets and quotes: a line of them with commas ("},", ', "b": 2') is data or code written without a fence. */
const CODE_MARKS = /[[\](){}<>"'`]/;
/** Marks that contradict each other ("Yes,!!", "today!,"): a comma pauses, ! and ? end. */
const STACKED_MARKS = /[,;][!?]|[!?][,;]/g;

/**
 * Punctuation placed where writing never puts it. A line that starts with a comma or holds commas and no word
 * (",,,", " ,", ", and, are …") after a paragraph break or a finished sentence: a comma separates words, so one
 * with no word before it is debris (the first line may go on from the prompt's sentence, and a line after an
 * unfinished one may go on with its list). Sentence marks sprinkled between words ("I! can! write!!!!
 * normally."): after ! or ? a sentence starts again with a capital. Code fences and `code spans` are left out.
 */
export function punctuation(ctx: JudgeContext): CheckResult {
  const strayLines: string[] = [];
  let inFence = false;
  // The line before: a comma may open a line that goes on with a list or a query ("SELECT id\n , name"), never one
  // after a paragraph break, a finished sentence or another line of stray commas.
  let before: 'start' | 'break' | 'open' = 'start';
  for (const line of ctx.text.split('\n')) {
    if (/^\s*```/.test(line)) { inFence = !inFence; before = 'break'; continue; }
    if (inFence) continue;
    if (!line.trim()) { if (before !== 'start') before = 'break'; continue; }
    const wordless = line.includes(',') && !/[\p{L}\p{N}\p{Extended_Pictographic}]/u.test(line);
    const stray = !CODE_MARKS.test(line) && (/^\s*[,;]/.test(line) || wordless);
    if (stray && before === 'break') strayLines.push(line);
    before = (stray && wordless) || /[.!?。！？:]\s*$/.test(line) ? 'break' : 'open';
  }
  if (strayLines.length) return result('punctuation', false, 0.3, `stray punctuation: ${strayLines.length} line(s) start with a comma or hold commas and no word, e.g. ${quote(strayLines[0]!, 30)}`);
  const prose = ctx.proseText.join('\n').replace(/`[^`\n]*`/g, ' ');
  // Both patterns need a '!' or '?': most prose has few, and the lookbehind would be tried at every letter.
  const hasMarks = /[!?]/.test(prose);
  const beforeLower = (hasMarks && prose.match(MARK_BEFORE_LOWER)) || [];
  const stacked = (hasMarks && prose.match(STACKED_MARKS)) || [];
  const marks = prose.match(/[!?]+/g)?.length ?? 0;
  const misplaced = beforeLower.length + stacked.length;
  if (misplaced >= MIN_MARKS_BEFORE_LOWER && misplaced >= marks * MIN_MARKS_BEFORE_LOWER_SHARE) {
    return result('punctuation', false, 0.3, `sentence marks between words: ${misplaced} of ${marks} '!'/'?' are followed by a small letter or stacked on a comma (limit ${MIN_MARKS_BEFORE_LOWER - 1}), e.g. ${[...beforeLower, ...stacked].slice(0, 3).map((m) => quote(m, 12)).join(', ')}`);
  }
  return result('punctuation', true, 1, `${misplaced} misplaced sentence marks, no line of stray commas`);
}

/** Lines of at most this many words, with no list marker: fragments when most lines are such and they carry junk. */
const FRAGMENT_WORDS = 2;
const MIN_FRAGMENT_LINES = 5;

/**
 * One quoted word or number per line (`"154"`, `The "H"`, `Your`, `"99"`): token soup laid out as lines. A list
 * of plain words ("Apple", "Banana") is an answer; fragments carrying quotes, digits glued to letters or stray
 * symbols are not.
 */
export function lineFragments(ctx: JudgeContext): CheckResult {
  const lines = ctx.proseText.map((l) => l.trim()).filter((l) => l && !/^(?:[-*•+>#]|\d{1,3}[.)])\s/.test(l));
  const fragments = lines.filter((l) => (l.match(/[\p{L}\p{N}]+/gu)?.length ?? 0) <= FRAGMENT_WORDS && !/:\s*$/.test(l) || !/[\p{L}\p{N}]/u.test(l));
  const junky = fragments.filter((l) => /["“”`]|\p{L}\d|\d\p{L}|[=\\|{}<>]/u.test(l) || !/[\p{L}\p{N}]/u.test(l));
  if (fragments.length >= MIN_FRAGMENT_LINES && fragments.length / lines.length >= 0.6 && junky.length / fragments.length >= 0.4) {
    return result('line-fragments', false, 0.3, `${fragments.length} of ${lines.length} lines are fragments of 1–2 words, ${junky.length} with quotes, digits or symbols: ${fragments.slice(0, 4).map((f) => quote(f, 15)).join(', ')}`);
  }
  return result('line-fragments', true, 1, `${fragments.length} of ${lines.length} lines are fragments`);
}
