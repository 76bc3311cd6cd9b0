import type { BaselineKind } from '../baselines/schema.ts';
import type { PromptComparison } from '../compare/compare.ts';
import type { DiagnosisCode } from '../compare/diagnosis.ts';
import type { ResultRow, RunRecord } from '../results/types.ts';
import { mean, standardDeviation } from '../stats/index.ts';

/** Short words for table cells; the full sentence goes under the table. */
const diagnosisTags: Record<DiagnosisCode, string> = {
  fine: 'ok',
  'baseline-platform-fault': 'their kernels',
  'this-platform-fault': 'our kernels',
  'weights-or-forward-pass': 'both broken',
  regression: 'REGRESSION',
  fixed: 'fixed',
  'still-broken': 'still broken',
  'not-in-baseline': '—',
  'no-result': '—',
};

export function diagnosisTag(code: DiagnosisCode): string {
  return diagnosisTags[code];
}

export function formatRate(rate: number | null | undefined): string {
  return rate === null || rate === undefined || !Number.isFinite(rate) ? 'n/a' : rate.toFixed(2);
}

/**
 * `−21 % slower`, `+3 %`, `n/a` — the change against a baseline in one cell. Against another platform the change
 * is shown without a verdict: an M1 being faster or slower than this CPU is not news about this run.
 */
export function rateCell(p: PromptComparison, kind: BaselineKind = 'previous-run'): string {
  const r = p.rate;
  if (r.verdict === 'no-data') return 'n/a';
  const sign = r.change >= 0 ? '+' : '−';
  const tag = r.verdict === 'unchanged' || kind !== 'previous-run' ? '' : ` ${r.verdict}`;
  return `${sign}${Math.abs(r.change * 100).toFixed(0)} %${tag}`;
}

/** `vs cell`: diagnosis tag and rate change, e.g. `ok, −3 %` or `REGRESSION, −21 % slower`. */
export function comparisonCell(p: PromptComparison | undefined, kind?: BaselineKind): string {
  if (!p) return '—';
  return `${diagnosisTag(p.diagnosis.code)}, ${rateCell(p, kind)}`;
}

/** `x86_64 AMD EPYC 7763, bitnet.cpp 01eb415, BitNet-b1.58-2B-4T` */
export function describeSetup(record: RunRecord): string {
  const env = record.environment;
  const m = env?.machine ?? record.machine;
  if (!m) return record.project;
  return env ? `${m.arch} ${m.cpuModel}, ${env.engine} ${env.engineCommit}, ${env.modelName}, ${env.threads} threads` : `${m.arch} ${m.cpuModel}`;
}

export function coherentCount(record: RunRecord): string {
  const n = record.rows.filter((r) => r.verdict === 'coherent' && !r.error).length;
  const repetitive = record.rows.filter((r) => r.verdict === 'repetitive' && !r.error).length;
  return `${n}/${record.promptIds.length} coherent${repetitive ? `, ${repetitive} repetitive` : ''}`;
}

/** A prompt's tok/s cell: `5.12`, or `5.12 ± 0.08` when it was repeated (throughput.perPromptRepetitions > 1). */
export function rowRate(row: ResultRow | undefined): string {
  const samples = row?.samples ?? [];
  if (samples.length < 2) return formatRate(row?.timings.tokensPerSecond);
  return `${mean(samples).toFixed(2)} ± ${standardDeviation(samples).toFixed(2)}`;
}
