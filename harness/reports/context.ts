import { snapshotOf } from '../baselines/from-run.ts';
import type { Baseline } from '../baselines/schema.ts';
import { compareAll, type RunComparison } from '../compare/compare.ts';
import { defaultRateOptions, type RateOptions } from '../compare/rate.ts';
import { evaluateGate, type GateResult } from '../gate/gate.ts';
import type { RunRecord } from '../results/types.ts';
import { type FlatRow, flattenRow } from './flat-row.ts';

/**
 * Everything a report writer may show, computed once: the flat rows (llama-bench style, one per prompt), the
 * comparison against each baseline, and the gate's verdict. Writers are pure functions of this.
 */
export interface ReportContext {
  record: RunRecord;
  rows: FlatRow[];
  baselines: Baseline[];
  comparisons: RunComparison[];
  gate: GateResult;
}

export function buildReportContext(record: RunRecord, baselines: readonly Baseline[] = [], rateOptions: RateOptions = defaultRateOptions): ReportContext {
  const comparisons = record.environment && record.rows.length ? compareAll(snapshotOf(record, { label: 'this run' }), baselines, { ...rateOptions, failOnRepetition: record.failOnRepetition, askedPromptIds: record.promptIds }) : [];
  const reference = comparisons.find((c) => c.reference && !c.reference.mismatch);
  const agreement = new Map(reference?.prompts.map((p) => [p.promptId, p.agreement]) ?? []);
  return {
    record,
    rows: record.rows.map((row) => {
      const a = agreement.get(row.promptId);
      return { ...flattenRow(row, record.environment, record.project), ...(a ? { reference_words_agreed: a.words, reference_words: a.referenceWords, reference_diverges_at_word: a.divergence?.word ?? null } : {}) };
    }),
    baselines: [...baselines],
    comparisons,
    gate: evaluateGate(record, comparisons),
  };
}
