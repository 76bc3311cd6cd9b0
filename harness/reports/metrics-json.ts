import type { RunRecord } from '../results/types.ts';
import { isInfrastructureOutcome } from '../results/outcome.ts';
import { phaseTotals } from './time-and-speed.ts';

/** bitnet_coherent_metrics.json: the seed's file name, now with the run's environment and phases. */
export function renderMetricsJson(record: RunRecord): string {
  return `${JSON.stringify(
    {
      runId: record.runId,
      project: record.project,
      status: record.status,
      startedAt: record.startedAt,
      finishedAt: record.finishedAt,
      failure: record.failure ?? null,
      environment: record.environment ?? null,
      engineMode: record.engineMode ?? null,
      phases: record.phases,
      phaseTotals: phaseTotals(record).map((p) => ({ phase: p.phase, seconds: p.ms / 1000, share: p.share })),
      throughput: record.throughput ?? null,
      roofline: record.roofline ?? null,
      cost: record.cost ?? null,
      prompts: record.rows.map((row) => ({
        id: row.promptId,
        prompt: row.prompt,
        tokensPerSecond: row.timings.tokensPerSecond,
        tokensPerSecondSamples: row.samples ?? [],
        latency: row.latency ?? null,
        generatedTokens: row.timings.evalTokens,
        evalMs: row.timings.evalMs,
        promptEvalMs: row.timings.promptEvalMs,
        promptTokens: row.timings.promptTokens,
        loadMs: row.timings.loadMs,
        totalMs: row.timings.totalMs,
        verdict: row.verdict,
        outcome: isInfrastructureOutcome(row) ? 'infrastructure' : 'judged',
        score: row.score,
        reasons: row.reasons,
        error: row.error ?? null,
        attempts: row.attempts,
      })),
      missingPrompts: record.promptIds.filter((id) => !record.rows.some((r) => r.promptId === id)),
    },
    null,
    2,
  )}\n`;
}
