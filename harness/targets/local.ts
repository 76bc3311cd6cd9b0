import { spawn } from 'node:child_process';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { describeMachine } from './describe.ts';
import type { CommandResult, CommandSpec, MachineInfo, StreamHandlers, Target } from './target.ts';

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
      const child = spawn(file, args, { cwd: spec.cwd, env: { ...process.env, ...spec.env }, stdio: ['ignore', 'pipe', 'pipe'], signal });
      let stdout = '';
      let stderr = '';
      let timedOut = false;
      const timer = spec.timeoutMs ? setTimeout(() => ((timedOut = true), child.kill('SIGKILL')), spec.timeoutMs) : undefined;
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => ((stdout += chunk), handlers.onStdout?.(chunk)));
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => ((stderr += chunk), handlers.onStderr?.(chunk)));
      child.on('error', (error: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        // A missing program is an answer (exit 127, like a shell), not a crash of the harness.
        if (error.code === 'ENOENT') resolvePromise({ exitCode: 127, signal: null, stdout, stderr: `${file}: command not found`, durationMs: performance.now() - started, timedOut });
        else reject(error);
      });
      child.on('close', (exitCode, sig) => {
        clearTimeout(timer);
        resolvePromise({ exitCode, signal: sig, stdout, stderr, durationMs: performance.now() - started, timedOut });
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
