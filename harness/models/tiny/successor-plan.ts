import { chunkContinuations, toPieceText } from './chunking.ts';
import { buildSpmVocabulary, EOS_ID, type SpmVocabulary } from './spm-vocab.ts';
import type { Story } from './stories.ts';

/** "After token `from`, say token `to`": one feed-forward unit of the tiny model each. */
export interface Transition {
  from: number;
  to: number;
}

export interface SuccessorPlan {
  vocab: SpmVocabulary;
  /** Per story: the whole-prompt token and the chunk tokens of its continuation, in order. */
  stories: ReadonlyArray<{ id: string; promptToken: number; chunkTokens: number[] }>;
}

/** The vocabulary: every prompt is one token, every continuation a chain of unique chunk tokens. */
export function planStories(stories: readonly Story[]): SuccessorPlan {
  const promptPieces = stories.map((s) => toPieceText(` ${s.prompt}`));
  if (new Set(promptPieces).size !== promptPieces.length) throw new Error('two stories share a prompt');
  const chunks = chunkContinuations(
    stories.map((s) => s.continuation),
    new Set(promptPieces),
  );
  const vocab = buildSpmVocabulary([...promptPieces, ...chunks.flat()]);
  return {
    vocab,
    stories: stories.map((s, i) => ({
      id: s.id,
      promptToken: vocab.idOf(promptPieces[i]!),
      chunkTokens: chunks[i]!.map((c) => vocab.idOf(c)),
    })),
  };
}

/** Prompt → first chunk → … → last chunk → end of generation: the coherent model. */
export function coherentTransitions(plan: SuccessorPlan): Transition[] {
  return plan.stories.flatMap(({ promptToken, chunkTokens }) => chain([promptToken, ...chunkTokens, EOS_ID]));
}

/**
 * The same chains, except that after a few chunks each story jumps back `loopLength` chunks and never
 * leaves: fluent at first, then the same phrase over and over, like a model stuck in a repetition loop.
 */
export function loopingTransitions(plan: SuccessorPlan, loopLength = 4): Transition[] {
  return plan.stories.flatMap(({ promptToken, chunkTokens }) => {
    const loopStart = Math.min(3, Math.max(0, chunkTokens.length - loopLength));
    const loopEnd = Math.min(chunkTokens.length, loopStart + loopLength);
    const body = chain([promptToken, ...chunkTokens.slice(0, loopEnd)]);
    return [...body, { from: chunkTokens[loopEnd - 1]!, to: chunkTokens[loopStart]! }];
  });
}

function chain(tokens: readonly number[]): Transition[] {
  return tokens.slice(1).map((to, i) => ({ from: tokens[i]!, to }));
}

