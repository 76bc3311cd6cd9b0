import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { buildError } from './errors.ts';

export interface LockOptions {
  /** Called once when another process holds the lock (with who holds it). */
  onWait?: (holder: string) => void;
  timeoutMs?: number;
  pollMs?: number;
}

/**
 * Runs `fn` while holding a lock folder, so two processes (e.g. two Vitest projects starting together)
 * never build into the same folder at once: the second waits, then finds the first one's stamp. mkdir is
 * atomic; the owner's pid is recorded so a lock left by a killed process is recognised and taken over.
 */
export async function withBuildLock<T>(lockPath: string, fn: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const { timeoutMs = 60 * 60_000, pollMs = 500 } = options;
  const started = Date.now();
  let noticed = false;
  for (;;) {
    try {
      await mkdir(lockPath, { recursive: false });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = await readHolder(lockPath);
    if ((holder && holder.host === hostname() && !isAlive(holder.pid)) || (!holder && (await ageMs(lockPath)) > ORPHAN_MS)) {
      await rm(lockPath, { recursive: true, force: true });
      continue;
    }
    if (!noticed) options.onWait?.(holder ? `pid ${holder.pid} on ${holder.host}` : 'another process');
    noticed = true;
    if (Date.now() - started > timeoutMs) {
      throw buildError(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for the build lock ${lockPath}`, `if no build is running, delete ${lockPath}`);
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
  try {
    await writeFile(join(lockPath, 'owner.json'), JSON.stringify({ pid: process.pid, host: hostname() }));
    return await fn();
  } finally {
    await rm(lockPath, { recursive: true, force: true });
  }
}

/** A lock folder without owner.json this old was left by a process killed right after mkdir. */
const ORPHAN_MS = 30_000;

async function ageMs(path: string): Promise<number> {
  try {
    return Date.now() - (await stat(path)).mtimeMs;
  } catch {
    return 0;
  }
}

async function readHolder(lockPath: string): Promise<{ pid: number; host: string } | undefined> {
  try {
    return JSON.parse(await readFile(join(lockPath, 'owner.json'), 'utf8')) as { pid: number; host: string };
  } catch {
    // Just created by its owner, which has not written owner.json yet: treat as held.
    return undefined;
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
