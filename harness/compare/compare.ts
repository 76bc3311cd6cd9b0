import type { Baseline, BaselineEnvironment, PromptResult } from '../baselines/schema.ts';
import { type Diagnosis, diagnose } from './diagnosis.ts';
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
}

export interface RunComparison {
  baseline: { label: string; kind: Baseline['kind']; runId: string; environment: BaselineEnvironment };
  /** Same engine commit, model file and settings at temperature 0: outputs must match token for token. */
  expectIdenticalOutputs: boolean;
  prompts: PromptComparison[];
  /** Prompts that regressed in quality or speed (previous-run baselines only). */
  regressions: PromptComparison[];
}

/** How a side is named in sentences: the baseline by arch and label, this run by arch. */
function sideName(env: BaselineEnvironment, label?: string): string {
  return label ? `${env.arch} (${label})` : `${env.arch} (this run)`;
}

export function compareRun(current: Baseline, baseline: Baseline, options: RateOptions = defaultRateOptions): RunComparison {
  const theirs = new Map(baseline.prompts.map((p) => [p.id, p]));
  const ids = [...current.prompts.map((p) => p.id), ...baseline.prompts.map((p) => p.id).filter((id) => !current.prompts.some((p) => p.id === id))];
  const ours = new Map(current.prompts.map((p) => [p.id, p]));
  const here = sideName(current.environment);
  const there = sideName(baseline.environment, baseline.label);
  const prompts = ids.map((id): PromptComparison => {
    const cur = ours.get(id);
    const base = theirs.get(id);
    const rate = compareRates(cur?.tokensPerSecond.samples ?? [], base?.tokensPerSecond.samples ?? [], options);
    return {
      promptId: id,
      prompt: cur?.prompt ?? base?.prompt ?? id,
      ...(cur ? { current: cur } : {}),
      ...(base ? { baseline: base } : {}),
      diagnosis: diagnose({ verdict: cur?.verdict, name: here }, { verdict: base?.verdict, name: there }, baseline.kind),
      divergence: cur && base && !cur.error && !base.error ? firstDivergence(cur.text, base.text) : null,
      rate,
      slower: baseline.kind === 'previous-run' && rate.verdict === 'slower',
    };
  });
  return {
    baseline: { label: baseline.label, kind: baseline.kind, runId: baseline.source.runId, environment: baseline.environment },
    expectIdenticalOutputs: sameDeterministicSetup(current.environment, baseline.environment),
    prompts,
    regressions: prompts.filter((p) => p.diagnosis.regression || p.slower),
  };
}

function sameDeterministicSetup(a: BaselineEnvironment, b: BaselineEnvironment): boolean {
  const file = (p: string) => p.split(/[\\/]/).at(-1);
  return a.temperature === 0 && b.temperature === 0 && a.engine === b.engine && a.engineCommit === b.engineCommit && file(a.modelFile) === file(b.modelFile) && a.modelBytes === b.modelBytes && a.nPredict === b.nPredict && a.arch === b.arch;
}

export function compareAll(current: Baseline, baselines: readonly Baseline[], options?: RateOptions): RunComparison[] {
  return baselines.map((b) => compareRun(current, b, options));
}
