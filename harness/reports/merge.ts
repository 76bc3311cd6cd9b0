import { ConfigError } from '../errors.ts';
import type { ResultRow, RunRecord } from '../results/types.ts';

/**
 * Merges the run records of shards (or of any runs of the same project and prompt set on the same engine and
 * model) into one record, as if one machine had run every prompt. The first record's environment stands for all;
 * runs that differ in what decides the output (engine commit, model, settings) are refused, since their rows
 * cannot be read as one run.
 */
export function mergeRuns(records: readonly RunRecord[], target: { runId: string; reportDir: string }): RunRecord {
  const first = records[0];
  if (!first) throw new ConfigError('nothing to merge', 'pass two or more run folders');
  for (const r of records.slice(1)) {
    if (r.project !== first.project || r.promptSet !== first.promptSet) throw new ConfigError(`cannot merge ${r.runId} (${r.project}, prompt set ${r.promptSet}) with ${first.runId} (${first.project}, prompt set ${first.promptSet})`, 'merge only shards of one project and prompt set');
    const clash = environmentClash(first, r);
    if (clash) throw new ConfigError(`cannot merge ${r.runId} with ${first.runId}: ${clash}`, 'merge only runs made with the same engine, model and generation settings');
  }
  const promptSetIds = first.shard?.promptSetIds ?? unique(records.flatMap((r) => r.promptIds));
  const order = new Map(promptSetIds.map((id, i) => [id, i]));
  const rows = new Map<string, ResultRow>();
  for (const r of records) {
    for (const row of r.rows) {
      const seen = rows.get(row.promptId);
      if (seen) throw new ConfigError(`prompt "${row.promptId}" is in both ${seen.runId} and ${row.runId}`, 'merge disjoint shards (each run with a different --shard index)');
      rows.set(row.promptId, row);
    }
  }
  const failed = records.find((r) => r.status !== 'complete');
  const env = records.find((r) => r.environment)?.environment;
  return {
    runId: target.runId,
    project: first.project,
    status: failed ? 'failed' : 'complete',
    startedAt: records.map((r) => r.startedAt).sort()[0]!,
    finishedAt: records.map((r) => r.finishedAt ?? r.startedAt).sort().at(-1)!,
    reportDir: target.reportDir,
    configSource: first.configSource,
    promptSet: first.promptSet,
    promptIds: promptSetIds,
    ...(first.machine || env ? { machine: env?.machine ?? first.machine } : {}),
    ...(env ? { environment: { ...env, runId: target.runId } } : {}),
    rows: [...rows.values()].sort((a, b) => (order.get(a.promptId) ?? 1e9) - (order.get(b.promptId) ?? 1e9)),
    phases: records.flatMap((r) => r.phases.map((p) => ({ ...p, step: `[${r.runId}] ${p.step}` }))),
    ...(failed?.failure ? { failure: { ...failed.failure, step: `[${failed.runId}] ${failed.failure.step}` } } : {}),
    throughputBounds: first.throughputBounds,
    ...(first.failOnRepetition ? { failOnRepetition: true } : {}),
    mergedFrom: records.map((r) => r.runId),
  };
}

function environmentClash(a: RunRecord, b: RunRecord): string | undefined {
  const ea = a.environment;
  const eb = b.environment;
  if (!ea || !eb) return undefined;
  const keys = ['engine', 'engineCommit', 'modelName', 'modelBytes', 'threads', 'batchSize', 'nPredict', 'temperature'] as const;
  const key = keys.find((k) => ea[k] !== eb[k]);
  return key ? `${key} differs (${ea[key]} vs ${eb[key]})` : undefined;
}

function unique(ids: string[]): string[] {
  return [...new Set(ids)];
}

/** CPUs of the merged runs when they differ: worth a warning, since their token rates are not comparable. */
export function distinctCpus(records: readonly RunRecord[]): string[] {
  return unique(records.map((r) => r.environment?.machine.cpuModel ?? r.machine?.cpuModel ?? '').filter(Boolean));
}
