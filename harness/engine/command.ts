import type { GenerationConfig } from '../config/schema.ts';

/**
 * The one place the engines' command lines differ. bitnet.cpp's fork (2024) still has a one-shot `llama-cli`;
 * mainline llama.cpp made `llama-cli` a chat UI and moved one-shot generation to `llama-completion`, which
 * would auto-enter conversation mode for models with a chat template unless told `-no-cnv`.
 */
export interface EngineFlavour {
  name: 'bitnet.cpp' | 'llama.cpp';
  /** Executable, relative to the engine's binary folder. */
  generateBinary: string;
  extraArgs: string[];
  /** The HTTP server both engines build alongside (`server` mode: one process, one model load per run). */
  serverBinary: string;
}

export const flavours = {
  'bitnet.cpp': { name: 'bitnet.cpp', generateBinary: 'llama-cli', extraArgs: [], serverBinary: 'llama-server' },
  'llama.cpp': { name: 'llama.cpp', generateBinary: 'llama-completion', extraArgs: ['-no-cnv'], serverBinary: 'llama-server' },
} as const satisfies Record<string, EngineFlavour>;

/**
 * The seed's command: `-m <gguf> -p <prompt> -n 500 -b 1 -t 4 --temp 0.0 --override-kv tokenizer.ggml.pre=str:llama-bpe`,
 * except that the prompt is read from a file (`-f`) so no prompt text ever passes through a shell.
 * Never `--log-disable`: in bitnet.cpp's fork it silences the generated text too.
 */
export function generationArgv(flavour: EngineFlavour, binary: string, modelPath: string, promptFile: string, gen: GenerationConfig, extra: { ignoreEos?: boolean } = {}): string[] {
  return [
    binary,
    '-m', modelPath,
    '-f', promptFile,
    '-n', String(gen.nPredict),
    '-b', String(gen.batchSize),
    '-t', String(gen.threads),
    '--temp', String(gen.temperature),
    ...gen.overrideKv.flatMap((kv) => ['--override-kv', kv]),
    ...(extra.ignoreEos ? ['--ignore-eos'] : []),
    ...flavour.extraArgs,
  ];
}

/**
 * llama-server with the seed's model settings. Sampling settings travel with each request instead. The server
 * binds 127.0.0.1 only, on a free port (`--port 0` here; server-process.ts replaces it with a port it chooses), with one
 * slot. `-b 1` cannot be given to a server (its start-up probe decodes two tokens and asserts n_batch ≥ 2), so
 * a batch of 1 becomes `-b 2 -ub 1`: the compute still runs one token per micro-batch, as with `-b 1`.
 */
export function serverArgv(binary: string, modelPath: string, gen: Pick<GenerationConfig, 'threads' | 'batchSize' | 'overrideKv'>): string[] {
  const batch = gen.batchSize < 2 ? ['-b', '2', '-ub', String(gen.batchSize)] : ['-b', String(gen.batchSize)];
  return [
    binary,
    '-m', modelPath,
    '--host', '127.0.0.1',
    '--port', '0',
    '-np', '1',
    '-t', String(gen.threads),
    ...batch,
    ...gen.overrideKv.flatMap((kv) => ['--override-kv', kv]),
  ];
}

/** The commit in a `--version` line: `version: 3957 (01eb415)` (bitnet.cpp) or `version: 0.4.0-dev (build 1, commit 80fb11a)`. */
export function commitOf(versionLine: string): string {
  const m = versionLine.match(/commit ([0-9a-f]{7,})|\(([0-9a-f]{7,})\)/);
  return m?.[1] ?? m?.[2] ?? 'unknown';
}
