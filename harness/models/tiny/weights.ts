import { ternaryMatrix, type TernaryMatrix } from '../gguf/tq2_0.ts';
import type { FfnUnit } from './unit-layout.ts';

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

/**
 * Weights that make llama.cpp's bitnet graph follow `units` under greedy decoding:
 * - embeddings are one-hot ("slots"), so after RMS norm the residual stream is √n_embd at the token's slot;
 * - attention reads real (pseudo-random ternary) Q/K/V but its output projection is zero, so each step
 *   depends on the current token only;
 * - unit k fires only for its `from` token (gate and up both +1 at that slot; SiLU(x)·x is large for the
 *   one firing unit and 0 for the rest), and ffn_down writes +1 into the slot of its `to` token; after
 *   ffn_sub_norm that is √n_ff, far above the residual's 1;
 * - the output head is the embedding itself (BitNet ties them), so the largest logit is the `to` token.
 * A token no unit fires for keeps only the residual and so predicts itself.
 */
export function buildWeights(nVocab: number, units: readonly FfnUnit[]): TinyBitnetWeights {
  const nFf = units.length;
  if (nFf === 0 || nFf % TQ_ROW !== 0) throw new Error(`the unit count must be a positive multiple of ${TQ_ROW}, got ${nFf}`);
  const slotOf = assignSlots(nVocab, units);
  const nEmbd = Math.ceil(slotOf.size / TQ_ROW) * TQ_ROW;

  const tokenEmbd = ternaryMatrix(nVocab, nEmbd);
  for (const [token, slot] of slotOf) tokenEmbd.values[token * nEmbd + slot] = 1;

  const ffnGate = ternaryMatrix(nFf, nEmbd);
  const ffnUp = ternaryMatrix(nFf, nEmbd);
  const ffnDown = ternaryMatrix(nEmbd, nFf);
  units.forEach(({ from, to }, unit) => {
    if (from !== null) {
      ffnGate.values[unit * nEmbd + slotOf.get(from)!] = 1;
      ffnUp.values[unit * nEmbd + slotOf.get(from)!] = 1;
    }
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

/** One embedding slot per token a unit reads or writes, in order of first use. */
function assignSlots(nVocab: number, units: readonly FfnUnit[]): Map<number, number> {
  const slotOf = new Map<number, number>();
  const firing = new Set<number>();
  for (const { from, to } of units) {
    if (from !== null) {
      if (firing.has(from)) throw new Error(`token ${from} has two successors; each token needs at most one`);
      firing.add(from);
    }
    for (const token of from === null ? [to] : [from, to]) {
      if (!Number.isInteger(token) || token < 0 || token >= nVocab) throw new Error(`token ${token} is outside the vocabulary of ${nVocab}`);
      if (!slotOf.has(token)) slotOf.set(token, slotOf.size);
    }
  }
  return slotOf;
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
