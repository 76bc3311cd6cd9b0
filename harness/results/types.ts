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

/**
 * Latency as the harness saw the stream (definitions in docs/throughput.md). TTFT: request (or process) start to
 * the first generated token's arrival. TPOT: (last token − first token) ÷ (engine's token count − 1), so it
 * excludes the first token. Inter-token latency percentiles: gaps between consecutive tokens' arrivals — only
 * where the stream says which tokens each event carries (server mode); null otherwise.
 */
export interface Latency {
  ttftMs: number | null;
  tpotMs: number | null;
  itlMs: { p50: number; p90: number; p99: number } | null;
}

/** Samples of one figure with their spread: mean ± sd, and the confidence interval's half-width (absolute and ÷ mean). */
export interface SampleStats {
  samples: number[];
  n: number;
  mean: number | null;
  sd: number | null;
  marginOfError: number | null;
  relativeMarginOfError: number | null;
  confidence: number;
}

/** One timed repetition of the fixed workload. */
export interface Repetition {
  timings: EngineTimings;
  latency: Latency;
  wallMs: number;
}

/** The fixed pp/tg workload, repeated (llama-bench style). */
export interface ThroughputMeasurement {
  mode: 'process' | 'server';
  workload: { prompt: string; nPredict: number; promptTokens: number };
  warmup: number;
  /** Repetitions asked for in the config; `repetitions.length` is what completed. */
  planned: number;
  repetitions: Repetition[];
  tokensPerSecond: SampleStats;
  promptTokensPerSecond: SampleStats;
  ttftMs: SampleStats;
  tpotMs: SampleStats;
}

/**
 * Achieved token rate against the memory-bandwidth ceiling: each generated token reads (about) every weight once,
 * so tokens/s ≤ bandwidth ÷ bytes read per token. Bytes per token are taken as the model file's size.
 */
export interface Roofline {
  /** Bytes per second the probe copied (read + write), single thread. */
  bandwidthBytesPerSecond: number;
  probe: string;
  bytesPerToken: number;
  ceilingTokensPerSecond: number;
  achievedTokensPerSecond: number | null;
  /** achieved ÷ ceiling; above 1 when the model fits in the CPU caches (the tiny models do). */
  fraction: number | null;
}

/** What a RunPod pod cost, per phase (the CostMeter's summary). Set by the RunPod provisioning when it ran on one. */
export interface RunCost {
  phases: { name: string; seconds: number; dollars: number }[];
  totalSeconds: number;
  totalDollars: number;
  costPerHr: number;
  /** The pod's leak guards and whether each was armed (server terminateAfter, in-pod watchdog, signal stop, reaper). */
  leakGuards?: { layer: string; armed: boolean; detail: string }[];
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
  /** Set when threads exceed the target's physical cores (the token rate then measures contention). */
  threadsWarning?: string;
  /** The exact engine command line (process mode: the first prompt's run; server mode: the llama-server). */
  engineArgv?: string[];
  batchSize: number;
  nPredict: number;
  temperature: number;
  /** `--override-kv` values the engine ran with (the seed's tokenizer.ggml.pre=str:llama-bpe). */
  overrideKv?: string[];
  /** What makes this run's results doubtful, e.g. a prebuilt engine folder at another commit than the pin. */
  warnings?: string[];
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
  /**
   * 'infrastructure' when no usable run came out for a reason that says nothing about the model (the engine crashed,
   * the model did not load, the server died, a timeout, no timing lines on any attempt): verdict and score are then
   * placeholders, not a grade; the gate counts it as infrastructure and a resume runs the prompt again.
   */
  outcome?: 'infrastructure';
  /** The engine echoed the prompt byte for byte (false: it reached the engine altered, or the tokenizer mangles it). */
  promptEchoed: boolean;
  /** The model stopped on its own (end-of-generation) before the token limit. */
  endOfText: boolean;
  startedAt: string;
  finishedAt: string;
  wallMs: number;
  /** Eval tokens/s of every usable generation of this prompt (throughput.perPromptRepetitions of them). */
  samples?: number[];
  latency?: Latency;
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
  throughputBounds: { minTokensPerSecond: number; maxTokensPerSecond?: number; maxRelativeMarginOfError?: number };
  /** Set when this run generated one shard of the prompt set (`--shard=i/n`); promptIds are then the shard's. */
  shard?: { index: number; count: number; promptSetIds: string[] };
  /** How prompts were run: one process each, or requests to one llama-server. */
  engineMode?: 'process' | 'server';
  /** The fixed-workload repetitions (config `throughput.repetitions`). */
  throughput?: ThroughputMeasurement;
  roofline?: Roofline;
  /** Billed seconds and dollars per phase on a pod. */
  cost?: RunCost;
  /** The config's judge.failOnRepetition: a `repetitive` verdict fails its prompt (otherwise it passes with a warning). */
  failOnRepetition?: boolean;
  /** Set on a run merged from shard runs (`npm run reports:merge`): their run ids, in merge order. */
  mergedFrom?: string[];
}
