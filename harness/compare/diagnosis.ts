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
  | 'other-model'
  | 'not-graded'
  | 'no-result';

export interface Diagnosis {
  code: DiagnosisCode;
  /** The finding in a few words, for table cells: `the ARM kernels are at fault`, `regression`, `fine`. */
  finding: string;
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
  const say = (code: DiagnosisCode, finding: string, detail: string, regression = false): Diagnosis => ({ code, finding, summary: `${finding}: ${detail}`, regression });
  if (!current.verdict) return say('no-result', 'no result', 'this run has no output for this prompt');
  if (!baseline.verdict) return say('not-in-baseline', 'not in the baseline', `${kind === 'platform' ? baseline.platform : `"${label}"`} has no output for this prompt`);
  const now = verdictPasses(current.verdict, options);
  const then = verdictPasses(baseline.verdict, options);
  const here = output(current.verdict);
  const there = output(baseline.verdict);
  if (kind === 'previous-run') {
    if (now && then) return say('fine', 'fine', `${here} now and in "${label}"`);
    if (!now && then) return say('regression', 'regression', `${there} in "${label}", ${here} now — look at what changed since (engine commit, build flags, model file)`, true);
    if (now && !then) return say('fixed', 'fixed', `${there} in "${label}", ${here} now`);
    return say('still-broken', 'still broken, not a new regression', `${here} now and in "${label}" — the weights or the forward pass`);
  }
  const where = kind === 'simulated' ? 'in the simulated baseline' : `on ${baseline.platform}`;
  const ours = archFamily(current.arch);
  const theirs = archFamily(baseline.arch);
  if (now && then) return say('fine', 'fine', `${here} here and ${where}`);
  if (now && !then) {
    const finding = kind === 'simulated' ? 'the simulated kernel fault shows' : ours === theirs ? `the kernels or the build on ${baseline.platform} are at fault` : `the ${theirs} kernels are at fault`;
    return say('baseline-platform-fault', finding, `${here} here, ${there} ${where}`);
  }
  if (!now && then) {
    const finding = ours === theirs || kind === 'simulated' ? "this machine's kernels or build are at fault" : `the ${ours} kernels are at fault`;
    return say('this-platform-fault', finding, `${here} here, ${there} ${where}`);
  }
  if (ours === theirs && kind === 'platform') return say('weights-or-forward-pass', `broken on both ${ours} machines`, `${here} here, ${there} ${where} — the same ${ours} kernels or the weights; a run on another platform tells which`);
  return say('weights-or-forward-pass', 'the weights or the forward pass are at fault', `${here} here, ${there} ${where}, so not one platform's kernels`);
}
