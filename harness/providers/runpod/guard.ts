import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { cacheDir } from '../../cache.ts';

/** One pod this harness created and has not yet seen terminated. Holds no secret. */
export interface LivePodRecord {
  podId: string;
  name: string;
  runId: string;
  /** The process that holds the pod; when it is dead, the pod is an orphan. */
  pid: number;
  hostname: string;
  createdAt: string;
  budgetSeconds: number;
  /** Which API the pod lives in, so a reaper pointed at another endpoint (a test fake) leaves it alone. */
  apiUrl: string;
}

export function defaultStateFile(env: NodeJS.ProcessEnv = process.env): string {
  return join(cacheDir(env), 'runpod', 'live-pods.json');
}

/**
 * The on-disk list of pods this machine is paying for. A pod is recorded the moment RunPod's create
 * call returns (before any waiting), and removed only once terminate succeeded, so whatever kills the
 * harness in between — a crash, kill -9, a closed laptop — the next run's reaper finds it.
 * Synchronous on purpose: the signal handler reads it while the event loop is blocked.
 */
export class PodGuard {
  constructor(readonly stateFile: string = defaultStateFile()) {}

  record(entry: Omit<LivePodRecord, 'pid' | 'hostname' | 'createdAt'> & Partial<LivePodRecord>): LivePodRecord {
    const full: LivePodRecord = { pid: process.pid, hostname: hostname(), createdAt: new Date().toISOString(), ...entry };
    this.write([...this.list().filter((p) => p.podId !== full.podId), full]);
    return full;
  }

  forget(podId: string): void {
    const pods = this.list();
    if (pods.some((p) => p.podId === podId)) this.write(pods.filter((p) => p.podId !== podId));
  }

  list(): LivePodRecord[] {
    let text: string;
    try {
      text = readFileSync(this.stateFile, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    try {
      const parsed = JSON.parse(text) as { pods?: LivePodRecord[] };
      return Array.isArray(parsed.pods) ? parsed.pods : [];
    } catch {
      // A torn or hand-edited file must not stop the run; the API listing in the reaper still finds pods.
      return [];
    }
  }

  /** Pods held by this process. */
  mine(): LivePodRecord[] {
    return this.list().filter((p) => p.pid === process.pid && p.hostname === hostname());
  }

  private write(pods: LivePodRecord[]): void {
    mkdirSync(dirname(this.stateFile), { recursive: true });
    // Write then rename, so a reader never sees half a file.
    const tmp = `${this.stateFile}.${process.pid}.tmp`;
    writeFileSync(tmp, `${JSON.stringify({ pods }, null, 2)}\n`, { mode: 0o600 });
    renameSync(tmp, this.stateFile);
  }
}

/** Whether `pid` on this host is still running (signal 0 checks without touching it). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
