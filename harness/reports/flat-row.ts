import { tokenRateSamples } from '../baselines/from-run.ts';
import { isInfrastructureOutcome } from '../results/outcome.ts';
import type { ResultRow, RunEnvironment } from '../results/types.ts';
import { mean, standardDeviation } from '../stats/index.ts';
import { commandLineText } from './present.ts';

/**
 * One flat record per prompt, llama-bench style: every row carries the engine, commit and hardware it was
 * measured on, so a CSV line copied out of context still says what it is. All per-format writers read this.
 */
export interface FlatRow {
  run_id: string;
  project: string;
  prompt_id: string;
  prompt: string;
  verdict: string;
  /** 'infrastructure' when the prompt was not graded (verdict and score are placeholders then), else 'judged'. */
  outcome: 'judged' | 'infrastructure';
  score: number;
  reasons: string;
  error: string;
  tokens_per_second: number | null;
  /** Mean ± sd over the prompt's repetitions (one sample: sd empty). */
  tokens_per_second_mean: number | null;
  tokens_per_second_sd: number | null;
  tokens_per_second_samples: number;
  ttft_ms: number | null;
  tpot_ms: number | null;
  itl_p50_ms: number | null;
  itl_p90_ms: number | null;
  itl_p99_ms: number | null;
  generated_tokens: number;
  eval_ms: number;
  prompt_tokens: number;
  prompt_eval_ms: number;
  prompt_tokens_per_second: number | null;
  load_ms: number | null;
  total_ms: number | null;
  wall_ms: number;
  attempts: number;
  end_of_text: boolean;
  engine: string;
  engine_commit: string;
  engine_version: string;
  model: string;
  model_bytes: number;
  target: string;
  arch: string;
  cpu: string;
  cores: number;
  avx2: boolean;
  avx512: boolean;
  neon: boolean;
  threads: number;
  batch_size: number;
  n_predict: number;
  temperature: number;
  /** Physical cores of the target (threads beyond them contend) and the warning when threads exceeded them. */
  physical_cores: number;
  threads_warning: string;
  /** The exact engine command line, arguments joined with spaces and quoted where needed. */
  engine_command: string;
  started_at: string;
  /** Leading words equal to the greedy reference's (the first baseline marked `reference` that applies), of how many it has; null without one. */
  reference_words_agreed: number | null;
  reference_words: number | null;
  /** The word where this run leaves the reference; null when it agrees (also when its smaller -n ended it first). */
  reference_diverges_at_word: number | null;
  text: string;
}

export function flattenRow(row: ResultRow, env: RunEnvironment | undefined, project: string): FlatRow {
  const t = row.timings;
  const samples = tokenRateSamples(row);
  return {
    run_id: row.runId,
    project,
    prompt_id: row.promptId,
    prompt: row.prompt,
    verdict: row.verdict,
    outcome: isInfrastructureOutcome(row) ? 'infrastructure' : 'judged',
    score: round(row.score, 4),
    reasons: row.reasons.join(' | '),
    error: row.error ?? '',
    tokens_per_second: t.tokensPerSecond === null ? null : round(t.tokensPerSecond, 3),
    tokens_per_second_mean: maybe(mean(samples), 3),
    tokens_per_second_sd: maybe(standardDeviation(samples), 3),
    tokens_per_second_samples: samples.length,
    ttft_ms: maybe(row.latency?.ttftMs, 1),
    tpot_ms: maybe(row.latency?.tpotMs, 3),
    itl_p50_ms: maybe(row.latency?.itlMs?.p50, 3),
    itl_p90_ms: maybe(row.latency?.itlMs?.p90, 3),
    itl_p99_ms: maybe(row.latency?.itlMs?.p99, 3),
    generated_tokens: t.evalTokens,
    eval_ms: t.evalMs,
    prompt_tokens: t.promptTokens,
    prompt_eval_ms: t.promptEvalMs,
    prompt_tokens_per_second: t.promptTokensPerSecond === null ? null : round(t.promptTokensPerSecond, 3),
    load_ms: t.loadMs,
    total_ms: t.totalMs,
    wall_ms: round(row.wallMs, 1),
    attempts: row.attempts,
    end_of_text: row.endOfText,
    engine: env?.engine ?? '',
    engine_commit: env?.engineCommit ?? '',
    engine_version: env?.engineVersion ?? '',
    model: env?.modelName ?? '',
    model_bytes: env?.modelBytes ?? 0,
    target: env?.targetLabel ?? '',
    arch: env?.machine.arch ?? '',
    cpu: env?.machine.cpuModel ?? '',
    cores: env?.machine.cores ?? 0,
    avx2: env?.machine.flags.avx2 ?? false,
    avx512: env?.machine.flags.avx512 ?? false,
    neon: env?.machine.flags.neon ?? false,
    threads: env?.threads ?? 0,
    batch_size: env?.batchSize ?? 0,
    n_predict: env?.nPredict ?? 0,
    temperature: env?.temperature ?? 0,
    physical_cores: env?.machine.physicalCores ?? 0,
    threads_warning: env?.threadsWarning ?? '',
    engine_command: env?.engineArgv ? commandLineText(env.engineArgv) : '',
    started_at: row.startedAt,
    reference_words_agreed: null,
    reference_words: null,
    reference_diverges_at_word: null,
    text: row.text,
  };
}

function maybe(value: number | null | undefined, digits: number): number | null {
  return value === null || value === undefined || !Number.isFinite(value) ? null : round(value, digits);
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
