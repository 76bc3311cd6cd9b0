import { randomBytes } from 'node:crypto';

/** Sortable and unique: `20261127-023512-x86-3fa2`. */
export function newRunId(project: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${stamp}-${project}-${randomBytes(2).toString('hex')}`;
}
