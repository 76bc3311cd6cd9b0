import { ternaryMatrix, type TernaryMatrix } from '../gguf/tq2_0.ts';
import type { Transition } from './successor-plan.ts';

/** Ternary matrices of a one-layer BitNet block; norms are all-ones vectors, so only sizes are stored. */
export interface TinyBitnetWeights {
  nEmbd: number;
  nFf: number;
  nVocab: number;
  /** [n_vocab rows × n_embd]: token t is the unit vector of its slot (all zeros for tokens never used). */
  tokenEmbd: TernaryMatrix;
  wq: TernaryMatrix;
  wk: TernaryMatrix;
  wv: TernaryMatrix;
  wo: TernaryMatrix;
  ffnGate: TernaryMatrix;
  ffnUp: TernaryMatrix;
  ffnDown: TernaryMatrix;
}

const TQ_ROW = 256;
const roundUp = (n: number, m: number): number => Math.max(m, Math.ceil(n / m) * m);

/**
 * Weights that make llama.cpp's bitnet graph follow `transitions` under greedy decoding:
 * - embeddings are one-hot, so after RMS norm the residual stream is √n_embd at the token's slot;
 * - attention reads real (pseudo-random ternary) Q/K/V but its output projection is zero, so each step
 *   depends on the current token only;
 * - feed-forward unit k fires only for transition k's `from` token (gate and up both +1 at that slot;
 *   SiLU(x)·x is large for the one firing unit and 0 for the rest), and ffn_down writes +1 into the slot of
 *   its `to` token; after ffn_sub_norm that is √n_ff, well above the residual's 1;
 * - the output head is the embedding itself (BitNet ties them), so the largest logit is the `to` token.
 * Tokens without a transition keep only the residual and so predict themselves.
 */
export function buildWeights(nVocab: number, transitions: readonly Transition[], extraSlotted: readonly number[] = []): TinyBitnetWeights {
  const fromTokens = new Set<number>();
  for (const t of transitions) {
    if (fromTokens.has(t.from)) throw new Error(`token ${t.from} has two successors; each token needs exactly one`);
    fromTokens.add(t.from);
  }
  const slotOf = new Map<number, number>();
  for (const token of [...transitions.flatMap((t) => [t.from, t.to]), ...extraSlotted]) {
    if (token < 0 || token >= nVocab) throw new Error(`token ${token} is outside the vocabulary of ${nVocab}`);
    if (!slotOf.has(token)) slotOf.set(token, slotOf.size);
  }
  const nEmbd = roundUp(slotOf.size, TQ_ROW);
  const nFf = roundUp(transitions.length, TQ_ROW);

  const tokenEmbd = ternaryMatrix(nVocab, nEmbd);
  for (const [token, slot] of slotOf) tokenEmbd.values[token * nEmbd + slot] = 1;

  const ffnGate = ternaryMatrix(nFf, nEmbd);
  const ffnUp = ternaryMatrix(nFf, nEmbd);
  const ffnDown = ternaryMatrix(nEmbd, nFf);
  transitions.forEach(({ from, to }, unit) => {
    ffnGate.values[unit * nEmbd + slotOf.get(from)!] = 1;
    ffnUp.values[unit * nEmbd + slotOf.get(from)!] = 1;
    ffnDown.values[slotOf.get(to)! * nFf + unit] = 1;
  });

  return {
    nEmbd,
    nFf,
    nVocab,
    tokenEmbd,
    wq: pseudoRandomTernary(nEmbd, nEmbd, 0x9e3779b9),
    wk: pseudoRandomTernary(nEmbd, nEmbd, 0x85ebca6b),
    wv: pseudoRandomTernary(nEmbd, nEmbd, 0xc2b2ae35),
    wo: ternaryMatrix(nEmbd, nEmbd),
    ffnGate,
    ffnUp,
    ffnDown,
  };
}

/** Deterministic (xorshift32) ternary noise, so the attention kernels do real work on every run. */
function pseudoRandomTernary(rows: number, cols: number, seed: number): TernaryMatrix {
  const m = ternaryMatrix(rows, cols);
  let state = seed >>> 0;
  for (let i = 0; i < m.values.length; i++) {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    m.values[i] = (state % 3) - 1;
  }
  return m;
}
