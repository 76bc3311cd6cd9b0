import type { RunComparison } from '../compare/compare.ts';
import { describeDivergence } from '../compare/divergence.ts';
import { describeRate } from '../compare/rate.ts';
import { isInfrastructureOutcome } from '../results/outcome.ts';
import { verdictPasses } from '../judge/types.ts';
import type { RunRecord } from '../results/types.ts';

/**
 * The gate's verdict on a run, as an exit status CI can branch on. Vitest exits 1 on any failed test, which
 * cannot tell "BitNet regressed" from "the pod never came up"; these codes can.
 */
export const exitCodes = {
  /** Every prompt coherent, within the throughput bounds, and no regression against a previous run. */
  ok: 0,
  /** A quality or performance regression: a degenerate prompt, too slow, or worse than a previous-run baseline. */
  regression: 1,
  /** The run did not complete: provisioning, SSH, clone, build or download failed. Says nothing about BitNet. */
  infrastructure: 2,
  /** The gate itself was misused: bad arguments, a missing run folder, an invalid baseline or config. */
  usage: 3,
} as const;

export type GateStatus = 'ok' | 'regression' | 'infrastructure';

export interface GateFinding {
  kind: 'quality' | 'performance' | 'infrastructure';
  promptId?: string;
  message: string;
}

export interface GateResult {
  status: GateStatus;
  code: number;
  findings: GateFinding[];
  /** Diagnoses against platform/simulated baselines: shown, never failing. */
  notes: string[];
  /** Shown with the status, never changing it: e.g. a baseline that shares no prompt with the run. */
  warnings: string[];
}

export function evaluateGate(record: RunRecord, comparisons: readonly RunComparison[]): GateResult {
  const findings: GateFinding[] = [];
  if (record.status !== 'complete') {
    const f = record.failure;
    findings.push({ kind: 'infrastructure', message: f ? `${f.step} failed: ${f.message}${f.hint ? ` (what to do: ${f.hint})` : ''}` : 'the run did not complete' });
  }
  const rows = new Map(record.rows.map((r) => [r.promptId, r]));
  const missing = record.promptIds.filter((id) => !rows.has(id));
  if (missing.length && record.status === 'complete') findings.push({ kind: 'infrastructure', message: `no result for ${missing.join(', ')}` });
  const { minTokensPerSecond: min, maxTokensPerSecond: max } = record.throughputBounds;
  for (const row of record.rows) {
    const id = row.promptId;
    if (isInfrastructureOutcome(row)) {
      findings.push({ kind: 'infrastructure', promptId: id, message: `not graded, the engine never produced a usable run: ${row.error ?? 'infrastructure fault'} (a rerun with the same BENCH_RUN_ID retries it)` });
      continue;
    }
    if (!verdictPasses(row.verdict, { failOnRepetition: record.failOnRepetition })) findings.push({ kind: 'quality', promptId: id, message: `${row.verdict} output${row.verdict === 'repetitive' ? ' (judge.failOnRepetition is set)' : ''} (score ${row.score.toFixed(2)}): ${row.reasons.join('; ')}` });
    const rate = row.timings.tokensPerSecond;
    if (rate !== null && rate < min) findings.push({ kind: 'performance', promptId: id, message: `${rate.toFixed(2)} tok/s is below the minimum ${min} tok/s` });
    if (rate !== null && max !== undefined && rate > max) findings.push({ kind: 'performance', promptId: id, message: `${rate.toFixed(2)} tok/s is above the maximum ${max} tok/s` });
  }
  const notes: string[] = [];
  for (const c of comparisons) {
    for (const p of c.prompts) {
      // an ungraded prompt has no output to compare: its infrastructure finding above says so
      if (isInfrastructureOutcome(rows.get(p.promptId))) continue;
      const against = `against "${c.baseline.label}"`;
      if (p.diagnosis.regression) {
        const where = p.divergence ? `; ${describeDivergence(p.divergence)}` : '';
        findings.push({ kind: 'quality', promptId: p.promptId, message: `${against}: ${p.diagnosis.summary}${where}` });
      }
      if (p.slower) findings.push({ kind: 'performance', promptId: p.promptId, message: `${against}: ${describeRate(p.rate)}${p.rate.note ? ` (${p.rate.note})` : ''}` });
      if (c.baseline.kind !== 'previous-run' && p.diagnosis.code !== 'fine') notes.push(`${p.promptId} ${against}: ${p.diagnosis.summary}`);
    }
  }
  const status: GateStatus = findings.some((f) => f.kind === 'infrastructure') ? 'infrastructure' : findings.length ? 'regression' : 'ok';
  return { status, code: exitCodes[status], findings, notes, warnings: unrelatedBaselines(record, comparisons) };
}

/**
 * A baseline whose prompts are all different from the run's (another prompt set, a renamed prompt) compares
 * nothing, so a regression against it cannot show: said as a warning rather than an error, because a platform
 * baseline of another prompt set may be listed on purpose as context — but never passed over in silence.
 */
function unrelatedBaselines(record: RunRecord, comparisons: readonly RunComparison[]): string[] {
  const ours = new Set(record.promptIds);
  const list = (ids: string[]) => (ids.length > 6 ? `${ids.slice(0, 6).join(', ')}, … (${ids.length})` : ids.join(', '));
  return comparisons
    .filter((c) => !c.prompts.some((p) => p.baseline && ours.has(p.promptId)))
    .map((c) => `baseline "${c.baseline.label}" shares no prompt with this run (it has ${list([...c.prompts.filter((p) => p.baseline).map((p) => p.promptId), ...c.notAsked].sort())}; this run ${list([...ours].sort())}): nothing was compared against it — is it the right baseline for prompt set "${record.promptSet}"?`);
}

/** The gate's closing lines: the status with its exit code, then each finding. */
export function describeGate(gate: GateResult): string {
  const head = gate.status === 'ok' ? 'Gate: OK (exit 0)' : `Gate: ${gate.status.toUpperCase()} (exit ${gate.code}) — ${gate.findings.length} finding${gate.findings.length === 1 ? '' : 's'}`;
  return [head, ...gate.findings.map((f) => `  ✗ ${f.promptId ? `${f.promptId}: ` : ''}[${f.kind}] ${f.message}`), ...gate.warnings.map((w) => `  ! warning: ${w}`)].join('\n');
}
