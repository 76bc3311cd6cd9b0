import type { CostSummary } from '../providers/runpod/cost.ts';
import type { MachineInfo, TargetKind } from '../targets/target.ts';
import type { VerdictLabel } from '../judge/types.ts';

/** What the engine itself reported (its perf print). Rates are null when the engine printed `inf`/`nan`. */
export interface EngineTimings {
  loadMs: number | null;
  promptEvalMs: number;
  promptTokens: number;
  promptTokensPerSecond: number | null;
  evalMs: number;
  /** Generated tokens as counted by the engine ("N runs"). */
  evalTokens: number;
  tokensPerSecond: number | null;
  totalMs: number | null;
}

/** The environment every row carries (llama-bench style: each row stands on its own). */
export interface RunEnvironment {
  runId: string;
  project: string;
  target: TargetKind;
  targetLabel: string;
  machine: MachineInfo;
  engine: string;
  engineVersion: string;
  engineCommit: string;
  modelName: string;
  modelFile: string;
  modelBytes: number;
  threads: number;
  batchSize: number;
  nPredict: number;
  temperature: number;
}

/** One prompt's generation, judged. The single flat record every report writer is fed from. */
export interface ResultRow {
  runId: string;
  promptId: string;
  prompt: string;
  text: string;
  timings: EngineTimings;
  verdict: VerdictLabel;
  score: number;
  reasons: string[];
  /** Engine runs needed (a run without timing lines is retried). */
  attempts: number;
  /** Set when every attempt failed: the engine never produced a usable run for this prompt. */
  error?: string;
  /** The engine echoed the prompt byte for byte (false: it reached the engine altered, or the tokenizer mangles it). */
  promptEchoed: boolean;
  /** The model stopped on its own (end-of-generation) before the token limit. */
  endOfText: boolean;
  startedAt: string;
  finishedAt: string;
  wallMs: number;
}

/** A whole run: what the tests receive through `inject('bench')` and what the report writers read. */
export interface RunRecord {
  runId: string;
  project: string;
  status: 'complete' | 'failed';
  startedAt: string;
  finishedAt?: string;
  reportDir: string;
  configSource: string;
  promptSet: string;
  /** Every prompt of the set, in order; rows exist only for those that finished. */
  promptIds: string[];
  /** Known as soon as the target is provisioned, before the engine is. */
  machine?: MachineInfo;
  environment?: RunEnvironment;
  rows: ResultRow[];
  phases: { phase: string; step: string; startedAt: string; ms: number; status: 'ok' | 'skipped' | 'failed'; detail?: string }[];
  failure?: { kind: string; step: string; message: string; hint?: string };
  /** Seconds held and dollars per phase, for paid targets (a RunPod pod). */
  cost?: CostSummary;
  throughputBounds: { minTokensPerSecond: number; maxTokensPerSecond?: number };
  /** Set when this run generated one shard of the prompt set (`--shard=i/n`); promptIds are then the shard's. */
  shard?: { index: number; count: number; promptSetIds: string[] };
  /** Set on a run merged from shard runs (`npm run reports:merge`): their run ids, in merge order. */
  mergedFrom?: string[];
}
