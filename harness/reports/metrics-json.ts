import type { RunRecord } from '../results/types.ts';

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
      phases: record.phases,
      cost: record.cost ?? null,
      prompts: record.rows.map((row) => ({
        id: row.promptId,
        prompt: row.prompt,
        tokensPerSecond: row.timings.tokensPerSecond,
        generatedTokens: row.timings.evalTokens,
        evalMs: row.timings.evalMs,
        promptEvalMs: row.timings.promptEvalMs,
        promptTokens: row.timings.promptTokens,
        loadMs: row.timings.loadMs,
        totalMs: row.timings.totalMs,
        verdict: row.verdict,
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
