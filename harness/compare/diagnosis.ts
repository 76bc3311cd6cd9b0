import type { BaselineKind } from '../baselines/schema.ts';
import type { VerdictLabel } from '../judge/types.ts';

/**
 * What a pair of verdicts means — the reasoning of the original investigation, as a table. A platform baseline
 * (another CPU, e.g. Apple M1) tells which side's kernels are at fault; a previous run of the same platform tells
 * whether something regressed or got fixed. Only a previous-run regression fails the gate: an ARM word-salad
 * baseline is evidence about ARM, not a failure of this run.
 */
export type DiagnosisCode =
  | 'fine'
  | 'baseline-platform-fault'
  | 'this-platform-fault'
  | 'weights-or-forward-pass'
  | 'regression'
  | 'fixed'
  | 'still-broken'
  | 'not-in-baseline'
  | 'no-result';

export interface Diagnosis {
  code: DiagnosisCode;
  /** One sentence a person can act on. */
  summary: string;
  /** True only for a new quality regression against a previous run of this platform. */
  regression: boolean;
}

export interface DiagnosisSide {
  verdict: VerdictLabel | undefined;
  /** How to name the side in a sentence: `x86_64`, `arm64 (Apple M1, bitnet.cpp 01eb415)`. */
  name: string;
}

export function diagnose(current: DiagnosisSide, baseline: DiagnosisSide, kind: BaselineKind): Diagnosis {
  const here = current.name;
  const there = baseline.name;
  if (!current.verdict) return { code: 'no-result', summary: `no result in this run to compare with ${there}`, regression: false };
  if (!baseline.verdict) return { code: 'not-in-baseline', summary: `${there} has no result for this prompt`, regression: false };
  const now = current.verdict === 'coherent';
  const then = baseline.verdict === 'coherent';
  if (kind === 'previous-run') {
    if (now && then) return { code: 'fine', summary: `fine: coherent now and in ${there}`, regression: false };
    if (!now && then) return { code: 'regression', summary: `regression: coherent in ${there}, degenerate now — look at what changed since (engine commit, build flags, model file)`, regression: true };
    if (now && !then) return { code: 'fixed', summary: `fixed: degenerate in ${there}, coherent now`, regression: false };
    return { code: 'still-broken', summary: `still broken: degenerate now and in ${there} — the weights or the forward pass, not a new regression`, regression: false };
  }
  if (now && then) return { code: 'fine', summary: `fine: coherent on ${here} and on ${there}`, regression: false };
  if (now && !then) return { code: 'baseline-platform-fault', summary: `${there}'s kernels are at fault: the same model is coherent on ${here} and word salad there`, regression: false };
  if (!now && then) return { code: 'this-platform-fault', summary: `${here}'s kernels are at fault: the same model is coherent on ${there} and degenerate here`, regression: false };
  return { code: 'weights-or-forward-pass', summary: `broken on both ${here} and ${there}: the weights or the forward pass, not a platform kernel`, regression: false };
}
