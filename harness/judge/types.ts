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

export type VerdictLabel = 'coherent' | 'degenerate';

export interface Verdict {
  verdict: VerdictLabel;
  /** Combined score in [0, 1]. */
  score: number;
  /** Reasons of the failed checks (empty when coherent), each naming the check. */
  reasons: string[];
  checks: CheckResult[];
}
