import { leakGuardsText } from '../providers/runpod/types.ts';
import type { RunRecord } from '../results/types.ts';
import { formatMs } from '../run/phases.ts';
import { describeStats } from '../throughput/sample-stats.ts';

/**
 * The throughput and time figures every report shows, as plain lines and table rows: the fixed workload's
 * repetitions (mean ± sd, margin of error), latency, the roofline, and where the run's wall time (and, on a pod,
 * its money) went.
 */
export interface PhaseTotal {
  phase: string;
  ms: number;
  share: number;
  steps: number;
}

/** Wall time per phase, in first-seen order, with its share of the sum. */
export function phaseTotals(record: RunRecord): PhaseTotal[] {
  const by = new Map<string, { ms: number; steps: number }>();
  for (const s of record.phases) {
    const t = by.get(s.phase) ?? { ms: 0, steps: 0 };
    by.set(s.phase, { ms: t.ms + s.ms, steps: t.steps + 1 });
  }
  const total = [...by.values()].reduce((a, t) => a + t.ms, 0) || 1;
  return [...by].map(([phase, t]) => ({ phase, ms: t.ms, share: t.ms / total, steps: t.steps }));
}

/** `provision 0.1 s · build 0 ms · load 32 ms · generate 0.4 s · …` */
export function phaseLine(record: RunRecord): string {
  return phaseTotals(record).map((p) => `${p.phase} ${formatMs(p.ms)}`).join(' · ');
}

/** Plain-text lines about speed: workload stats, latency, roofline, cost. Empty when none was measured. */
export function speedLines(record: RunRecord): string[] {
  const out: string[] = [];
  const t = record.throughput;
  if (t) {
    out.push(`Workload: "${t.workload.prompt}" (${t.workload.promptTokens} prompt tokens), tg${t.workload.nPredict}, ${t.warmup} warm-up + ${t.repetitions.length}/${t.planned} repetitions, ${t.mode} mode`);
    out.push(`  eval:        ${describeStats(t.tokensPerSecond, 'tok/s')}`);
    out.push(`  prompt eval: ${describeStats(t.promptTokensPerSecond, 'tok/s')}`);
    out.push(`  TTFT:        ${describeStats(t.ttftMs, 'ms', 1)}`);
    out.push(`  TPOT:        ${describeStats(t.tpotMs, 'ms', 2)}`);
    const itl = t.repetitions[0]?.latency.itlMs;
    if (itl) out.push(`  inter-token: p50 ${itl.p50.toFixed(2)} ms, p90 ${itl.p90.toFixed(2)} ms, p99 ${itl.p99.toFixed(2)} ms (first repetition)`);
  }
  const r = record.roofline;
  if (r) {
    const achieved = r.fraction === null ? 'no achieved rate' : `achieved ${r.achievedTokensPerSecond!.toFixed(2)} tok/s = ${(r.fraction * 100).toFixed(1)} % of it`;
    out.push(`Roofline: ${(r.bandwidthBytesPerSecond / 1e9).toFixed(1)} GB/s ÷ ${(r.bytesPerToken / 1e6).toFixed(1)} MB per token (model file) = ${r.ceilingTokensPerSecond.toFixed(1)} tok/s ceiling; ${achieved}`);
  }
  if (record.cost) {
    const c = record.cost;
    out.push(`Billed: $${c.totalDollars.toFixed(4)} for ${c.totalSeconds.toFixed(0)} s at $${c.costPerHr.toFixed(3)}/hr (${c.phases.map((p) => `${p.name} ${p.seconds.toFixed(0)} s $${p.dollars.toFixed(4)}`).join(', ')})`);
    if (c.leakGuards) out.push(`Leak guards: ${leakGuardsText(c.leakGuards)}`);
  }
  return out;
}
