import { EngineFaultError } from '../errors.ts';
import type { CommandResult } from '../targets/target.ts';
import { engineErrorLine, tailInline } from './output-tail.ts';
import { timedOutAfter } from './timeouts.ts';

/** llama.cpp (mainline and the fork) when prompt + generation cannot fit the context. */
export const PROMPT_TOO_LONG = /prompt is too long \(\d+ tokens, max \d+\)/;
/** The loader's words for a model file it cannot use. */
const MODEL_NOT_LOADED = /error loading model|failed to load model|unable to load model|invalid magic|gguf_init_from_\w+: failed/i;

export interface EngineRun {
  /** The engine's name for messages, e.g. `llama-completion`. */
  program: string;
  modelPath: string;
  timeoutMs: number;
}

/**
 * What went wrong with an engine run that says nothing about the model's quality, or undefined when nothing did
 * (or the fault is only a run cut short, which the timing parser reports and the caller retries). Checked in this
 * order because a timed-out run was killed by a signal too, and an unloadable model may exit by a signal.
 */
export function engineFault(result: CommandResult, run: EngineRun): EngineFaultError | undefined {
  // stderr first: the engine logs there, while stdout carries the echoed prompt (possibly 100 kB on one line).
  const said = engineErrorLine(result.stderr) ?? engineErrorLine(result.stdout);
  if (result.timedOut) {
    return new EngineFaultError(`${run.program} ${timedOutAfter(run.timeoutMs)}; last output: ${tailInline(result.stderr, 1, '(none)')}`, {
      retryable: true,
      hint: 'the engine stalled, or this machine is far slower than 1 token/s: if it is only slow, raise generation.timeoutSeconds',
    });
  }
  const tooLong = PROMPT_TOO_LONG.exec(result.stderr) ?? PROMPT_TOO_LONG.exec(result.stdout);
  if (tooLong) return promptRefused('the engine', tooLong[0], 'the model\'s context');
  if (MODEL_NOT_LOADED.test(result.stderr)) {
    return new EngineFaultError(`${run.program} cannot load the model ${run.modelPath}: ${said ?? tailInline(result.stderr, 1, '(no output)')}`, {
      retryable: false,
      step: 'load model',
      hint: 'the GGUF file is corrupt, incomplete (an interrupted download) or not a GGUF: download it again, or point engine.modelPath (BENCH_MODEL_PATH) / engine.model at a complete file',
    });
  }
  if (result.signal) {
    return new EngineFaultError(`${run.program} crashed (killed by ${result.signal})${said ? `: ${said}` : ''}`, {
      retryable: true,
      hint: 'an engine crash says nothing about the model\'s output; if it repeats, run the engine command from the log by hand',
    });
  }
  return undefined;
}

/** A prompt the engine would not take because prompt + generation exceed `context`: not retryable, not output. */
export function promptRefused(who: string, words: string, context: string): EngineFaultError {
  return new EngineFaultError(`${who} refused the prompt: ${words}`, {
    retryable: false,
    step: 'run engine on the prompt',
    hint: `shorten the prompt (or lower generation.nPredict): the prompt and the generated tokens must fit ${context}`,
  });
}
