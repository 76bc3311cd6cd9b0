import { posix } from 'node:path';
import type { GenerationConfig, Prompt } from '../config/schema.ts';
import type { Target } from '../targets/target.ts';
import { type EngineFlavour, generationArgv } from './command.ts';
import { engineFault } from './engine-fault.ts';
import type { GenerateOptions, Generation } from './engine.ts';
import { generationTimeoutMs } from './timeouts.ts';
import { parseTimings } from './timings.ts';
import { extractContinuation } from './transcript.ts';

/**
 * One engine process per prompt — the seed's way. The prompt goes to a file on the target first, so its bytes
 * reach the engine unchanged whatever they contain (quotes, `$(…)`, backticks, newlines, non-ASCII).
 */
export async function generateInProcess(
  target: Target,
  flavour: EngineFlavour,
  engine: { binDir: string; modelPath: string },
  prompt: Prompt,
  gen: GenerationConfig,
  options: GenerateOptions = {},
): Promise<Generation> {
  const promptFile = promptFileOf(target, prompt);
  await target.writeFile(promptFile, prompt.text);
  const argv = generationArgv(flavour, posix.join(engine.binDir, flavour.generateBinary), engine.modelPath, promptFile, gen, { ignoreEos: options.ignoreEos });
  const t0 = performance.now();
  const chunkTimesMs: number[] = [];
  const chunkEnds: number[] = []; // cumulative stdout length after each chunk, to find the first past the echo
  let received = 0;
  const timeoutMs = generationTimeoutMs(gen);
  const result = await target.exec(
    { argv, timeoutMs },
    { onStdout: (chunk) => (chunkTimesMs.push(performance.now() - t0), chunkEnds.push((received += chunk.length)), options.onProgress?.(chunk)) },
    options.signal,
  );
  const wallMs = performance.now() - t0;
  // A timeout, a crash, an unloadable model or a prompt beyond the context is an infrastructure fault, never output.
  const fault = engineFault(result, { program: flavour.generateBinary, modelPath: engine.modelPath, timeoutMs });
  if (fault) throw fault;
  // Timing lines decide whether the run completed; a run without them throws and is retried by the caller.
  const timings = parseTimings(`${result.stderr}\n${result.stdout}`, result);
  const stdout = result.stdout.split('\n').filter((line) => !/(_perf_|_print_timings|common_perf_print)/.test(line)).join('\n');
  const transcript = extractContinuation(stdout, prompt.text);
  return { transcript, timings, argv, stdout: result.stdout, stderr: result.stderr, wallMs, chunkTimesMs, stream: { firstTokenMs: firstTokenMs(result.stdout, prompt.text, chunkEnds, chunkTimesMs), tokenTimesMs: null } };
}

/** Where a prompt's text goes on the target (its engine command line reads it with `-f`). */
export function promptFileOf(target: Pick<Target, 'workDir'>, prompt: Pick<Prompt, 'id'>): string {
  return posix.join(target.workDir, 'prompts', `${prompt.id}.txt`);
}

/** The arrival time of the first stdout chunk that reaches past the echoed prompt; null when nothing followed it. */
function firstTokenMs(stdout: string, prompt: string, chunkEnds: number[], chunkTimesMs: number[]): number | null {
  const at = stdout.indexOf(prompt);
  const echoEnd = at >= 0 ? at + prompt.length : 0;
  const i = chunkEnds.findIndex((end) => end > echoEnd);
  return i >= 0 && stdout.slice(echoEnd).trim() !== '' ? chunkTimesMs[i]! : null;
}
