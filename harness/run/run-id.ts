import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConfigError } from '../errors.ts';

/** Sortable and unique: `20261127-023512-x86-3fa2`. */
export function newRunId(project: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${stamp}-${project}-${randomBytes(2).toString('hex')}`;
}

/** What newRunId makes: an id of this shape was handed out by the harness, so it can only name an earlier run. */
const generated = /^\d{8}-\d{6}-[A-Za-z0-9-]+-[0-9a-f]{4}$/;

/**
 * A run id is a folder name under the reports folder, and nothing else: letters, digits, `.`, `_`, `-`; no `..`,
 * no slash — `BENCH_RUN_ID=../../x` must not write outside the reports folder.
 */
export function checkRunId(id: string): string {
  if (!/^[A-Za-z0-9._-]{1,128}$/.test(id) || id.includes('..') || id === '.') {
    throw new ConfigError(`BENCH_RUN_ID="${id}" is not a usable run id`, 'use 1–128 letters, digits, ".", "_" or "-" (no "..", no slashes): it becomes a folder in the reports folder, e.g. BENCH_RUN_ID=nightly-42');
  }
  return id;
}

export interface RunStart {
  runId: string;
  reportDir: string;
  /** `resume`: the folder exists and its finished prompts are kept; `new`: a fresh folder. */
  mode: 'new' | 'resume';
}

/**
 * How BENCH_RUN_ID is read. Without it: a new run with a generated id. With it: the run in `<reports>/<id>` is
 * resumed when that folder exists; a name of the user's own (e.g. `shard-1` in CI) that names no folder starts a
 * new run under that name; a generated-looking id that names no folder is refused — it can only be a typo or the
 * wrong reports folder, and starting afresh would silently redo a run the user meant to resume.
 */
export function resolveRunStart(reportsDir: string, requested: string | undefined, project: string): RunStart {
  if (requested === undefined || requested === '') {
    const runId = newRunId(project);
    return { runId, reportDir: resolve(reportsDir, runId), mode: 'new' };
  }
  const runId = checkRunId(requested);
  const reportDir = resolve(reportsDir, runId);
  if (existsSync(join(reportDir, 'results.jsonl')) || existsSync(join(reportDir, 'run.json'))) return { runId, reportDir, mode: 'resume' };
  if (generated.test(runId)) {
    throw new ConfigError(`BENCH_RUN_ID=${runId} names no run to resume: ${reportDir} has no results.jsonl`, `check the id and the reports folder (BENCH_REPORTS_DIR, now ${resolve(reportsDir)}); to start a new run, unset BENCH_RUN_ID or give a name of your own`);
  }
  return { runId, reportDir, mode: 'new' };
}
