import { stringify } from 'csv-stringify/sync';
import type { FlatRow } from './flat-row.ts';

export function renderCsv(rows: FlatRow[]): string {
  if (rows.length === 0) return '';
  return stringify(rows, { header: true, cast: { boolean: (b) => (b ? 'true' : 'false') } });
}
