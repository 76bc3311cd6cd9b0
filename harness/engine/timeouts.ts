import type { GenerationConfig } from '../config/schema.ts';

/**
 * Every wait on an engine is bounded; these are the bounds and why.
 *
 * A generation may take `60 s + 1 s per token of nPredict` unless `generation.timeoutSeconds` says otherwise. The
 * seed's floor for BitNet 2B on a CPU is 2 tok/s (throughput.minTokensPerSecond), so a run still finishes at half
 * that rate; 60 s covers process start, the model load (1.2 GB) and the prompt's evaluation on a loaded machine.
 * The seed's 500 tokens get 560 s (the old fixed default was 900 s, whatever nPredict was, times 3 attempts).
 */
export const GENERATION_BASE_SECONDS = 60;
export const GENERATION_SECONDS_PER_TOKEN = 1;

export function generationTimeoutMs(gen: Pick<GenerationConfig, 'nPredict' | 'timeoutSeconds'>): number {
  return (gen.timeoutSeconds ?? GENERATION_BASE_SECONDS + GENERATION_SECONDS_PER_TOKEN * gen.nPredict) * 1000;
}

/** `--version`, `curl --version`, `wc -c`, `chmod`: one minute (the targets' bound for quick tool calls). */
export { TOOL_TIMEOUT_MS } from '../targets/target.ts';

/**
 * llama-server's start: model load until its "listening" line. Load time does not depend on nPredict; 1.2 GB read
 * at a slow disk's 10 MB/s takes two minutes, so three are allowed.
 */
export const SERVER_START_TIMEOUT_MS = 180_000;

/** "timed out after 560 s" — the words every timeout message uses. */
export function timedOutAfter(ms: number): string {
  return `timed out after ${Number((ms / 1000).toPrecision(3))} s`;
}
