import { readFileSync } from 'node:fs';
import type { Token } from './tokens.ts';
import { memoised } from './memo.ts';
import { classOf, coarseTagOf, INFORMAL_TWO_WORDS, isClosedClass } from './word-class.ts';

/**
 * How plausible is it, in English, that word class b follows word class a? Estimated from the Brown corpus
 * (pair-model.json, built by build-pair-model.ts) as the lift P(b | a) / P(b): about 1 for unrelated neighbours,
 * far above 1 for "of the", near 0 for "the of". Word salad is full of near-zero lifts; English almost never is.
 */
interface PairModelFile { source: string; frequentWords: string[]; pairs: Array<[string, number]> }

const file = JSON.parse(readFileSync(new URL('./pair-model.json', import.meta.url), 'utf8')) as PairModelFile;
const frequentWords: ReadonlySet<string> = new Set(file.frequentWords);
const pairCounts = new Map<string, number>(file.pairs);
const leftCounts = new Map<string, number>();
const rightCounts = new Map<string, number>();
let total = 0;
for (const [key, count] of file.pairs) {
  const [a = '', b = ''] = key.split(' ');
  leftCounts.set(a, (leftCounts.get(a) ?? 0) + count);
  rightCounts.set(b, (rightCounts.get(b) ?? 0) + count);
  total += count;
}

/** Dirichlet smoothing mass: rare left classes fall back towards "no information" (lift 1). */
const SMOOTHING = 20;

const lifts = new Map<string, number>();

export function pairLift(a: string, b: string): number {
  const key = `${a} ${b}`;
  let lift = lifts.get(key);
  if (lift === undefined) lifts.set(key, (lift = computeLift(a, b)));
  return lift;
}

function computeLift(a: string, b: string): number {
  const pb = (rightCounts.get(b) ?? 0) / total;
  if (pb === 0) return 1;
  const pba = ((pairCounts.get(`${a} ${b}`) ?? 0) + SMOOTHING * pb) / ((leftCounts.get(a) ?? 0) + SMOOTHING);
  return pba / pb;
}

/** A word's class depends on its spelling only. */
const classOfWordText = memoised((text: string) => classOf({ text, kind: 'word' }, frequentWords), 200_000);

export function wordClass(token: Token): string {
  return token.kind === 'word' ? classOfWordText(token.text) : classOf(token, frequentWords);
}

/**
 * The classes a token takes as the second word of a pair and as the first ("wanna" is "want" after "you" and "to"
 * before "know"). A capitalised open-class word inside a sentence is a name ("the game of Go", "advanced Go
 * programs"): the pair model knows "go" only as a verb, so a name must not be read as the word it is spelt like.
 * After a line start, an end mark, a quote, a bracket or a colon a capital starts a sentence and says nothing.
 * Closed-class words stay themselves whatever their case: "the The", "a As" inside a sentence are debris.
 */
export function tokenClasses(token: Token, previous: Token | undefined): readonly [string, string] {
  if (token.kind !== 'word') { const cls = wordClass(token); return [cls, cls]; }
  const word = wordFacts(token.text);
  if (word.two) return word.two;
  const cls = word.cls;
  // A split infinitive ("to never", "to also"), which the edited prose of the 1960s avoided: read as "to" + adverb.
  if (word.adverbWord && previous?.text.toLowerCase() === 'to') return ['RB', cls];
  // A capital the lexicon does not know stays unknown (`?Cap`): its pairs say nothing either way. A word in
  // capitals is emphasis or an acronym ("I am VERY sure"), not a name spelt like a word: it keeps its class.
  const inSentence = previous !== undefined && (previous.kind !== 'punct' || previous.punct === ',');
  if (inSentence && word.nameShaped) return ['NNP', 'NNP'];
  return word.both;
}

/** What tokenClasses reads of a word, whatever its neighbours: worked out once per spelling. */
interface WordFacts {
  cls: string;
  both: readonly [string, string];
  /** An informal spelling of two words: their classes. */
  two?: readonly [string, string];
  /** A frequent word the lexicon tags as an adverb (read as one after "to"). */
  adverbWord: boolean;
  /** A known open-class word written with a capital: a name inside a sentence. */
  nameShaped: boolean;
}

const wordFacts = memoised((text: string): WordFacts => {
  const lower = text.toLowerCase();
  // Own keys only: "constructor" or "toString" must not find Object's methods.
  const pair = Object.hasOwn(INFORMAL_TWO_WORDS, lower) ? INFORMAL_TWO_WORDS[lower] : undefined;
  const cls = classOfWordText(text);
  return {
    cls,
    both: [cls, cls],
    two: pair && [classOfWordText(pair[0]), classOfWordText(pair[1])],
    adverbWord: cls.startsWith('w:') && coarseTagOf(lower) === 'RB',
    nameShaped: !isUnknownClass(cls) && /^\p{Lu}\p{Ll}/u.test(text) && !isClosedClass(lower),
  };
}, 200_000);

export function isFrequentWord(word: string): boolean {
  return frequentWords.has(word.toLowerCase());
}

/** Classes with no lexicon entry: their pairs say nothing about word order. */
export function isUnknownClass(cls: string): boolean {
  return cls === '?' || cls === '?Cap';
}
