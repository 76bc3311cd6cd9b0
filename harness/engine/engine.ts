import type { GenerationConfig, Prompt } from '../config/schema.ts';
import type { Logger } from '../log.ts';
import type { EngineTimings } from '../results/types.ts';
import type { PhaseRecorder } from '../run/phases.ts';
import type { Target } from '../targets/target.ts';
import type { EngineFlavour } from './command.ts';
import type { Transcript } from './transcript.ts';

export interface EngineInfo {
  name: EngineFlavour['name'];
  /** What the binary says of itself (`--version`), e.g. `version: 3957 (01eb415)`. */
  version: string;
  commit: string;
  binDir: string;
  modelName: string;
  modelPath: string;
  modelBytes: number;
  /** Things that make this run's results doubtful (e.g. a prebuilt folder at another commit): console and every report. */
  warnings?: string[];
}

/** One engine run of one prompt, parsed. */
export interface Generation {
  transcript: Transcript;
  timings: EngineTimings;
  argv: string[];
  stdout: string;
  stderr: string;
  /** Harness-side wall time of the run, including process start and model load. */
  wallMs: number;
  /** Harness-side streaming timestamps (ms since start) of each stdout chunk (process) or stream event (server). */
  chunkTimesMs: number[];
  /** What the stream says about when generated tokens arrived; the latency figures are computed from it. */
  stream: TokenStream;
}

/**
 * Arrival times (ms since the request or process started) as the harness saw them. `firstTokenMs` is known in
 * both modes (process: the first stdout chunk past the prompt echo). `tokenTimesMs` — one entry per generated
 * token — only where the stream says which tokens each event carries (llama-server's `tokens` array); stdout
 * chunks of a process are pipe reads, not tokens, so there it is null.
 */
export interface TokenStream {
  firstTokenMs: number | null;
  tokenTimesMs: number[] | null;
}

export interface GenerateOptions {
  onProgress?(chunk: string): void;
  /** Generate exactly nPredict tokens (llama-bench's tg workload): end-of-generation does not stop the run. */
  ignoreEos?: boolean;
  signal?: AbortSignal;
}

export interface PreparedEngine {
  info: EngineInfo;
  /** `process`: one engine process (and model load) per generation; `server`: one llama-server for the run. */
  mode: 'process' | 'server';
  generate(prompt: Prompt, gen: GenerationConfig, options?: GenerateOptions): Promise<Generation>;
  /**
   * The exact engine command line for these settings, for the reports: server mode, the llama-server that was
   * started; process mode, the run of `prompt` (the runs of other prompts differ only in their `-f` file).
   */
  commandLine?(gen: GenerationConfig, prompt?: Pick<Prompt, 'id'>): string[];
  /** Stops anything long-lived the engine started (e.g. a llama-server). */
  close(): Promise<void>;
}

export interface EngineContext {
  target: Target;
  log: Logger;
  phases: PhaseRecorder;
  /** The run's generation settings: a server-mode engine starts its server (loads the model) with them in prepare. */
  gen?: GenerationConfig;
}

export interface Engine {
  /** Idempotent: skips what is already on the target. Each step is recorded with its duration. */
  prepare(ctx: EngineContext): Promise<PreparedEngine>;
}
