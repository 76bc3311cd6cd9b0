import { readFileSync } from 'node:fs';
import type { Token } from './tokens.ts';
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

export function wordClass(token: Token): string {
  return classOf(token, frequentWords);
}

/**
 * The classes a token takes as the second word of a pair and as the first ("wanna" is "want" after "you" and "to"
 * before "know"). A capitalised open-class word inside a sentence is a name ("the game of Go", "advanced Go
 * programs"): the pair model knows "go" only as a verb, so a name must not be read as the word it is spelt like.
 * After a line start, an end mark, a quote, a bracket or a colon a capital starts a sentence and says nothing.
 * Closed-class words stay themselves whatever their case: "the The", "a As" inside a sentence are debris.
 */
export function tokenClasses(token: Token, previous: Token | undefined): readonly [string, string] {
  const lower = token.text.toLowerCase();
  const two = token.kind === 'word' ? INFORMAL_TWO_WORDS[lower] : undefined;
  if (two) return [classOfWord(two[0]), classOfWord(two[1])];
  const cls = wordClass(token);
  const inSentence = previous !== undefined && (previous.kind !== 'punct' || previous.punct === ',');
  // A split infinitive ("to never", "to also"), which the edited prose of the 1960s avoided: read as "to" + adverb.
  if (previous?.text.toLowerCase() === 'to' && cls.startsWith('w:') && coarseTagOf(lower) === 'RB') return ['RB', cls];
  // A capital the lexicon does not know stays unknown (`?Cap`): its pairs say nothing either way. A word in
  // capitals is emphasis or an acronym ("I am VERY sure"), not a name spelt like a word: it keeps its class.
  if (inSentence && !isUnknownClass(cls) && token.kind === 'word' && /^\p{Lu}\p{Ll}/u.test(token.text) && !isClosedClass(lower)) return ['NNP', 'NNP'];
  return [cls, cls];
}

const classOfWord = (text: string) => wordClass({ text, kind: 'word' });

export function isFrequentWord(word: string): boolean {
  return frequentWords.has(word.toLowerCase());
}

/** Classes with no lexicon entry: their pairs say nothing about word order. */
export function isUnknownClass(cls: string): boolean {
  return cls === '?' || cls === '?Cap';
}
