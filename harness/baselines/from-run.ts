import { HarnessError } from '../errors.ts';
import type { ResultRow, RunRecord } from '../results/types.ts';
import { BASELINE_FORMAT, type Baseline, type BaselineKind, type PromptResult } from './schema.ts';

/**
 * The token-rate samples of one prompt: one eval rate per repetition (throughput.perPromptRepetitions); rows
 * written before repetitions existed carry only their single eval rate.
 */
export function tokenRateSamples(row: ResultRow): number[] {
  const repeated = row.samples;
  if (Array.isArray(repeated)) return repeated.filter((x) => Number.isFinite(x) && x > 0);
  const rate = row.timings.tokensPerSecond;
  return rate !== null && Number.isFinite(rate) && rate > 0 ? [rate] : [];
}

export function promptResultOf(row: ResultRow): PromptResult {
  return {
    id: row.promptId,
    prompt: row.prompt,
    text: row.text,
    verdict: row.verdict,
    score: row.score,
    reasons: row.reasons,
    ...(row.error ? { error: row.error } : {}),
    generatedTokens: row.timings.evalTokens,
    endOfText: row.endOfText,
    tokensPerSecond: { samples: tokenRateSamples(row) },
  };
}

/** A label that says what the run was when the user gives none: arch, CPU, engine, commit, model. */
export function defaultLabel(record: RunRecord): string {
  const env = record.environment;
  if (!env) return record.runId;
  return `${env.machine.arch} ${env.machine.cpuModel}, ${env.engine} ${env.engineCommit}, ${env.modelName} (${record.runId})`;
}

/** A run as a baseline-shaped snapshot: what gets recorded, and the current side of every comparison. */
export function snapshotOf(record: RunRecord, options: { label?: string; kind?: BaselineKind; now?: Date } = {}): Baseline {
  const env = record.environment;
  if (!env) {
    throw new HarnessError('config', 'record baseline', `run ${record.runId} has no environment: it stopped at "${record.failure?.step ?? 'setup'}" before the engine was ready, so there is nothing to record`, 'record a run that generated at least one prompt');
  }
  const m = env.machine;
  return {
    format: BASELINE_FORMAT,
    label: options.label ?? defaultLabel(record),
    kind: options.kind ?? 'previous-run',
    recordedAt: (options.now ?? new Date()).toISOString(),
    source: { runId: record.runId, project: record.project, promptSet: record.promptSet, status: record.status },
    environment: {
      os: m.os,
      arch: m.arch,
      cpu: m.cpuModel,
      cores: m.cores,
      flags: { ...m.flags },
      target: env.targetLabel,
      engine: env.engine,
      engineVersion: env.engineVersion,
      engineCommit: env.engineCommit,
      modelName: env.modelName,
      modelFile: env.modelFile,
      modelBytes: env.modelBytes,
      threads: env.threads,
      batchSize: env.batchSize,
      nPredict: env.nPredict,
      temperature: env.temperature,
      ...(env.engineArgv ? { engineArgv: [...env.engineArgv] } : {}),
    },
    prompts: record.rows.map(promptResultOf),
  };
}
