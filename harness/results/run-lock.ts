import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { isAlive } from '../engine/llama-cpp/build-lock.ts';
import { ConfigError } from '../errors.ts';

export interface RunLockHolder {
  pid: number;
  host: string;
  startedAt: string;
}

export interface RunLock {
  readonly file: string;
  /** Synchronous, so the signal path can release it too; idempotent. */
  release(): void;
}

/**
 * One writer per run folder: two runs (or two resumes) of the same run id would interleave results.jsonl lines
 * and overwrite each other's reports. The lock is a file created with O_EXCL holding the owner's pid; a lock left
 * by a process that no longer exists on this host (SIGKILL, a crash) is stale and taken over.
 */
export function acquireRunLock(folder: string, runId: string): RunLock {
  const file = join(folder, '.run.lock');
  for (let attempt = 0; attempt < 3; attempt++) {
    let fd: number;
    try {
      fd = openSync(file, 'wx');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = readHolder(file);
      if (holder && holder.host === hostname() && !isAlive(holder.pid)) {
        rmSync(file, { force: true });
        continue;
      }
      // no readable holder: its owner is between open and write; it is alive, so the lock is held
      const who = holder ? `pid ${holder.pid} on ${holder.host}, since ${holder.startedAt}` : 'another process';
      throw new ConfigError(`run ${runId} is being written by another run (${who}): its folder ${folder} is locked`, `wait for that run to finish, or start a separate run with another BENCH_RUN_ID (or none); if no such process exists, delete ${file}`);
    }
    const holder: RunLockHolder = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString() };
    writeSync(fd, JSON.stringify(holder));
    closeSync(fd);
    let released = false;
    return {
      file,
      release() {
        if (released) return;
        released = true;
        // only our own lock: never remove one another process took over
        if (readHolder(file)?.pid === process.pid) rmSync(file, { force: true });
      },
    };
  }
  throw new ConfigError(`could not take the lock ${file} of run ${runId}`, `delete ${file} if no run is using that folder`);
}

function readHolder(file: string): RunLockHolder | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as RunLockHolder;
  } catch {
    return undefined;
  }
}
