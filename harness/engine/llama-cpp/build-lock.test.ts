import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HarnessError } from '../../errors.ts';
import { ensureLlamaCppBuild } from './build.ts';
import { withBuildLock } from './build-lock.ts';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'llama-lock-test-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function heldBy(lockPath: string, pid: number): void {
  mkdirSync(lockPath);
  writeFileSync(join(lockPath, 'owner.json'), JSON.stringify({ pid, host: hostname() }));
}

describe('withBuildLock', () => {
  it('lets one holder in at a time', async () => {
    const lockPath = join(tempDir(), 'x.lock');
    let active = 0;
    let maxActive = 0;
    const job = () =>
      withBuildLock(lockPath, async () => {
        maxActive = Math.max(maxActive, ++active);
        await new Promise((resolve) => setTimeout(resolve, 50));
        active -= 1;
      }, { pollMs: 10 });
    await Promise.all([job(), job(), job()]);
    expect(maxActive).toBe(1);
  });

  it('takes over a lock left by a process that died', async () => {
    const lockPath = join(tempDir(), 'x.lock');
    heldBy(lockPath, spawnSync('true').pid!);
    await expect(withBuildLock(lockPath, async () => 'ran')).resolves.toBe('ran');
  });

  it('waits for a live holder and gives up with a clear error at the timeout', async () => {
    const lockPath = join(tempDir(), 'x.lock');
    heldBy(lockPath, process.pid);
    const waits: string[] = [];
    const error = await withBuildLock(lockPath, async () => 'ran', { timeoutMs: 300, pollMs: 20, onWait: (h) => waits.push(h) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HarnessError);
    expect((error as HarnessError).message).toContain('waiting for the build lock');
    expect(waits).toEqual([`pid ${process.pid} on ${hostname()}`]);
  });
});

describe('two processes asking for the same build', () => {
  it('build it once: the other waits and takes it from the cache', async () => {
    const cacheDir = tempDir();
    const child = spawn('npx', ['tsx', 'harness/engine/llama-cpp/build-cli.ts', '--cache-dir', cacheDir, '--tools', 'llama-completion'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let childOut = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (childOut += chunk));
    const childDone = new Promise<number | null>((resolve) => child.on('close', resolve));
    const local = await ensureLlamaCppBuild({ cacheDir, tools: [] });
    expect(await childDone).toBe(0);
    const fromChild = JSON.parse(childOut.slice(childOut.indexOf('\n{') + 1)) as { fromCache: boolean; binDir: string };
    expect(fromChild.binDir).toBe(local.binDir);
    expect([local.fromCache, fromChild.fromCache].sort()).toEqual([false, true]);
  }, 300_000);
});
