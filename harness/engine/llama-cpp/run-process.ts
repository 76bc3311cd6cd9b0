import { spawn } from 'node:child_process';

export interface ProcessResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Thrown when the program itself cannot be started (ENOENT, EACCES): callers turn it into a clear HarnessError. */
export class ProgramNotFoundError extends Error {
  constructor(
    readonly program: string,
    readonly code: string,
  ) {
    super(`cannot start '${program}' (${code})`);
    this.name = 'ProgramNotFoundError';
  }
}

/**
 * Runs a program (argv, never a shell string) to completion and collects its output. Build steps are short
 * and their output small, so buffering is fine; a non-zero exit is returned, not thrown, so that each caller
 * can say in its own words which step failed.
 */
export function runProcess(program: string, args: readonly string[], options: { cwd?: string } = {}): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', (error: NodeJS.ErrnoException) => {
      reject(error.code === 'ENOENT' || error.code === 'EACCES' ? new ProgramNotFoundError(program, error.code) : error);
    });
    child.on('close', (exitCode, signal) => resolve({ exitCode, signal, stdout, stderr }));
  });
}

/** The last lines of a tool's output, for error messages that must stay one screen long. */
export function tail(text: string, lines = 15): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}
