import type { Baseline, BaselineEnvironment, PromptResult } from '../baselines/schema.ts';
import { greedyFlagMismatches } from './greedy-flags.ts';

/**
 * Word-level agreement of a run with a greedy reference (a baseline marked `reference`): the same model file,
 * engine code and flags at temperature 0 must give the same words, so the count of leading words that match is
 * the strongest evidence a run is right — and the word where it stops matching is the first place to read.
 * Words, not characters or tokens: a reference is published text (whitespace and line breaks reflowed by its
 * author, tokens never shown). It is evidence beside the judge's verdict, never a replacement for it.
 */
export interface Agreement {
  /** Leading words of this run equal to the reference's. */
  words: number;
  /** Words of the reference's verbatim part (before an author's abbreviation marker). */
  referenceWords: number;
  /** The author's abbreviation marker ("[repeats...]"), when the reference stops there; agreement counts up to it. */
  truncatedAt?: string;
  /** Set when this run's token limit stopped it before the reference's did: agreement counts as far as this run's text. */
  shorterLimit?: TokenLimits;
  /** null when this run agrees with every word the reference has. */
  divergence: WordDivergence | null;
}

export interface WordDivergence {
  /** 1-based, as a reader counts: "diverges at word 13". */
  word: number;
  /** A few shared words before it, then a few words of each side from it on ('' where a side has ended). */
  before: string;
  now: string;
  reference: string;
}

/** The `-n` of this run and of the reference. */
export interface TokenLimits {
  now: number;
  reference: number;
}

/**
 * Why a reference baseline gives no agreement figures for this run, or null when it applies: another engine, commit
 * or model file, or a flag that changes greedy tokens (greedy-flags.ts says which, and why threads are not one).
 */
export function referenceMismatch(current: BaselineEnvironment, baseline: Baseline): string | null {
  const ref = baseline.reference;
  if (!ref) return 'the baseline is not marked as a greedy reference';
  const problems: string[] = [];
  if (current.engine !== ref.engine) problems.push(`this run's engine is ${current.engine}, the reference's ${ref.engine}`);
  else if (!ref.engineCommits.some((c) => sameCommit(c, current.engineCommit))) problems.push(`this run's engine commit ${current.engineCommit} is not one of ${ref.engineCommits.join(', ')}`);
  const file = modelFileName(current.modelFile);
  if (file !== ref.modelFile) problems.push(`this run's model file is ${file}, the reference's ${ref.modelFile}`);
  problems.push(...greedyFlagMismatches(current, baseline.environment));
  return problems.length ? problems.join('; ') : null;
}

/** A model path's file name: runs on different machines keep the same model in different folders. */
export function modelFileName(path: string): string {
  return path.split(/[\\/]/).at(-1) ?? path;
}

function sameCommit(a: string, b: string): boolean {
  const n = Math.min(a.length, b.length);
  return n >= 7 && a.slice(0, n).toLowerCase() === b.slice(0, n).toLowerCase();
}

/** The model's own words of a reference text: before the author's abbreviation marker, if any. */
export function verbatimText(reference: Pick<PromptResult, 'text' | 'truncated'>): string {
  return reference.truncated ? reference.text.slice(0, reference.text.length - reference.truncated.marker.length) : reference.text;
}

function words(text: string): string[] {
  return text.split(/\s+/).filter(Boolean);
}

/**
 * `shorterLimit`: this run's `-n` is below the reference's and it did not stop at end of text. Its greedy text is then
 * a prefix of what the reference's limit gives, so running out of words first is no divergence — and its last word
 * may be a word its last token cut, which only has to start the reference's word.
 */
export function wordAgreement(now: string, reference: Pick<PromptResult, 'text' | 'truncated'>, options: { context?: number; shorterLimit?: TokenLimits } = {}): Agreement {
  const { context = 6, shorterLimit } = options;
  const ours = words(now);
  const verbatim = verbatimText(reference);
  const theirs = words(verbatim);
  // A marker glued to a word ("city…") may have cut that word: our word only has to start with it.
  const lastMayBeCut = Boolean(reference.truncated) && /\S$/.test(verbatim);
  const oursMayBeCut = Boolean(shorterLimit) && /\S$/.test(now);
  const same = (k: number) => ours[k] === theirs[k] || (lastMayBeCut && k === theirs.length - 1 && ours[k]!.startsWith(theirs[k]!)) || (oursMayBeCut && k === ours.length - 1 && theirs[k]!.startsWith(ours[k]!));
  let i = 0;
  while (i < theirs.length && i < ours.length && same(i)) i++;
  const truncatedAt = reference.truncated?.marker;
  const base = { words: i, referenceWords: theirs.length, ...(truncatedAt ? { truncatedAt } : {}) };
  if (i === theirs.length) return { ...base, divergence: null };
  if (shorterLimit && i > 0 && i === ours.length) return { ...base, shorterLimit, divergence: null };
  const show = (ws: string[]) => ws.slice(i, i + context).join(' ');
  return { ...base, divergence: { word: i + 1, before: ours.slice(Math.max(0, i - context), i).join(' '), now: show(ours), reference: show(theirs) } };
}

/**
 * One sentence for a test message or a report line, e.g. `agrees with the x86_64 reference (AMD EPYC 75F3) for all
 * 78 words` or `agrees with … for 12 words, then diverges at word 13: now "…" | reference "…"`. `failedJudge`: this
 * run's own output failed the judge — an early divergence then reads as what it is, `diverged from … at word K`.
 */
export function describeAgreement(a: Agreement, referenceName: string, failedJudge = false): string {
  const cut = a.truncatedAt ? ` it publishes (the author abbreviated the rest as ${JSON.stringify(a.truncatedAt)})` : '';
  if (a.shorterLimit) return `agrees with ${referenceName} for all ${a.words} words this run generated (its -n ${a.shorterLimit.now} stops before the reference's -n ${a.shorterLimit.reference}, ${a.referenceWords} words)`;
  if (!a.divergence) return `agrees with ${referenceName} for all ${a.referenceWords} words${cut}`;
  const d = a.divergence;
  const quote = (s: string) => (s ? JSON.stringify(`${s}…`) : '(end of output)');
  const where = `now ${quote(d.now)} | reference ${quote(d.reference)}`;
  if (failedJudge && isEarly(a)) return `diverged from ${referenceName} at word ${d.word}: ${where}`;
  return `agrees with ${referenceName} for ${a.words} of ${a.referenceWords} words, then diverges at word ${d.word}${d.before ? ` after ${JSON.stringify(`…${d.before}`)}` : ''}: ${where}`;
}

/** Diverged before half of the reference's words: not a late drift of an otherwise right run. */
export function isEarly(a: Agreement): boolean {
  return a.divergence !== null && a.words < a.referenceWords / 2;
}

/** `78/78 words`, `12/78 words`, for table cells. */
export function agreementCell(a: Agreement): string {
  if (a.shorterLimit) return `agrees, all ${a.words} words of -n ${a.shorterLimit.now} (reference: -n ${a.shorterLimit.reference}, ${a.referenceWords} words)`;
  return a.divergence ? `diverges at word ${a.divergence.word} (${a.words}/${a.referenceWords} words agree)` : `agrees, ${a.words}/${a.referenceWords} words${a.truncatedAt ? ' published' : ''}`;
}
