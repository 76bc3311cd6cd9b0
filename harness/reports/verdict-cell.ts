import { verdictPasses } from '../judge/types.ts';
import { isInfrastructureOutcome } from '../results/outcome.ts';
import type { ResultRow, RunRecord } from '../results/types.ts';

/**
 * How each report shows a prompt's verdict. `repetitive` (fluent sentences that repeat, greedy decoding of a
 * healthy model) passes unless judge.failOnRepetition, but is never shown as plain coherent: it gets its own
 * word, icon and colour, and the warning says why and how to make it fail.
 */
export type VerdictTone = 'ok' | 'warn' | 'bad';

export const REPETITION_WARNING = 'fluent sentences that repeat (greedy decoding of a small healthy model); passes with this warning unless judge.failOnRepetition is set';

export function verdictTone(row: ResultRow | undefined, record: Pick<RunRecord, 'failOnRepetition'>): VerdictTone {
  if (!row || isInfrastructureOutcome(row)) return 'bad';
  if (!verdictPasses(row.verdict, { failOnRepetition: record.failOnRepetition })) return 'bad';
  return row.verdict === 'repetitive' ? 'warn' : 'ok';
}

/** The verdict word, or why there is none (an infrastructure fault is not graded). */
export function verdictWord(row: ResultRow | undefined): string {
  return !row ? 'no result' : isInfrastructureOutcome(row) ? 'infrastructure' : row.verdict;
}

/** Console: upper case when it fails (as it has always shown DEGENERATE), a marked `repetitive (!)` when it passes with the warning. */
export function consoleVerdict(row: ResultRow | undefined, record: Pick<RunRecord, 'failOnRepetition'>): string {
  const tone = verdictTone(row, record);
  return tone === 'bad' ? verdictWord(row).toUpperCase() : tone === 'warn' ? 'repetitive (!)' : verdictWord(row);
}

const ICONS: Record<VerdictTone, string> = { ok: '✅', warn: '🔁', bad: '❌' };

/** Markdown cell: ✅ coherent, 🔁 repetitive (warning), ❌ degenerate / ❌ repetitive (failOnRepetition). */
export function markdownVerdict(row: ResultRow | undefined, record: Pick<RunRecord, 'failOnRepetition'>): string {
  if (!row) return '⚠️ no result';
  if (isInfrastructureOutcome(row)) return '⚠️ infrastructure (not graded)';
  const tone = verdictTone(row, record);
  return `${ICONS[tone]} ${row.verdict}${tone === 'warn' ? ' (warning)' : ''}`;
}

/** Prompts whose output is repetitive, for the warning line under each report's table. */
export function repetitivePrompts(record: RunRecord): string[] {
  return record.rows.filter((r) => !isInfrastructureOutcome(r) && r.verdict === 'repetitive').map((r) => r.promptId);
}

export function repetitionWarning(record: RunRecord): string | undefined {
  const ids = repetitivePrompts(record);
  if (!ids.length) return undefined;
  const consequence = record.failOnRepetition ? 'judge.failOnRepetition is set, so they fail' : 'they pass with this warning (set judge.failOnRepetition to fail them)';
  return `${ids.length} repetitive output(s): ${ids.join(', ')} — fluent sentences that repeat, as greedy decoding of a small healthy model does; ${consequence}`;
}
