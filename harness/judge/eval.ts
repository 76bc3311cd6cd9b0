import type { CorpusSample } from './corpus/corpus.ts';
import { judge } from './index.ts';
import type { JudgeThresholds, Verdict, VerdictLabel } from './index.ts';

/**
 * Tallies over three labels. A sample is good (coherent or repetitive) or broken (degenerate): a broken sample judged
 * coherent or repetitive is a false pass, a good one judged degenerate a false fail. `correct` is the exact label
 * (coherent vs repetitive counts too); `passFailCorrect` only asks whether good and broken were told apart.
 */
export interface Tally {
  n: number; correct: number; passFailCorrect: number;
  degenerate: number; falsePass: number; coherent: number; falseFail: number;
  /** Good samples given the other good label (a coherent text called repetitive, or the reverse). */
  goodMislabel: number;
}

export interface Evaluation {
  bySplit: Map<string, Tally>;
  byKind: Map<string, Tally>;
  misjudged: Array<{ sample: CorpusSample; verdict: Verdict }>;
}

const emptyTally = (): Tally => ({ n: 0, correct: 0, passFailCorrect: 0, degenerate: 0, falsePass: 0, coherent: 0, falseFail: 0, goodMislabel: 0 });

export const isGood = (label: VerdictLabel) => label !== 'degenerate';

function add(t: Tally, sample: CorpusSample, verdict: Verdict): void {
  t.n++;
  if (verdict.verdict === sample.label) t.correct++;
  if (isGood(verdict.verdict) === isGood(sample.label)) t.passFailCorrect++;
  if (!isGood(sample.label)) { t.degenerate++; if (isGood(verdict.verdict)) t.falsePass++; }
  else {
    t.coherent++;
    if (!isGood(verdict.verdict)) t.falseFail++;
    else if (verdict.verdict !== sample.label) t.goodMislabel++;
  }
}

/** Judges every sample and tallies accuracy, false passes (broken judged good) and false fails. */
export function evaluate(samples: readonly CorpusSample[], thresholds: Partial<JudgeThresholds> = {}): Evaluation {
  const result: Evaluation = { bySplit: new Map(), byKind: new Map(), misjudged: [] };
  for (const sample of samples) {
    const verdict = judge({ text: sample.text, prompt: sample.prompt, expect: sample.expect }, thresholds);
    for (const [map, key] of [[result.bySplit, sample.split], [result.byKind, `${sample.split} ${sample.label} ${sample.kind}`]] as const) {
      if (!map.has(key)) map.set(key, emptyTally());
      add(map.get(key) as Tally, sample, verdict);
    }
    if (verdict.verdict !== sample.label) result.misjudged.push({ sample, verdict });
  }
  return result;
}

const rate = (x: number, n: number) => (n ? `${((100 * x) / n).toFixed(1)}%` : '–');

export function formatTally(name: string, t: Tally): string {
  return `${name.padEnd(44)} n=${String(t.n).padStart(3)}  pass/fail ${rate(t.passFailCorrect, t.n).padStart(6)}  exact ${rate(t.correct, t.n).padStart(6)}  false-pass ${rate(t.falsePass, t.degenerate).padStart(6)} (${t.falsePass}/${t.degenerate})  false-fail ${rate(t.falseFail, t.coherent).padStart(6)} (${t.falseFail}/${t.coherent})  coherent↔repetitive ${t.goodMislabel}`;
}
