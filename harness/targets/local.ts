import { spawn } from 'node:child_process';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { describeMachine } from './describe.ts';
import { killGroup, trackGroup, untrackGroup } from './process-groups.ts';
import type { CommandResult, CommandSpec, MachineInfo, StreamHandlers, Target } from './target.ts';

/** After the program exits, how long its output pipes may stay open (held by a child it left behind) before the rest of its group is killed. */
const PIPE_GRACE_MS = 2_000;

const abortReason = (signal: AbortSignal): unknown => signal.reason ?? new DOMException('The operation was aborted', 'AbortError');

/** This machine: the embedded default target. Commands are spawned without a shell. */
export class LocalTarget implements Target {
  readonly kind = 'local' as const;
  readonly label = 'local';
  readonly workDir: string;
  #machine?: Promise<MachineInfo>;

  constructor(workDir: string) {
    this.workDir = resolve(workDir);
  }

  exec(spec: CommandSpec, handlers: StreamHandlers = {}, signal?: AbortSignal): Promise<CommandResult> {
    const started = performance.now();
    return new Promise((resolvePromise, reject) => {
      const [file, ...args] = spec.argv;
      if (!file) return reject(new Error('exec: empty argv'));
      if (signal?.aborted) return reject(abortReason(signal));
      // detached: the program leads its own process group, so a kill reaches everything it started.
      const child = spawn(file, args, { cwd: spec.cwd, env: { ...process.env, ...spec.env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
      const pid = child.pid;
      if (pid) trackGroup(pid);
      let stdout = '';
      let stderr = '';
      let timedOut = false;
      let settled = false;
      let exit: { code: number | null; signal: string | null } | undefined;
      let pipeTimer: NodeJS.Timeout | undefined;
      const finish = (outcome: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        clearTimeout(pipeTimer);
        signal?.removeEventListener('abort', onAbort);
        if (pid) untrackGroup(pid);
        outcome();
      };
      const result = (): CommandResult => ({ exitCode: exit?.code ?? null, signal: exit?.signal ?? null, stdout, stderr, durationMs: performance.now() - started, timedOut });
      const killAll = () => pid !== undefined && killGroup(pid);
      const onAbort = () => (killAll(), finish(() => reject(abortReason(signal!))));
      const timer = spec.timeoutMs !== undefined ? setTimeout(() => ((timedOut = true), killAll()), spec.timeoutMs) : undefined;
      signal?.addEventListener('abort', onAbort, { once: true });
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => ((stdout += chunk), settled || handlers.onStdout?.(chunk)));
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => ((stderr += chunk), settled || handlers.onStderr?.(chunk)));
      child.on('error', (error: NodeJS.ErrnoException) => {
        // A missing program is an answer (exit 127, like a shell), not a crash of the harness.
        if (error.code === 'ENOENT') finish(() => resolvePromise({ ...result(), exitCode: 127, signal: null, stderr: `${file}: command not found` }));
        else finish(() => reject(error));
      });
      child.on('exit', (code, sig) => {
        exit = { code, signal: sig };
        // The program is gone; whatever it left behind may still hold the pipes. Give them a moment to drain,
        // then kill the rest of its group and stop waiting: a leftover child never holds the run.
        pipeTimer = setTimeout(() => (killAll(), child.stdout.destroy(), child.stderr.destroy(), finish(() => resolvePromise(result()))), PIPE_GRACE_MS);
      });
      child.on('close', (code, sig) => {
        exit ??= { code, signal: sig };
        finish(() => resolvePromise(result()));
      });
    });
  }

  async writeFile(path: string, data: string | Uint8Array): Promise<void> {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, data);
  }

  readFile(path: string): Promise<Buffer> {
    return readFile(path);
  }

  async putFile(localPath: string, remotePath: string): Promise<void> {
    await mkdir(dirname(remotePath), { recursive: true });
    await copyFile(localPath, remotePath);
  }

  async getFile(remotePath: string, localPath: string): Promise<void> {
    await this.putFile(remotePath, localPath);
  }

  describe(): Promise<MachineInfo> {
    this.#machine ??= describeMachine(this);
    return this.#machine;
  }

  async close(): Promise<void> {}
}
