import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { row } from '../../test/support/run-fixtures.ts';
import { JsonlResultStore } from './jsonl-store.ts';
import { storageError } from './storage-error.ts';

const paris = ' Paris, the capital, on the Seine.';

describe('JsonlResultStore', () => {
  it('says how many bytes of a torn line it dropped', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'bench-torn-')), 'results.jsonl');
    writeFileSync(file, `${JSON.stringify(row('r', { id: 'a', text: paris }))}\n{"runId":"r","prom`);
    const store = new JsonlResultStore(file);
    expect(store.repairTornTail()).toBe(18);
    expect(store.repairTornTail()).toBe(0);
    expect(readFileSync(file, 'utf8').endsWith('}\n')).toBe(true);
  });

  it('a prompt recorded twice (an infrastructure fault, then its retry) reads as its last row', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'bench-dup-')), 'results.jsonl');
    const store = new JsonlResultStore(file);
    store.append(row('r', { id: 'a', text: '', error: 'engine crashed' }));
    store.append(row('r', { id: 'b', text: paris }));
    store.append(row('r', { id: 'a', text: paris }));
    expect(store.read().map((r) => [r.promptId, r.text])).toEqual([['a', paris], ['b', paris]]);
  });

  it('a full disk surfaces as the harness\'s own message, naming the file and what to do', () => {
    // /dev/full accepts the open and fails every write with ENOSPC, as a full disk does
    const store = new JsonlResultStore('/dev/full');
    expect(() => store.append(row('r', { id: 'a', text: paris }))).toThrow(/cannot write \/dev\/full: no space left on the device \(ENOSPC\)/);
    try {
      store.append(row('r', { id: 'a', text: paris }));
    } catch (error) {
      expect(error).toMatchObject({ kind: 'infrastructure', hint: expect.stringMatching(/free space/) });
    }
  });

  it('permission and read-only errors are named too; other errors pass through unchanged', () => {
    const errno = (code: string) => Object.assign(new Error(`${code}: raw`), { code });
    expect(storageError(errno('EACCES'), '/r/results.jsonl')).toMatchObject({ kind: 'infrastructure', message: 'cannot write /r/results.jsonl: permission denied (EACCES)' });
    expect(storageError(errno('EROFS'), '/r/results.jsonl')).toMatchObject({ message: 'cannot write /r/results.jsonl: the file system is read-only (EROFS)' });
    const other = errno('EBADF');
    expect(storageError(other, '/r/results.jsonl')).toBe(other);
  });
});
