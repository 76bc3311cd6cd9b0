import type { JudgeContext } from '../context.ts';
import { isKnownWord } from '../language/lexicon.ts';
import { coarseTagOf } from '../language/word-class.ts';
import { isFrequentWord } from '../language/pair-model.ts';
import type { JudgeThresholds } from '../thresholds.ts';
import type { CheckResult } from '../types.ts';
import { notEnglishPrompt, pct, result, scoreAtMost } from './score.ts';

/** Debris of a tokenizer or a broken byte decoder that never belongs in text. */
const ARTIFACTS: ReadonlyArray<[string, RegExp]> = [
  ['BPE/SentencePiece marker', /[ĠĊ▁]/gu],
  // GPT-2-style byte-level BPE shows each byte of a multi-byte character as a letter: é → "Ã©"-like pairs whose second
  // half is a remapped control byte (Ģ…Ń), "’" → "âĢĻ". (ı is left out: Turkish writes "Çı".)
  ['byte-level BPE debris', /[\u00C2-\u00DF][\u0122-\u0130\u0132-\u0143]|[\u00E0-\u00EF](?:[\u0122-\u0143][\u00A1-\u00BF\u0122-\u0143]|[\u00A1-\u00BF][\u0122-\u0143])/gu],
  ['U+FFFD replacement character', /\uFFFD/g],
  ['mojibake', /Ã[\u0080-\u00BF]|â€[\u0080-\u00BF™œ]|Â[\u00A0-\u00BF]/g],
  ['control character', /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g],
  ['WordPiece continuation', /\S##[a-z]/g],
  // Half of a UTF-16 surrogate pair: a character cut in two on its way out of the engine (the `u` flag matches only unpaired halves).
  ['lone surrogate', /[\uD800-\uDFFF]/gu],
];

/** Raw tokenizer pieces, replacement characters and mojibake. */
export function tokenizerArtifacts(ctx: Pick<JudgeContext, 'text'>, t: JudgeThresholds): CheckResult {
  const found: string[] = [];
  let count = 0;
  for (const [what, re] of ARTIFACTS) {
    const hits = ctx.text.match(re);
    if (hits?.length) { count += hits.length; found.push(`${hits.length}× ${what} (${JSON.stringify(hits[0])})`); }
  }
  if (count > t.maxTokenizerArtifacts) return result('tokenizer-artifacts', false, scoreAtMost(count, t.maxTokenizerArtifacts + 1, 0), `tokenizer debris in the text: ${found.join(', ')}`);
  return result('tokenizer-artifacts', true, 1, 'no tokenizer debris');
}

const LONG_GLUED_RUN = 20;
/**
 * Unknown words this long are looked at for glue: "thingwas" (thing + was) is 8 letters. Shorter ones are too often
 * a product or tech word of two parts ("signup", "onboard", "inbox").
 */
const MIN_GLUED_LETTERS = 8;
const ADDRESS = /(?:https?:\/\/|www\.)\S+|\S+@\S+\.\w+|[\w-]+\.(?:com|org|net|io|dev|ai|co|edu|gov|app|info|biz|[a-z]{2})\b|#\w+/giu;

/** Can this letter string be cut into known words? Parts of 1–2 letters must be function words ("of", "a"). */
function segments(word: string): number {
  const n = word.length;
  const best: number[] = Array.from({ length: n + 1 }, () => Infinity);
  best[0] = 0;
  for (let end = 1; end <= n; end++) {
    for (let start = Math.max(0, end - 20); start < end; start++) {
      if (best[start] === Infinity) continue;
      const part = word.slice(start, end);
      // Glue lower-cases names too: "offranceis" holds France.
      const ok = part.length <= 2 ? isFrequentWord(part) : isKnownWord(part) || isKnownWord(part[0]!.toUpperCase() + part.slice(1));
      if (ok) best[end] = Math.min(best[end] ?? Infinity, (best[start] ?? 0) + 1);
    }
  }
  return best[n] ?? Infinity;
}

/** Glued words ("thecapitalofFrance") and words split mid-way ("cap ital"). */
export function wordBoundaries(ctx: JudgeContext, t: JudgeThresholds): CheckResult {
  if (!ctx.language.english) return notEnglishPrompt('word-boundaries');
  const words = ctx.proseWords.filter((w) => /^[\p{Script=Latin}]+$/u.test(w.text));
  if (words.length === 0) return result('word-boundaries', true, 1, 'no Latin words to judge');
  // Domains, addresses and hashtags are glued on purpose ("www.yourbusinessnamehere.com", "#throwbackthursday").
  const addresses = new Set(ctx.proseText.join(' ').match(ADDRESS)?.flatMap((a) => a.match(/\p{L}+/gu) ?? []) ?? []);
  const glued = words.filter((w) => w.text.length >= MIN_GLUED_LETTERS && !addresses.has(w.text) && !isIdentifier(w.text) && !isKnownWord(w.text) && isGlued(w.text.toLowerCase())).map((w) => w.text);
  const split: string[] = [];
  for (const line of ctx.proseLines) {
    for (let i = 0; i + 1 < line.length; i++) {
      const a = line[i];
      const b = line[i + 1];
      if (a?.kind !== 'word' || b?.kind !== 'word' || !/^\p{Ll}+$/u.test(b.text)) continue;
      if (looksSplit(a.text, b.text)) split.push(`${a.text} ${b.text}`);
    }
  }
  const faults = glued.length + split.length;
  const share = faults / words.length;
  const score = scoreAtMost(share, t.maxBoundaryFaultShare, 0);
  const detail = [glued.length ? `${glued.length} glued (${glued.slice(0, 3).map((g) => `'${g.slice(0, 30)}'`).join(', ')})` : '', split.length ? `${split.length} split (${split.slice(0, 3).map((s) => `'${s}'`).join(', ')})` : ''].filter(Boolean).join(', ');
  // One glued run is enough when it is most of the output ("imersimersimers…", "EnNeAbDePerLaQu…").
  const gluedLetters = glued.reduce((a, g) => a + g.length, 0);
  const letters = words.reduce((a, w) => a + w.text.length, 0);
  // One long glued run (20+ letters, 4+ words) is enough anywhere: no English word is that.
  const longRun = glued.find((g) => g.length >= LONG_GLUED_RUN);
  if (longRun) return result('word-boundaries', false, 0.3, `token-boundary fault: a glued run of ${longRun.length} letters: '${longRun.slice(0, 40)}'`);
  if ((faults >= 2 || gluedLetters * 2 >= letters) && share > t.maxBoundaryFaultShare) return result('word-boundaries', false, score, `token-boundary fault: ${pct(share)} of words are glued together or split mid-word (limit ${pct(t.maxBoundaryFaultShare)}): ${detail}`);
  return result('word-boundaries', true, score, faults ? `${faults} boundary oddities (${pct(share)}, limit ${pct(t.maxBoundaryFaultShare)}): ${detail}` : 'word boundaries look normal');
}

/**
 * A CamelCase or camelCase name ("ConditionalGeneration", "getElementById", "VLFor…"): a few pieces, each a known
 * word or an acronym, of words' length, with at most one function word. Glue from a broken tokenizer is lower-case ("thecapitalofFrance") or
 * made of two-letter scraps ("EnNeAbDePerLaQu…").
 */
function isIdentifier(word: string): boolean {
  if (!/\p{Ll}\p{Lu}/u.test(word)) return false;
  const pieces = word.match(/\p{Lu}+(?!\p{Ll})|\p{Lu}?\p{Ll}+/gu) ?? [];
  const letters = pieces.reduce((n, p) => n + p.length, 0);
  // A name holds a function word or none ("mapDispatchToProps"); a glued sentence ("ItIsTheLargestCity…") many.
  return pieces.length >= 2 && pieces.length <= MAX_IDENTIFIER_PIECES && letters === word.length && letters / pieces.length >= MIN_IDENTIFIER_PIECE
    && pieces.filter((p) => isFrequentWord(p)).length <= 1 && pieces.every((p) => (/^\p{Lu}{2,5}$/u.test(p)) || isKnownWord(p));
}
const MIN_IDENTIFIER_PIECE = 3.5;
const MAX_IDENTIFIER_PIECES = 6;

/**
 * "cap ital", "re port": the two halves make a word, and one of them is no word or a stray fragment. Function
 * words are left alone: "a part", "in to" are normal English.
 */
function looksSplit(a: string, b: string): boolean {
  if (a.length + b.length < 5 || isFrequentWord(a) || isFrequentWord(b) || !isKnownWord(a + b)) return false;
  return !isKnownWord(a) || !isKnownWord(b) || Math.min(a.length, b.length) <= 2;
}

/**
 * Compounds like "blockchain" cut into two content words are fine; glue has 3+ parts, a function word in it, or
 * starts with an -ly adverb ("nervouslychuckles"): English closes compounds of nouns and adjectives, never of those.
 */
function isGlued(word: string): boolean {
  if (word.length > 30) return true;
  const parts = segments(word);
  if (parts >= 3 && parts !== Infinity) return true;
  if (parts !== 2) return false;
  for (let i = 1; i < word.length; i++) {
    const [head, tail] = [word.slice(0, i), word.slice(i)];
    if ((isFrequentWord(head) && isKnownWord(tail)) || (isFrequentWord(tail) && isKnownWord(head))) return true;
    if (head.endsWith('ly') && tail.length >= 3 && coarseTagOf(head) === 'RB' && isKnownWord(tail)) return true;
  }
  return false;
}
