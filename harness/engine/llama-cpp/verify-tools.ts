import { join } from 'node:path';
import { HarnessError } from '../../errors.ts';
import { buildError } from './errors.ts';
import { runProcess, tail } from './run-process.ts';

export interface ToolVersion {
  /** e.g. `0.4.0-dev` */
  version: string;
  buildNumber: number;
  commit: string;
}

/** Runs `<tool> --version` (it prints `version: 0.4.0-dev (build 1, commit 80fb11a)` on stderr). */
export async function readToolVersion(executable: string): Promise<ToolVersion> {
  const result = await runProcess(executable, ['--version']);
  const output = `${result.stdout}\n${result.stderr}`;
  const match = /version: (\S+) \(build (\d+), commit ([0-9a-f]+|unknown)\)/.exec(output);
  if (result.exitCode !== 0 || !match) {
    throw buildError(`${executable} --version did not run (exit ${result.exitCode ?? result.signal}):\n${tail(output)}`, 'delete the build folder and run `npm run build:engine -- --force`');
  }
  return { version: match[1]!, buildNumber: Number(match[2]), commit: match[3]! };
}

/** Checks that a tool without `--version` starts and prints its usage. */
export async function checkToolHelp(executable: string): Promise<void> {
  const result = await runProcess(executable, ['--help']);
  if (result.exitCode !== 0 || !/usage/i.test(result.stdout + result.stderr)) {
    throw buildError(`${executable} --help did not run (exit ${result.exitCode ?? result.signal}):\n${tail(result.stdout + result.stderr)}`, 'delete the build folder and run `npm run build:engine -- --force`');
  }
}

/** llama.cpp's message when ggml found no backend library (the libggml-cpu-*.so files) beside the executable. */
export const NO_BACKENDS_MESSAGE = 'no backends are loaded';

/**
 * Throws a HarnessError that says what is wrong if engine output shows the known "no backends are loaded"
 * failure. For use on any llama.cpp tool's output, at build time and at run time.
 */
export function assertBackendsLoaded(output: string, binDir: string): void {
  if (!output.includes(NO_BACKENDS_MESSAGE)) return;
  throw new HarnessError(
    'infrastructure',
    'load llama.cpp backends',
    `llama.cpp reports "${NO_BACKENDS_MESSAGE}": ggml found no CPU backend library (libggml-cpu-*.so) beside the executable in ${binDir}`,
    'the libggml-cpu-*.so files must sit in the same folder as the llama.cpp executables; rebuild with `npm run build:engine -- --force`',
  );
}

/**
 * Proves that the executable loads a CPU backend, without a model: llama.cpp checks for backends before it
 * opens the model file, so with a path that does not exist a working build fails on the missing file and a
 * broken one fails with "no backends are loaded".
 */
export async function checkBackendsLoad(executable: string, binDir: string): Promise<void> {
  const missingModel = join(binDir, 'no-such-model-backend-probe.gguf');
  const result = await runProcess(executable, ['-m', missingModel, '-p', 'probe', '-n', '1', '--no-warmup']);
  const output = `${result.stdout}\n${result.stderr}`;
  assertBackendsLoaded(output, binDir);
  if (!output.includes('failed to open GGUF file')) {
    throw buildError(`backend probe of ${executable} gave unexpected output (exit ${result.exitCode ?? result.signal}):\n${tail(output)}`);
  }
}
