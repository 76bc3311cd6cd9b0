import type { Logger } from '../log.ts';

/**
 * A 500-token generation of BitNet 2B on a CPU takes one to four minutes; silence that long looks like a hang.
 * This reports the streamed output's size every `everyMs` (characters: the engine's own token count only arrives
 * with its perf print at the end).
 */
export function progressReporter(log: Logger, promptId: string, everyMs = 10_000, now = () => performance.now()): (chunk: string) => void {
  const started = now();
  let last = started;
  let characters = 0;
  return (chunk) => {
    characters += chunk.length;
    const t = now();
    if (t - last < everyMs) return;
    last = t;
    log.info(`  ${promptId}: ${characters} characters streamed after ${((t - started) / 1000).toFixed(0)} s`);
  };
}
