/**
 * Errors the harness raises on purpose. Each says which step failed and what the user can do, so the
 * console shows one clear message instead of a stack trace. Two families, because CI must tell them apart:
 * an infrastructure failure (could not provision, connect, build) says nothing about BitNet's quality.
 */
export type FailureKind = 'config' | 'infrastructure' | 'engine-output';

export class HarnessError extends Error {
  constructor(
    readonly kind: FailureKind,
    /** The step that failed, e.g. `clone microsoft/BitNet`. */
    readonly step: string,
    message: string,
    /** What the user should do about it. */
    readonly hint?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'HarnessError';
  }

  /** The one-screen message for the console and reports. */
  describe(): string {
    return [`${this.step} failed: ${this.message}`, this.hint ? `What to do: ${this.hint}` : ''].filter(Boolean).join('\n');
  }
}

export class ConfigError extends HarnessError {
  constructor(message: string, hint?: string) {
    super('config', 'read configuration', message, hint);
    this.name = 'ConfigError';
  }
}

/** The engine ran but its output cannot be used (no timing lines, crashed mid-run). Retried. */
export class EngineOutputError extends HarnessError {
  constructor(message: string, hint?: string) {
    super('engine-output', 'parse engine output', message, hint);
    this.name = 'EngineOutputError';
  }
}

/**
 * The engine could not produce a run for a reason that says nothing about the model's quality: it crashed (signal),
 * could not load the model, its server died, or it timed out. Recorded as an infrastructure outcome, never as a
 * verdict; `retryable` says whether another attempt can help (a timeout may; a model that does not load will not).
 */
export class EngineFaultError extends HarnessError {
  readonly retryable: boolean;
  constructor(message: string, options: { retryable: boolean; hint?: string; step?: string; cause?: unknown }) {
    super('infrastructure', options.step ?? 'run engine', message, options.hint, { cause: options.cause });
    this.name = 'EngineFaultError';
    this.retryable = options.retryable;
  }
}

/**
 * An error of one engine run — output that cannot be used, or an engine fault: the prompt's outcome (retried where
 * another attempt may help, then recorded as infrastructure), never a reason to stop the run. Anything else is.
 */
export function isEngineRunError(error: unknown): error is EngineOutputError | EngineFaultError {
  return error instanceof EngineOutputError || error instanceof EngineFaultError;
}

/**
 * The connection to the target dropped mid-command. The generation pipeline reconnects (the target does
 * that lazily on its next exec) and reruns only the unfinished prompt.
 */
export class TargetConnectionLostError extends HarnessError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('infrastructure', 'run command on target', message, 'check the host is up; the run resumes the unfinished prompts', options);
    this.name = 'TargetConnectionLostError';
  }
}
