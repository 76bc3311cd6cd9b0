import type { GenerationConfig, Prompt } from '../config/schema.ts';
import type { Generation, PreparedEngine } from '../engine/engine.ts';
import { EngineFaultError, type EngineOutputError, isEngineRunError, TargetConnectionLostError } from '../errors.ts';
import { type JudgeThresholds, judge } from '../judge/index.ts';
import type { Logger } from '../log.ts';
import { progressReporter } from './progress.ts';
import type { JsonlResultStore } from '../results/jsonl-store.ts';
import { isInfrastructureOutcome } from '../results/outcome.ts';
import type { EngineTimings, ResultRow } from '../results/types.ts';
import { latencyOf } from '../throughput/latency.ts';

export interface GenerateAllOptions {
  runId: string;
  engine: PreparedEngine;
  prompts: Prompt[];
  gen: GenerationConfig;
  store: JsonlResultStore;
  log: Logger;
  /** Generations per prompt: the first is judged, every usable one gives a token-rate sample. Default 1. */
  repetitions?: number;
  /** Judge threshold overrides from the config (`judge` section). */
  judge?: Partial<JudgeThresholds>;
  /** Reconnects after a dropped connection before the prompt is rerun. */
  maxReconnects?: number;
  signal?: AbortSignal;
}

/**
 * Runs every prompt not yet in the store, judging and appending each as it finishes. A run without timing lines
 * is retried (llama-completion can lose its last lines at exit); a dropped connection reruns only the unfinished
 * prompt. Returns all rows, including those of an earlier, interrupted run.
 */
export async function generateAll(options: GenerateAllOptions): Promise<ResultRow[]> {
  const { engine, prompts, gen, store, log } = options;
  const torn = store.repairTornTail();
  if (torn) log.warn(`results.jsonl ended in a torn line (${torn} bytes, the last run died mid-write): cut off; that prompt is run again`);
  const earlier = store.read();
  // a prompt that ended in an infrastructure outcome is not finished: a resume runs it again
  const done = new Map(earlier.filter((row) => !isInfrastructureOutcome(row)).map((row) => [row.promptId, row]));
  const retried = earlier.length - done.size;
  if (earlier.length) log.info(`resuming: ${done.size} of ${prompts.length} prompts already finished${retried ? `; ${retried} that ended in an infrastructure fault are run again` : ''}`);
  let reconnects = 0;
  for (const [index, prompt] of prompts.entries()) {
    if (done.has(prompt.id)) continue;
    const startedAt = new Date().toISOString();
    const t0 = performance.now();
    let attempts = 0;
    let generation: Generation | undefined;
    let lastError: EngineOutputError | EngineFaultError | undefined;
    while (!generation && attempts < gen.attempts && !(lastError instanceof EngineFaultError && !lastError.retryable)) {
      attempts++;
      try {
        generation = await engine.generate(prompt, gen, { signal: options.signal, onProgress: progressReporter(log, prompt.id) });
      } catch (error) {
        if (error instanceof TargetConnectionLostError && reconnects < (options.maxReconnects ?? 5)) {
          reconnects++;
          attempts--; // a dropped connection is not the engine's fault
          log.warn(`connection lost during "${prompt.id}"; reconnecting and rerunning it (${reconnects})`);
          continue;
        }
        if (!isEngineRunError(error)) throw error;
        lastError = error;
        log.warn(`"${prompt.id}" attempt ${attempts}/${gen.attempts}: ${error.message}`);
      }
    }
    const samples = generation ? [generation.timings.tokensPerSecond, ...(await repeat(options, prompt))] : [];
    const row = toRow(options, prompt, generation, lastError, attempts, startedAt, performance.now() - t0);
    if (generation) {
      row.samples = samples.filter((r): r is number => r !== null);
      row.latency = latencyOf(generation.stream, generation.timings.evalTokens);
    }
    store.append(row);
    done.set(prompt.id, row);
    const rate = row.timings.tokensPerSecond;
    log.info(`[${index + 1}/${prompts.length}] ${prompt.id}: ${row.error ? `INFRASTRUCTURE FAULT, not graded (${row.error})` : `${row.verdict}, ${row.timings.evalTokens} tokens, ${rate === null ? 'n/a' : rate.toFixed(2)} tok/s`}`);
  }
  return prompts.map((p) => done.get(p.id)).filter((row): row is ResultRow => row !== undefined);
}

/** The extra generations of a prompt (throughput.perPromptRepetitions − 1): only their eval rates are kept. */
async function repeat(options: GenerateAllOptions, prompt: Prompt): Promise<(number | null)[]> {
  const rates: (number | null)[] = [];
  for (let i = 1; i < (options.repetitions ?? 1); i++) {
    try {
      rates.push((await options.engine.generate(prompt, options.gen, { signal: options.signal })).timings.tokensPerSecond);
    } catch (error) {
      if (!isEngineRunError(error)) throw error;
      options.log.warn(`"${prompt.id}" repetition ${i + 1}: ${error.message}`);
    }
  }
  return rates;
}

const NO_TIMINGS: EngineTimings = { loadMs: null, promptEvalMs: 0, promptTokens: 0, promptTokensPerSecond: null, evalMs: 0, evalTokens: 0, tokensPerSecond: null, totalMs: null };

function toRow(options: GenerateAllOptions, prompt: Prompt, generation: Generation | undefined, error: Error | undefined, attempts: number, startedAt: string, wallMs: number): ResultRow {
  const base = { runId: options.runId, promptId: prompt.id, prompt: prompt.text, attempts, startedAt, finishedAt: new Date().toISOString(), wallMs };
  if (!generation) {
    const message = `no usable engine run after ${attempts} attempt${attempts === 1 ? '' : 's'}: ${error?.message ?? 'unknown error'}`;
    // verdict and score are placeholders (the row type needs them); `outcome` says this prompt was not graded
    return { ...base, text: '', timings: NO_TIMINGS, verdict: 'degenerate', score: 0, reasons: [message], error: message, outcome: 'infrastructure', endOfText: false, promptEchoed: false };
  }
  const verdict = judge({ text: generation.transcript.text, prompt: prompt.text, expect: prompt.expect }, options.judge);
  return { ...base, text: generation.transcript.text, timings: generation.timings, verdict: verdict.verdict, score: verdict.score, reasons: verdict.reasons, endOfText: generation.transcript.endOfText, promptEchoed: generation.transcript.promptEchoed };
}
