import { afterAll, expect } from 'vitest';
import type { Logger } from '../../harness/log.ts';

/**
 * Collects every log line and error message a test file produces, and fails the file if any of them
 * contains a secret. Redaction is only proven by looking at everything that was printed.
 */
const seen: string[] = [];

export function captureLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const push = (level: string) => (m: string) => {
    lines.push(`${level} ${m}`);
    seen.push(m);
  };
  return { lines, info: push('info'), warn: push('warn'), debug: push('debug') };
}

/** Record an error (message, hint, cause, stack) or any text, e.g. a child process's output. */
export function observe(value: unknown): void {
  if (value instanceof Error) {
    seen.push(value.message, value.stack ?? '', String((value as { hint?: string }).hint ?? ''), JSON.stringify(value));
    if (value.cause) observe(value.cause);
  } else seen.push(String(value));
}

/** Catches a rejection, records it, and returns it for assertions. */
export async function caught(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    observe(error);
    return error as Error;
  }
  throw new Error('expected a rejection');
}

export function scanForSecretsAfterAll(secrets: () => string[]): void {
  afterAll(() => {
    expect(seen.length).toBeGreaterThan(0);
    for (const secret of secrets()) {
      const needles = [secret, ...secret.split('\n').filter((line) => line.length > 20 && !line.startsWith('-----'))];
      for (const text of seen) for (const needle of needles) expect(text.includes(needle), `secret found in: ${text.slice(0, 200)}`).toBe(false);
    }
  });
}
