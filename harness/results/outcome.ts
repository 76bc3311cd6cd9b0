import type { ResultRow } from './types.ts';

/**
 * True when the row is an infrastructure outcome rather than a judged generation. Rows written before `outcome`
 * existed carry only `error`, which meant the same: the engine never produced a usable run.
 */
export function isInfrastructureOutcome(row: ResultRow | undefined): boolean {
  return row !== undefined && (row.outcome === 'infrastructure' || Boolean(row.error));
}
