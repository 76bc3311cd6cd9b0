import type { JudgeContext } from '../context.ts';
import { isKnownWord, misspeltWordOf } from '../language/lexicon.ts';
import { TRANSLATION_CUE } from '../language/prompt-language.ts';
import { rareTrigrams } from '../language/letter-model.ts';
import { memoised, memoisedPerObject } from '../language/memo.ts';
import { isFrequentWord } from '../language/pair-model.ts';
import type { Token } from '../language/tokens.ts';
import type { JudgeThresholds } from '../thresholds.ts';
import type { CheckResult } from '../types.ts';
import { LANGUAGE_CUE } from './script.ts';
import { notEnglishPrompt, pct, quote, result, scoreAtLeast } from './score.ts';

/**
 * Latin-script prose words to look up; a possibly cut last word of a truncated output is left out. dictionaryWords
 * and functionWords both read them: found once per context.
 */
const latinWords = memoisedPerObject((ctx: JudgeContext): readonly Token[] => {
  const all = ctx.truncated ? ctx.proseWords.slice(0, -1) : ctx.proseWords;
  return all.filter((w) => /^[\p{Script=Latin}\p{M}'’-]+$/u.test(w.text));
});

/** Names and acronyms are not in any dictionary but are normal English. */
const looksLikeName = memoised((word: string): boolean => /^\p{Lu}[\p{Ll}\p{M}]+$/u.test(word) || /^\p{Lu}{2,6}s?$/u.test(word) || /^\p{Lu}\p{Ll}+\p{Lu}\p{L}*$/u.test(word), 100_000);

/** Share of words that are English: catches subword fragments, byte junk and switches into other languages. */
export function dictionaryWords(ctx: JudgeContext, t: JudgeThresholds): CheckResult {
  if (!ctx.language.english) return notEnglishPrompt('dictionary-words');
  const latin = latinWords(ctx);
  const names = latin.filter((w) => looksLikeName(w.text) && !isKnownWord(w.text));
  // Names are exempt, but only a text's fair share of them: salad of invented capitalised words is not a list of names.
  const namesExempt = names.length < 3 || names.length / Math.max(1, latin.length) <= t.maxUnknownNameShare;
  // Items of an enumeration ("numpy, pandas, seaborn and xgboost") are names of things, whatever their case.
  // Only a text with unknown lower-case words needs its enumerations read.
  const listed = latin.some((w) => !looksLikeName(w.text) && !isKnownWord(w.text)) ? listedNames(ctx) : new Set<string>();
  const candidates = (namesExempt ? latin.filter((w) => !looksLikeName(w.text)) : latin).filter((w) => !listed.has(w.text));
  const nonLatin = (ctx.truncated ? ctx.proseWords.slice(0, -1) : ctx.proseWords).length - latin.length;
  const total = candidates.length + nonLatin;
  const unknown = candidates.filter((w) => !isKnownWord(w.text));
  const foreignRun = ctx.window ? [] : longestUnknownRun(ctx);
  if (foreignRun.length >= MIN_UNKNOWN_RUN) return result('dictionary-words', false, 0.3, `${foreignRun.length} words in a row that are not English: ${quote(foreignRun.join(' '), 50)}`);
  const lone = ctx.window ? [] : loneNonWords(ctx);
  if (lone.length) return result('dictionary-words', false, 0.3, `a sentence that is one unknown word: ${lone.slice(0, 3).map((w) => quote(w, 20)).join(', ')}`);
  if (total < t.minWordsForStatistics) {
    // A short text is judged with what there is: a few non-words out of a few words is garbage.
    // A cut-off last word is a prefix of a real word, never junk-shaped: that one is kept.
    const cut = ctx.truncated ? ctx.proseWords.slice(-1).map((w) => w.text).filter((w) => !isKnownWord(w) && junkShaped(w)) : [];
    const ids = identifiers(ctx);
    // In a few words, letters that English words hardly ever join (seen in under RARE words) are junk too.
    const oddlySpelt = new Set(inventedWords(ctx, ODD_IN_SHORT_TEXT).map((m) => m.word));
    const junk = [...unknown.map((w) => w.text), ...cut, ...ids].filter((w) => junkShaped(w) || oddlySpelt.has(w));
    const words = Math.max(1, total + cut.length);
    const nonWords = unknown.length + cut.length + ids.length;
    // Junk-shaped words in half the text, or three plain unknown words in most of it; two rare names are an answer.
    const invented = inventedWords(ctx, INVENTED);
    const named = new Set([...unknown.map((w) => w.text), ...cut, ...ids]);
    if ((junk.length && nonWords / words >= 0.5) || (nonWords >= 3 && nonWords / words >= 0.6) || invented.length) {
      return result('dictionary-words', false, 0.3, `short text of ${words} word(s), ${nonWords + invented.filter((m) => !named.has(m.word)).length} of them no word: ${[...new Set([...invented.map((m) => m.word), ...junk, ...unknown.map((w) => w.text)])].slice(0, 4).map((w) => quote(w, 20)).join(', ')}`);
    }
    return result('dictionary-words', true, 1, `short text: ${total} word(s), ${unknown.length} unknown`);
  }
  const share = (candidates.length - unknown.length) / total;
  const score = scoreAtLeast(share, t.minDictionaryShare, 0.97);
  const examples = unknown.slice(0, 5).map((w) => `'${w.text}'`).join(', ');
  if (share < t.minDictionaryShare) return result('dictionary-words', false, score, `not English words: only ${pct(share)} of words are in the English lexicon (needs ≥ ${pct(t.minDictionaryShare)}); unknown: ${examples}`);
  // One word no English word is spelt like, in otherwise English text: a glued or garbled span.
  const invented = ctx.window ? [] : inventedWords(ctx, INVENTED);
  if (invented.length) return result('dictionary-words', false, 0.3, `invented or glued word(s): ${invented.slice(0, 3).map((m) => `${quote(m.word, 30)} (${m.rare.map(describeTrigram).join(', ')}: in no English word)`).join(', ')}`);
  // Misspellings ("Artificiel Intellignent", "my abilitie to convice"): a model whose sampling is slightly off
  // writes English that is almost right. Names are seldom one edit from an English word; two may be chance.
  // Distinct words: a name used throughout ("Shoggy") is one word however often it is written.
  const misspelt = ctx.window ? [] : [...new Set(latin.filter((w) => !isKnownWord(w.text)).map((w) => w.text))].map((w) => ({ w, right: misspeltWordOf(w) })).filter((m) => m.right);
  if (misspelt.length >= MIN_MISSPELLINGS && misspelt.length >= latin.length * MIN_MISSPELT_SHARE) return result('dictionary-words', false, 0.3, `misspelt words: ${misspelt.slice(0, 4).map((m) => `'${m.w}' (${m.right})`).join(', ')} (${misspelt.length}, limit ${MIN_MISSPELLINGS - 1})`);
  const switched = ctx.window ? { words: 0, sentences: 0, text: '' } : longestForeignRun(ctx, listed);
  if (switched.words >= t.minWordsForLanguageSwitch) return result('dictionary-words', false, 0.3, `switched language: ${switched.sentences} sentence(s), ${switched.words} words in a row, are mostly not English: ${quote(switched.text, 60)}`);
  return result('dictionary-words', true, score, `${pct(share)} of words are English (needs ≥ ${pct(t.minDictionaryShare)})`);
}

/**
 * The longest run of consecutive foreign sentences: fewer than half the words are English, or (other languages
 * share many short words with English) almost none are English function words.
 */
function longestForeignRun(ctx: JudgeContext, listed: ReadonlySet<string>): { sentences: number; words: number; text: string } {
  const sentences = ctx.proseLines.map((line) => line.map((tok) => tok.text).join(' ')).join(' ').split(/(?<=[.!?])\s+/);
  let best = { sentences: 0, words: 0, text: '' };
  let run = { sentences: 0, words: 0, text: '' };
  for (const sentence of sentences) {
    const all = sentence.match(/[\p{L}\p{M}'’-]+/gu) ?? [];
    const ws = all.filter((w) => !looksLikeName(w) && !listed.has(w));
    // A lone letter other than "a" and "I" is a dictionary entry but no word of a sentence ("D R P23D323D4 PP").
    const known = ws.filter((w) => /^[\p{Script=Latin}\p{M}'’-]+$/u.test(w) && (w.length > 1 || /^[aAI]$/.test(w)) && isKnownWord(w)).length;
    const functionShare = all.filter((w) => isFrequentWord(w)).length / Math.max(1, all.length);
    // Few English function words alone is not enough: a technical sentence may be a list of English nouns.
    if ((ws.length >= 3 && known / ws.length < 0.5) || (all.length >= 6 && functionShare < 0.1 && known / Math.max(1, ws.length) < MOSTLY_ENGLISH)) run = { sentences: run.sentences + 1, words: run.words + all.length, text: run.text || sentence };
    else run = { sentences: 0, words: 0, text: '' };
    if (run.words > best.words) best = run;
  }
  return best;
}

/** A sentence whose words are this share English is English, however few function words it has. */
const MOSTLY_ENGLISH = 0.8;

/** English prose is about half function words; content-word salad and other languages have few. */
export function functionWords(ctx: JudgeContext, t: JudgeThresholds): CheckResult {
  if (!ctx.language.english) return notEnglishPrompt('function-words');
  const words = latinWords(ctx);
  if (words.length < t.minWordsForFunctionShare) return result('function-words', true, 1, `too few prose words to judge (${words.length} < ${t.minWordsForFunctionShare})`);
  const share = words.filter((w) => isFrequentWord(w.text)).length / words.length;
  const score = scoreAtLeast(share, t.minFunctionWordShare, 0.45);
  if (share < t.minFunctionWordShare) return result('function-words', false, score, `not English sentences: only ${pct(share)} of words are common function words like 'the', 'of', 'is' (needs ≥ ${pct(t.minFunctionWordShare)})`);
  return result('function-words', true, score, `${pct(share)} function words (needs ≥ ${pct(t.minFunctionWordShare)})`);
}

/**
 * A sentence that is a single lower-case non-word, numbers aside ("Hello! **sierp!** How can I help?", "since
 * 2012. sierpiona 1999. Prior to this"): a stray token from
 * another language or a broken sampler. A cut-off last word of a truncated output is not one.
 */
function loneNonWords(ctx: JudgeContext): string[] {
  const found: string[] = [];
  const lines = ctx.proseText;
  lines.forEach((line, i) => {
    const sentences = line.split(/(?<=[.!?]["'”’)*_]*)\s+/);
    sentences.forEach((sentence, j) => {
      if (ctx.truncated && i === lines.length - 1 && j === sentences.length - 1) return;
      // The text's first sentence may finish the prompt's (or the window before's) last word.
      if (i === 0 && j === 0) return;
      // A line that does not start a sentence continues the one before ("worth liv\ning."): not a sentence of its own.
      if (j === 0 && i > 0 && !/[.!?:]["'”’)*_]*\s*$/.test(lines[i - 1]!)) return;
      // Numbers and dates beside the word are no words of a sentence ("since 2012. sierpiona 1999. Prior to this");
      // a version number keeps its package name company ("with numpy 1.26."): no stray word.
      const bare = sentence.replace(/[*_`~"“”]/g, '').replace(/(?:^|\s)\d+(?:[,/-]\d+)*(?=\s|[.!?]+$)/g, ' ').trim();
      const m = /^(\p{Ll}{5,})\s*[.!?]+$/u.exec(bare);
      if (m && /^[\p{Script=Latin}]+$/u.test(m[1]!) && !isKnownWord(m[1]!) && sentences.length + lines.length > 2) found.push(m[1]!);
    });
  });
  return found;
}

/** snake_case and SCREAMING_CASE identifiers in prose ("GGML_ASK_GGML"): program text, not an answer in words. */
function identifiers(ctx: JudgeContext): string[] {
  return ctx.proseText.flatMap((line) => line.replace(/`[^`]*`/g, '').match(/\b[\p{L}\d]+(?:_[\p{L}\d]+)+\b/gu) ?? []);
}

/**
 * A word no writer produces: case flipping inside it ("ädâDOCCÂ", "jdS"; not "iPhone", "macOS", "McDonald"),
 * digits inside letters ("E0qdf"), or four-plus letters without a vowel.
 */
function junkShaped(word: string): boolean {
  if (/^\p{Ll}\p{Lu}\p{Ll}+$|^\p{Ll}{1,4}\p{Lu}{2,3}$|^(?:Mc|Mac|O')?\p{Lu}\p{Ll}+(?:\p{Lu}\p{Ll}+)*$|^\p{Lu}+s?$/u.test(word)) return false;
  if (/\p{Ll}\p{Lu}/u.test(word) || /\p{L}\d+\p{L}/u.test(word) || word.includes('_')) return true;
  return word.length >= 4 && !/[aeiouyàâäéèêëíìîïóòôöúùûüæœ]/iu.test(word);
}

/**
 * This many distinct words one edit from an English word, and this share of the words, make a text misspelt. A
 * long technical answer may have a few jargon words one edit from English ones ("backend", "params").
 */
const MIN_MISSPELLINGS = 3;
const MIN_MISSPELT_SHARE = 0.02;

/** Lower-case words no English dictionary knows, this many in a row ("börja med ett noggrant"): another language. */
const MIN_UNKNOWN_RUN = 4;

/** The longest run of unknown lower-case Latin words separated only by spaces (`code` spans left out). */
function longestUnknownRun(ctx: JudgeContext): string[] {
  let best: string[] = [];
  for (const line of ctx.proseText) {
    // "In Japanese, good morning is ohayou gozaimasu": a sentence that says it quotes another language.
    if (LANGUAGE_CUE.test(line)) continue;
    let run: string[] = [];
    for (const piece of line.replace(/`[^`]*`/g, ' , ').split(/(\s+)/)) {
      if (!piece || /^\s+$/.test(piece)) continue;
      if (/^[\p{Ll}\p{M}]+$/u.test(piece) && /^\p{Script=Latin}/u.test(piece) && !isKnownWord(piece)) {
        run.push(piece);
        if (run.length > best.length) best = run;
      } else run = [];
    }
  }
  return best;
}

/** 'hjy', or 'rg' starting a word, or 'dk' ending one. */
function describeTrigram(g: string): string {
  if (g.startsWith('^')) return `'${g.slice(1)}' starting a word`;
  if (g.endsWith('$')) return `'${g.slice(0, -1)}' ending a word`;
  return `'${g}'`;
}

/**
 * How an oddly spelt word is looked for. Alone, a word fails only when it is long glue (an English word at one
 * end) and a trigram inside it, not at its ends, is in no English word: short lower-case technical names ("gguf", "mkdir",
 * "mysql", "xgboost") have odd ends and are no glue. In a short text of mostly non-words, one in under three
 * English words is enough to call a non-word junk.
 */
export interface Oddness { below: number; minLetters: number; insideOnly: boolean; glued: boolean }
const INVENTED: Oddness = { below: 1, minLetters: 8, insideOnly: true, glued: true };
const ODD_IN_SHORT_TEXT: Oddness = { below: 3, minLetters: 4, insideOnly: false, glued: false };

/**
 * Glue starts or ends with an English word ("with|jyoursmectets"); a transliterated foreign word ("gochujang",
 * "konnichiwa") has odd letters too, but no English word at either end.
 */
const MIN_GLUED_PART = 3;
function hasEnglishEnd(word: string): boolean {
  for (let n = word.length - MIN_GLUED_PART; n >= MIN_GLUED_PART; n--) {
    if (isKnownWord(word.slice(0, n)) || isKnownWord(word.slice(word.length - n))) return true;
  }
  return false;
}

/**
 * Keyboard mash in any case ("Xqzt", "Hjkqw"): most of the word's trigrams are in no English word. Names from other
 * languages keep most of theirs ("Qwen" 2 of 4, "Mkhitaryan" 2 of 10, "Llwyd" 2 of 5); acronyms are capitals only.
 */
const MIN_MASH_TRIGRAMS = 3;
const MIN_MASH_SHARE = 0.75;
function isUnpronounceable(word: string, cut = false): boolean {
  if (word.length < 4 || !/^[A-Za-z]+$/.test(word) || /^[A-Z]+s?$/.test(word) || isKnownWord(word)) return false;
  const never = rareTrigrams(word).filter((g) => !cut || !g.endsWith('$')).length;
  const trigrams = cut ? word.length - 1 : word.length;
  return never >= MIN_MASH_TRIGRAMS && never >= trigrams * MIN_MASH_SHARE;
}

/** A run like "Europae4Ugqpg0oIuPzDK": letters and digits alternating twice or more, and capitals inside words twice or more. */
const RANDOM_ID = /(?:\p{L}+\d+){2}/u;
const isRandomIdShaped = (token: string) => (token.match(/\p{Ll}\p{Lu}/gu)?.length ?? 0) >= 2;

/**
 * Lower-case unknown words spelt with letter sequences English words do not have ("withjyoursmectets",
 * "ottokojirache"): glued or invented by a broken sampler. Names, acronyms and identifiers (capitals), items of
 * an enumeration (names of libraries or dishes), code spans,
 * addresses, emphatic letter runs ("sooo") and sentences that say they quote another language are left out; so is
 * a possibly cut last word of a truncated output.
 */
export function inventedWords(ctx: JudgeContext, odd: Oddness): Array<{ word: string; rare: string[] }> {
  const found: Array<{ word: string; rare: string[] }> = [];
  const last = ctx.truncated ? ctx.proseWords.at(-1) : undefined;
  // Asked for another language ("Say thanks in Japanese"), an answer may transliterate it: "gozaimasu" is no glue.
  if (TRANSLATION_CUE.test(ctx.input.prompt ?? '')) return found;
  const isListed = (word: string) => listedNames(ctx).has(word);
  const rareIn = (word: string) => rareTrigrams(word, odd.below).filter((g) => !odd.insideOnly || !/[\^$]/.test(g));
  ctx.proseText.forEach((line, i) => {
    const cue = LANGUAGE_CUE.test(line);
    // Built only when a word is in question: most lines have no odd word to excuse.
    let quotedSpans: Set<string> | undefined;
    const isQuoted = (word: string) => (quotedSpans ??= quotedWords(line)).has(word);
    for (const token of ctx.proseLines[i] ?? []) {
      const word = token.text;
      // A cut last word is a prefix: only its end may be odd.
      if (!cue && token.kind === 'word' && isUnpronounceable(word, token === last) && !isQuoted(word)) { found.push({ word, rare: rareTrigrams(word) }); continue; }
      if (cue || token === last || token.kind !== 'word' || word.length < odd.minLetters || !/^[a-z]+$/.test(word) || /(.)\1\1/.test(word) || isKnownWord(word) || isQuoted(word)) continue;
      const rare = rareIn(word);
      if (rare.length && (!odd.glued || hasEnglishEnd(word)) && !isListed(word)) found.push({ word, rare });
    }
    // Capitals do not make a name of a piece of a random-looking run of letters, digits and case flips
    // ("Europae4Ugqpg0oIuPzDK"); model and class names ("Qwen2VLForConditionalGeneration") have one digit run.
    const randomIds = /\d/.test(line) ? line.split(/\s+/).filter((token) => /\d/.test(token) && RANDOM_ID.test(token) && isRandomIdShaped(token)) : [];
    for (const glued of randomIds) {
      for (const piece of glued.match(/\p{Lu}?\p{Ll}+|\p{Lu}+(?!\p{Ll})/gu) ?? []) {
        if (piece.length < 4 || isQuoted(piece) || /^\p{Lu}+$/u.test(piece) || isKnownWord(piece)) continue;
        const rare = rareTrigrams(piece, odd.below);
        if (rare.length) found.push({ word: glued, rare });
      }
    }
  });
  return found;
}

/** Words inside a line's code spans, addresses and paths: written as they must be, not as English. */
const QUOTED_SPAN = /`[^`]*`|(?:https?:\/\/|www\.)\S+|\S+@\S+|\S*[/\\]\S*/g;
const quotedWords = (line: string) => new Set(line.match(QUOTED_SPAN)?.flatMap((span) => span.match(/\p{L}+/gu) ?? []) ?? []);

/** An enumeration has this many one-word items (a list of libraries, products, ingredients). */
const MIN_LIST_ITEMS = 3;
/** English words around the items ("Popular choices include"). */
const MIN_LIST_FRAME = 2;

/**
 * Unknown one-word items of enumerations ("Popular choices include numpy, pandas, seaborn and xgboost."): names
 * of libraries, products or dishes, written in lower case as their owners write them. Only items that stand alone
 * between commas (or a final "and"/"or") count, and only in an English sentence with MIN_LIST_ITEMS of them.
 */
function namesListedIn(ctx: JudgeContext): ReadonlySet<string> {
  const names = new Set<string>();
  for (const line of ctx.proseText) {
    for (const sentence of line.split(/(?<=[.!?])\s+/)) {
      const items = sentence.replace(/[.!?:;]+$/, '').split(/,\s*(?:(?:and|or)\s+)?|\s+(?:and|or)\s+/).map((item) => item.trim());
      const single = items.filter((item) => /^[\p{L}][\p{L}\p{N}'’-]*$/u.test(item));
      // The list must sit in an English sentence ("Popular choices include …"): a bare run of comma-separated
      // non-words is no enumeration of names.
      const frame = items.filter((item) => !single.includes(item)).join(' ').match(/\p{L}+/gu) ?? [];
      if (single.length < MIN_LIST_ITEMS || frame.filter((w) => isKnownWord(w)).length < MIN_LIST_FRAME) continue;
      for (const item of single) if (!isKnownWord(item)) names.add(item);
    }
  }
  return names;
}
/** dictionaryWords and inventedWords both read a text's enumerations: found once per context. */
const listedNames = memoisedPerObject(namesListedIn);
