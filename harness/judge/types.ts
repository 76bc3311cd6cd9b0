/** One check's outcome, in promptfoo's assertion shape. `score` is in [0, 1]; 1 is perfectly coherent. */
export interface CheckResult {
  name: string;
  pass: boolean;
  score: number;
  /** Readable, specific: says what was measured, the value, and the threshold it missed or met. */
  reason: string;
}

/** Optional judge-free correctness probe attached to a prompt in fixtures/. */
export interface PromptExpectation {
  /** Every string must occur in the continuation (case-insensitive). */
  contains?: string[];
  /** At least one of these must occur (case-insensitive). */
  containsAny?: string[];
}

export interface JudgeInput {
  text: string;
  prompt?: string;
  expect?: PromptExpectation;
}

/**
 * `repetitive`: fluent, well-formed sentences that repeat (greedy decoding of a small healthy model settles into a
 * loop of one correct sentence). It passes unless the config says `judge.failOnRepetition`. Loops of fragments,
 * sub-words or junk stay `degenerate`.
 */
export type VerdictLabel = 'coherent' | 'repetitive' | 'degenerate';

/** Whether a verdict passes the coherence test: `repetitive` passes (with a warning) unless failOnRepetition. */
export function verdictPasses(verdict: VerdictLabel, options: { failOnRepetition?: boolean } = {}): boolean {
  return verdict === 'coherent' || (verdict === 'repetitive' && !options.failOnRepetition);
}

export interface Verdict {
  verdict: VerdictLabel;
  /** Combined score in [0, 1]. */
  score: number;
  /** Reasons of the failed checks (empty when coherent), each naming the check. */
  reasons: string[];
  checks: CheckResult[];
}
