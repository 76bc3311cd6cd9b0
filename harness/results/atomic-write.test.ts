import { mkdtempSync, readdirSync, readlinkSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { symlinkAtomic, writeFileAtomic } from './atomic-write.ts';

/** A reader on another thread that resolves `link` as fast as it can until told to stop; counts the misses. */
function startReader(link: string): { stop: () => Promise<{ reads: number; missing: number }> } {
  const worker = new Worker(
    `const { readlinkSync } = require('node:fs'); const { parentPort, workerData } = require('node:worker_threads');
     let reads = 0, missing = 0, stop = false;
     parentPort.on('message', () => { stop = true; });
     (function loop() {
       for (let i = 0; i < 2000; i++) { try { readlinkSync(workerData); } catch { missing++; } reads++; }
       if (stop) parentPort.postMessage({ reads, missing }); else setImmediate(loop);
     })();`,
    { eval: true, workerData: link },
  );
  return {
    stop: () => new Promise((resolve) => {
      worker.once('message', (m) => { void worker.terminate(); resolve(m); });
      worker.postMessage('stop');
    }),
  };
}

describe('atomic replacement', () => {
  it('reports/latest is never missing while another run relinks it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-latest-'));
    for (const run of ['run-a', 'run-b']) mkdirSync(join(dir, run));
    const latest = join(dir, 'latest');
    symlinkAtomic('run-a', latest);
    const reader = startReader(latest);
    await new Promise((r) => setTimeout(r, 50));
    for (let i = 0; i < 3000; i++) symlinkAtomic(i % 2 ? 'run-a' : 'run-b', latest);
    const seen = await reader.stop();
    expect(seen.reads).toBeGreaterThan(1000);
    expect(seen.missing).toBe(0);
    expect(readlinkSync(latest)).toBe('run-a');
    expect(readdirSync(dir).sort()).toEqual(['latest', 'run-a', 'run-b']);
  });

  it('a write that fails leaves neither a half file nor a temp file, and says why in words', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-atomic-'));
    expect(() => writeFileAtomic(join(dir, 'missing', 'run.json'), '{}')).toThrow(/cannot write .*missing\/run\.json: a folder on the path does not exist \(ENOENT\)/);
    writeFileAtomic(join(dir, 'run.json'), '{}');
    expect(readdirSync(dir)).toEqual(['run.json']);
  });
});
