import { HarnessError } from '../../errors.ts';

/** Every failure of the engine build is an infrastructure failure: it says nothing about BitNet's output. */
export const BUILD_STEP = 'build llama.cpp engine';

export function buildError(message: string, hint?: string, cause?: unknown): HarnessError {
  return new HarnessError('infrastructure', BUILD_STEP, message, hint, cause === undefined ? undefined : { cause });
}
