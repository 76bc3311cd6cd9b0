import { tagsOf } from './language/lexicon.ts';

/**
 * Where "repetitive" ends and "degenerate" begins. Greedy decoding of a small healthy model settles into a loop
 * of one correct sentence ("The theory of relativity also states that the speed of light is constant …" until the
 * token limit): the kernels are fine, the text is fluent, it only repeats. A broken model loops on fragments,
 * sub-words, junk or single tokens. So: an output whose only faults are repetition is `repetitive` when the text
 * with each repeated sentence kept once passes every check, and the repeated sentences are well-formed sentences
 * (capital first, end punctuation last; 4+ words in all). A fragment loop ("17 + 25 equals 17 + 25 …") has no sentence to keep once, so it stays one
 * long looping "sentence" and fails again.
 */

/** Checks that measure repetition itself; any other failed check makes the output degenerate. */
export const REPETITION_CHECKS: ReadonlySet<string> = new Set(['repetition-loop', 'diversity']);

/** Repeated sentences must hold this many words in all: "Paris. Paris. Paris." is a single-token loop. */
const MIN_REPEATED_WORDS = 4;

const normalize = (s: string) => s.toLowerCase().replace(/\s+/g, ' ').trim();
/** A normalized sentence ends with another's words, after words of its own. */
const endsWithClause = (sentence: string, clause: string) => sentence.endsWith(` ${clause}`);

export interface Deduplicated {
  /** The text with every sentence kept at its first occurrence only (a cut-off last copy dropped too). */
  text: string;
  /** The sentences that occurred more than once, as first written. */
  repeated: string[];
  repeatedWords: number;
  /**
   * Where the loop re-enters the text mid-sentence, if it does: the sentence just before its first repeat is a
   * fragment (starts in lower case: "his net. Inside was a letter written his net. Inside …"), or the repeated
   * sentence is a word or two glued to the end of the sentence before it ("… for each one of oxygen. At for each
   * one of oxygen. At …"). A healthy greedy loop repeats whole sentences; a broken one jumps back into a phrase.
   */
  reentry?: string;
}

/**
 * A hard-wrapped line: one line break inside a sentence, after a word or a comma and before a lower-case word
 * ("… systems that \ncan learn from …"). It is no boundary: a line that starts in lower case is the same sentence.
 */
const WRAPPED_LINE = /(?<=[\p{L}\p{N},;])[ \t]*\n(?=[ \t]*\p{Ll})/gu;

/** Sentence boundaries: after . ! ? (and closing quotes) before a space, or at a line break that is not a wrap. */
export function sentencesOf(text: string): string[] {
  // A line holds no wrap: the lookbehind is tried at every position, so single lines (windows.ts) skip it.
  return (text.includes('\n') ? text.replace(WRAPPED_LINE, ' ') : text).split(/(?<=[.!?]["'”’)]?)\s+|(?<=[。！？])|\n+/).map((s) => s.trim()).filter(Boolean);
}

export function deduplicateSentences(text: string): Deduplicated {
  const seen = new Map<string, { first: string; count: number }>();
  const kept: string[] = [];
  const all = sentencesOf(text);
  all.forEach((sentence, i) => {
    const key = normalize(sentence);
    const entry = seen.get(key);
    if (entry) {
      entry.count++;
      // A continuation's first sentence goes on from the prompt's, so it may start in lower case ("the speed of light
      // is constant." then "The speed of light is constant." again and again): the sentence is its well-formed copy.
      if (!WELL_FORMED.test(entry.first) && WELL_FORMED.test(sentence)) entry.first = sentence;
      return;
    }
    // A continuation starts inside the prompt's sentence (", but I'm not sure if …"): when a later sentence is the
    // end of that first one, the loop began there, and the later, whole form is the repeated sentence.
    const opening = kept.length ? normalize(kept[0] ?? '') : '';
    const openingEntry = seen.get(opening);
    if (openingEntry && i > 0 && endsWithClause(opening, key) && key.split(' ').length >= MIN_REPEATED_WORDS) {
      openingEntry.count++;
      openingEntry.first = sentence;
      return;
    }
    // The sentence just before ended with this whole sentence as its last clause ("I'm sorry, but I'm not going to
    // … meet you." then "I'm not going to … meet you."): that was its first copy, so it is kept there only.
    const previous = normalize(kept[kept.length - 1] ?? '');
    if (endsWithClause(previous, key) && key.split(' ').length >= MIN_REPEATED_WORDS) {
      seen.set(key, { first: sentence, count: 2 });
      return;
    }
    // The token limit cuts the last copy mid-sentence: a prefix of a sentence already written is that copy.
    if (i === all.length - 1 && [...seen.keys()].some((k) => k.startsWith(key))) return;
    seen.set(key, { first: sentence, count: 1 });
    kept.push(sentence);
  });
  const repeated = [...seen.values()].filter((e) => e.count > 1).map((e) => e.first);
  const repeatedWords = repeated.reduce((n, s) => n + wordCount(s), 0);
  return { text: kept.join('\n'), repeated, repeatedWords, reentry: reentryOf(all, seen) };
}

/**
 * Words in a sentence: runs of letters, and each Chinese or Japanese character on its own (those scripts write no
 * spaces, so "我想和你一起散步。" is one letter run but an eight-character sentence, not a single-token loop).
 */
const WORD_OR_CJK_CHAR = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]|[^\s\p{P}\p{S}\p{N}\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]+/gu;
const wordCount = (s: string) => s.match(WORD_OR_CJK_CHAR)?.length ?? 0;

/** Abbreviations a sentence may end with while the next "sentence" goes on in lower case ("e.g. the", "etc. and"). */
const ABBREVIATION_END = /(?:\b(?:\p{L}\.){2,}|\b(?:etc|vs|approx|cf|al|ca|fig|no|st|mr|mrs|dr|prof|inc|ltd|jr|sr)\.)$/iu;
/** A word or two before a copied tail of 4+ words is no sentence of its own ("At" + "for each one of oxygen."); "It was" + "in Redmond, Washington." copies too little to tell. */
const MAX_REENTRY_HEAD_WORDS = 2;
const MIN_COPIED_TAIL_WORDS = 4;

function reentryOf(all: readonly string[], seen: ReadonlyMap<string, { count: number }>): string | undefined {
  const start = all.findIndex((sentence) => (seen.get(normalize(sentence))?.count ?? 0) > 1);
  if (start < 1) return undefined;
  const before = all[start - 1] ?? '';
  // A fragment ends like a sentence ("his net."); a line of code or a command ("npm install") does not.
  if (start >= 2 && /^\p{Ll}/u.test(before) && /[.!?]["'”’)]?$/u.test(before) && !ABBREVIATION_END.test(all[start - 2] ?? '')) return `the loop starts after the fragment '${before}'`;
  const key = normalize(all[start] ?? '');
  const previous = normalize(before);
  // The sentence before ends with the whole repeated sentence as its last clause ("I'm sorry, but I'm not going to
  // … meet you." then "I'm not going to … meet you." again and again): the loop restates a clause written whole.
  if (endsWithClause(previous, key)) return undefined;
  const words = key.split(' ');
  for (let head = 1; head <= MAX_REENTRY_HEAD_WORDS; head++) {
    const tail = words.slice(head);
    if (tail.length >= MIN_COPIED_TAIL_WORDS && endsWithClause(previous, tail.join(' ')) && !isSubjectOf(words.slice(0, head), tail)) {
      return `the repeated sentence '${all[start]}' is ${head === 1 ? 'a word' : 'two words'} glued to the end of the sentence before it`;
    }
  }
  return undefined;
}

const DETERMINERS = new Set(['DT', 'PRP$', 'CD']);
const firstTag = (word: string) => tagsOf(word.replace(/[^\p{L}\p{N}'-]/gu, ''))?.[0];

/**
 * The head is a subject of its own and the copied tail its predicate: "The company" + "has a great deal to offer …"
 * after "not only has a great deal to offer …" restates the sentence whole. A head that is no noun phrase ("At",
 * "It uses") glued to a copied tail is the loop jumping back mid-phrase ("At for each one of oxygen.").
 */
function isSubjectOf(head: readonly string[], tail: readonly string[]): boolean {
  const tags = head.map(firstTag);
  const nounPhrase = tags.length === 1 ? tags[0] === 'PRP' : DETERMINERS.has(tags[0] ?? '') && /^NNP?S?$/.test(tags[1] ?? '');
  return nounPhrase && /^(?:VB[DPZ]?|MD)$/.test(firstTag(tail[0] ?? '') ?? '');
}

/**
 * A sentence as a writer starts it: a capital (or a digit, or a letter of a script without case), after an optional
 * speaker tag or list marker ("<link_0> I'm not a bot", "- Step 2"). "will be able to help." continues a sentence it
 * does not hold: a fragment. A repeated unit without end punctuation is a whole line (sentencesOf splits there).
 */
const WELL_FORMED = /^(?:<[^<>\n]{1,30}>\s*|[\p{L}\p{N} _-]{1,24}:\s+|[-*•>]\s+|\d{1,3}[.)]\s+)?["'“‘(「]?[\p{Lu}\p{Lo}\p{N}]/u;

/** A closing quote or bracket written after a space ('"Great. "') is split off as a "sentence": it closes the one before. */
const CLOSING_MARKS = /^["'”’)\]]+$/u;

/** A phrase looping inside the sentence ("she was very was very sad"): a fragment loop, not a sentence. */
const INNER_LOOP = /(?:^|\s)(\p{L}+(?:\s+\p{L}+){0,3})\s+\1(?=\s|[.!?,]|$)/iu;

/**
 * A chat role's turn label ("Human:", "Assistant:", "### User:"): a loop that repeats turns is the model writing
 * both sides of a chat past its own turn's end (a template or stop-token fault), however fluent each turn. A
 * question-and-answer layout ("Q:", "A:") is a document a base model continues, not a chat turn.
 */
const CHAT_TURN = /^(?:#+\s*)?(?:human|user|assistant|ai|bot|chatbot|gpt|chatgpt|model|system|customer|agent)\s*\d*\s*:/i;

/** What keeps a well-formed repeated unit from being a sentence, if anything: it is a chat turn. */
export function notASentence(sentence: string): string | undefined {
  return CHAT_TURN.test(sentence) ? `the loop repeats chat turns ('${sentence.slice(0, 40)}')` : undefined;
}

/**
 * The repeated material is real sentences: 4+ words in all, each repeated sentence well formed, no chat turn, no
 * phrase looping inside it, no re-entry mid-sentence.
 */
export function carriesSentences(d: Deduplicated): boolean {
  return d.repeatedWords >= MIN_REPEATED_WORDS && !d.reentry
    && d.repeated.every((s) => CLOSING_MARKS.test(s) || (WELL_FORMED.test(s) && !INNER_LOOP.test(s) && !notASentence(s)));
}
