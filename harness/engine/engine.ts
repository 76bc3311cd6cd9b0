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
  /** Harness-side streaming timestamps (ms since start) of each stdout chunk: used for time to first token. */
  chunkTimesMs: number[];
}

export interface GenerateOptions {
  onProgress?(chunk: string): void;
  signal?: AbortSignal;
}

export interface PreparedEngine {
  info: EngineInfo;
  generate(prompt: Prompt, gen: GenerationConfig, options?: GenerateOptions): Promise<Generation>;
  /** Stops anything long-lived the engine started (e.g. a llama-server). */
  close(): Promise<void>;
}

export interface EngineContext {
  target: Target;
  log: Logger;
  phases: PhaseRecorder;
}

export interface Engine {
  /** Idempotent: skips what is already on the target. Each step is recorded with its duration. */
  prepare(ctx: EngineContext): Promise<PreparedEngine>;
}
