import type { Baseline, BaselineEnvironment, PromptResult } from '../baselines/schema.ts';
import { type Agreement, modelFileName, referenceMismatch, type TokenLimits, verbatimText, wordAgreement } from './agreement.ts';
import { greedyFlagMismatches, greedySettings } from './greedy-flags.ts';
import { verdictPasses } from '../judge/types.ts';
import { archFamily, type Diagnosis, diagnose } from './diagnosis.ts';
import { type Divergence, firstDivergence } from './divergence.ts';
import { compareRates, defaultRateOptions, type RateComparison, type RateOptions } from './rate.ts';

/** One prompt of this run against one baseline. */
export interface PromptComparison {
  promptId: string;
  prompt: string;
  current?: PromptResult;
  baseline?: PromptResult;
  diagnosis: Diagnosis;
  /** null when the outputs are identical or one side has none. */
  divergence: Divergence | null;
  rate: RateComparison;
  /** Rate judged against the gate: only against a previous run of the same platform. */
  slower: boolean;
  /** Word-level agreement with a greedy reference baseline that applies to this run; null otherwise. */
  agreement: Agreement | null;
}

/** A baseline marked as a greedy reference: how it is named in sentences, and why it does not apply, if it does not. */
export interface ReferenceStatus {
  /** `the x86 reference (AMD EPYC 75F3)` */
  name: string;
  /** null when it applies to this run (same engine code, model file, temperature 0). */
  mismatch: string | null;
}

export interface CompareOptions extends RateOptions {
  /** judge.failOnRepetition, for the diagnosis: a repetitive output then fails like a degenerate one. */
  failOnRepetition?: boolean;
  /**
   * The prompts this run asked (its record's promptIds), when some may have no result: a baseline prompt among them
   * is compared (as "no result"), any other is one this run never asked and is only counted. Default: the run's results.
   */
  askedPromptIds?: readonly string[];
}

export interface RunComparison {
  baseline: { label: string; kind: Baseline['kind']; runId: string; environment: BaselineEnvironment };
  /** Set when the baseline is marked as a greedy reference. */
  reference: ReferenceStatus | null;
  /** Same engine commit, model file and settings (-b, --override-kv: greedy-flags.ts) at temperature 0: outputs must match token for token. */
  expectIdenticalOutputs: boolean;
  /** The prompts this run asked, against the baseline; a baseline prompt this run did not ask is no finding. */
  prompts: PromptComparison[];
  /** The baseline's prompts this run did not ask (a smaller prompt set, a shard): counted in the legend, never compared. */
  notAsked: string[];
  /** Prompts that regressed in quality or speed (previous-run baselines only). */
  regressions: PromptComparison[];
}

/** A result that failed the judge (or never came): what turns an early divergence into "diverged from the reference". */
export function failsJudge(p: PromptResult, options: { failOnRepetition?: boolean } = {}): boolean {
  return Boolean(p.error) || !verdictPasses(p.verdict, options);
}

export function referenceName(env: BaselineEnvironment): string {
  return `the ${archFamily(env.arch)} reference (${env.cpu})`;
}

export function compareRun(current: Baseline, baseline: Baseline, options: CompareOptions = defaultRateOptions): RunComparison {
  const theirs = new Map(baseline.prompts.map((p) => [p.id, p]));
  const ours = new Map(current.prompts.map((p) => [p.id, p]));
  const asked = new Set(options.askedPromptIds ?? ours.keys());
  const ids = [...ours.keys(), ...[...theirs.keys()].filter((id) => asked.has(id) && !ours.has(id))];
  const notAsked = [...theirs.keys()].filter((id) => !asked.has(id) && !ours.has(id));
  const here = { arch: current.environment.arch, platform: current.environment.cpu };
  const there = { arch: baseline.environment.arch, platform: baseline.environment.cpu };
  const reference = baseline.reference ? { name: referenceName(baseline.environment), mismatch: referenceMismatch(current.environment, baseline) } : null;
  const limits = tokenLimits(current.environment, baseline.environment);
  // Another platform's kernels can only be blamed for the same model: a tiny test model against published BitNet
  // outputs says nothing about either platform. (A simulated baseline is another model on purpose.)
  const otherModel = baseline.kind === 'platform' ? modelDifference(current.environment, baseline.environment, baseline.environment.cpu) : null;
  const prompts = ids.map((id): PromptComparison => {
    const cur = ours.get(id);
    const base = theirs.get(id);
    const rate = compareRates(cur?.tokensPerSecond.samples ?? [], base?.tokensPerSecond.samples ?? [], options);
    return {
      promptId: id,
      prompt: cur?.prompt ?? base?.prompt ?? id,
      ...(cur ? { current: cur } : {}),
      ...(base ? { baseline: base } : {}),
      diagnosis: cur?.error || base?.error
        ? // an infrastructure fault has no verdict: its placeholder must never read as word salad on either side
          { code: 'not-graded', finding: 'not graded', summary: `not graded: ${cur?.error ? 'this run' : `"${baseline.label}"`} hit an infrastructure fault on this prompt, so there is no verdict to compare`, regression: false }
        : otherModel && cur && base
          ? { code: 'other-model', finding: 'not comparable', summary: `not comparable: ${otherModel}`, regression: false }
          : diagnose({ verdict: cur?.verdict, ...here }, { verdict: base?.verdict, ...there }, baseline.kind, { label: baseline.label, failOnRepetition: options.failOnRepetition }),
      divergence: cur && base && !cur.error && !base.error ? textDivergence(cur.text, base) : null,
      rate,
      slower: baseline.kind === 'previous-run' && rate.verdict === 'slower',
      agreement: reference && !reference.mismatch && cur && base && !cur.error && !base.error ? wordAgreement(cur.text, base, limits && !cur.endOfText ? { shorterLimit: limits } : {}) : null,
    };
  });
  return {
    baseline: { label: baseline.label, kind: baseline.kind, runId: baseline.source.runId, environment: baseline.environment },
    reference,
    expectIdenticalOutputs: sameDeterministicSetup(current.environment, baseline.environment),
    prompts,
    notAsked,
    regressions: prompts.filter((p) => p.diagnosis.regression || p.slower),
  };
}

/** Both `-n`s when this run's is the smaller: its text may end before the reference's without diverging. */
function tokenLimits(current: BaselineEnvironment, reference: BaselineEnvironment): TokenLimits | null {
  const now = greedySettings(current).nPredict;
  const ref = greedySettings(reference).nPredict;
  return now !== null && ref !== null && now < ref ? { now, reference: ref } : null;
}

/** Where this run's text leaves the baseline's; an author-abbreviated baseline text only counts up to the abbreviation. */
function textDivergence(now: string, base: PromptResult): Divergence | null {
  if (!base.truncated) return firstDivergence(now, base.text);
  const verbatim = verbatimText(base).trimEnd();
  return now.startsWith(verbatim) ? null : firstDivergence(now, verbatim);
}

/** Why two runs did not run the same model file (by name, and by size where both sizes are known), or null. */
function modelDifference(now: BaselineEnvironment, then: BaselineEnvironment, platform: string): string | null {
  if (modelFileName(now.modelFile) !== modelFileName(then.modelFile)) return `this run's model is ${modelFileName(now.modelFile)}, ${platform} ran ${modelFileName(then.modelFile)}`;
  if (now.modelBytes > 0 && then.modelBytes > 0 && now.modelBytes !== then.modelBytes) return `this run's ${modelFileName(now.modelFile)} has ${now.modelBytes} bytes, ${platform}'s ${then.modelBytes}`;
  return null;
}

function sameDeterministicSetup(a: BaselineEnvironment, b: BaselineEnvironment): boolean {
  return a.temperature === 0 && b.temperature === 0 && a.engine === b.engine && a.engineCommit === b.engineCommit && modelFileName(a.modelFile) === modelFileName(b.modelFile) && a.modelBytes === b.modelBytes && a.nPredict === b.nPredict && a.arch === b.arch && greedyFlagMismatches(a, b).length === 0;
}

export function compareAll(current: Baseline, baselines: readonly Baseline[], options?: CompareOptions): RunComparison[] {
  return baselines.map((b) => compareRun(current, b, options));
}
