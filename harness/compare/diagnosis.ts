import type { BaselineKind } from '../baselines/schema.ts';
import { type VerdictLabel, verdictPasses } from '../judge/types.ts';

/**
 * What a pair of verdicts means — the reasoning of the original investigation, as a table. A platform baseline
 * (another CPU, e.g. Apple M1) tells which side's kernels are at fault; a previous run of the same platform tells
 * whether something regressed or got fixed. Only a previous-run regression fails the gate: an ARM word-salad
 * baseline is evidence about ARM, not a failure of this run. "Passes" is the judge's `verdictPasses`: a
 * `repetitive` output (a loop of one correct sentence) passes unless the config sets failOnRepetition.
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
  /** One plain sentence a person can act on: the finding, then what each side produced. */
  summary: string;
  /** True only for a new quality regression against a previous run of this platform. */
  regression: boolean;
}

export interface DiagnosisSide {
  verdict: VerdictLabel | undefined;
  /** uname -m: x86_64, arm64, aarch64. */
  arch: string;
  /** Where it ran, as a reader names it: `Apple M1 Pro`, `AMD EPYC 75F3`. */
  platform: string;
}

export interface DiagnosisOptions {
  /** judge.failOnRepetition: a repetitive output fails like a degenerate one. */
  failOnRepetition?: boolean;
  /** The baseline's label, for previous-run and simulated baselines, which are named by it. */
  label?: string;
}

/** `ARM` for arm64/aarch64, `x86` for x86_64/amd64: the kernel family bitnet.cpp compiles for. */
export function archFamily(arch: string): string {
  if (/^(arm|aarch)/i.test(arch)) return 'ARM';
  if (/^(x86|amd64|i[3-6]86)/i.test(arch)) return 'x86';
  return arch;
}

/** How a verdict reads in a sentence: the seed's words. */
function output(verdict: VerdictLabel): string {
  return verdict === 'degenerate' ? 'word salad' : verdict;
}

export function diagnose(current: DiagnosisSide, baseline: DiagnosisSide, kind: BaselineKind, options: DiagnosisOptions = {}): Diagnosis {
  const label = options.label ?? baseline.platform;
  if (!current.verdict) return { code: 'no-result', summary: 'no result: this run has no output for this prompt', regression: false };
  if (!baseline.verdict) return { code: 'not-in-baseline', summary: `not in the baseline: "${label}" has no output for this prompt`, regression: false };
  const now = verdictPasses(current.verdict, options);
  const then = verdictPasses(baseline.verdict, options);
  const here = output(current.verdict);
  const there = output(baseline.verdict);
  if (kind === 'previous-run') {
    if (now && then) return { code: 'fine', summary: `fine: ${here} now and in "${label}"`, regression: false };
    if (!now && then) return { code: 'regression', summary: `regression: ${there} in "${label}", ${here} now — look at what changed since (engine commit, build flags, model file)`, regression: true };
    if (now && !then) return { code: 'fixed', summary: `fixed: ${there} in "${label}", ${here} now`, regression: false };
    return { code: 'still-broken', summary: `still broken, not a new regression: ${here} now and in "${label}" — the weights or the forward pass`, regression: false };
  }
  const where = kind === 'simulated' ? `in the simulated baseline "${label}"` : `on ${baseline.platform}`;
  const ours = archFamily(current.arch);
  const theirs = archFamily(baseline.arch);
  if (now && then) return { code: 'fine', summary: `fine: ${here} here and ${where}`, regression: false };
  if (now && !then) {
    const who = kind === 'simulated' ? 'the simulated kernel fault shows' : ours === theirs ? `the kernels or the build on ${baseline.platform} are at fault` : `the ${theirs} kernels are at fault`;
    return { code: 'baseline-platform-fault', summary: `${who}: ${here} here, ${there} ${where}`, regression: false };
  }
  if (!now && then) {
    const who = ours === theirs || kind === 'simulated' ? `this machine's kernels or build are at fault` : `the ${ours} kernels are at fault`;
    return { code: 'this-platform-fault', summary: `${who}: ${here} here, ${there} ${where}`, regression: false };
  }
  return { code: 'weights-or-forward-pass', summary: `the weights or the forward pass are at fault, not one platform's kernels: ${here} here, ${there} ${where}`, regression: false };
}
