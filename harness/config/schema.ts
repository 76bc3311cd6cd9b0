import { z } from 'zod';
import { defaultRateOptions } from '../compare/rate.ts';
import { judgeConfigSchema } from '../judge/thresholds.ts';
import { runpodFileSettingsSchema } from '../providers/runpod/config.ts';

/**
 * The harness configuration. Defaults reproduce the original manual workaround exactly: the ten seed prompts,
 * 500 tokens each, greedy, `-b 1 -t 4 --override-kv tokenizer.ggml.pre=str:llama-bpe`, bitnet.cpp pinned to
 * 01eb415 on this machine. `npm run schema` writes the JSON Schema for editors.
 */
const localTarget = z.strictObject({
  kind: z.literal('local'),
  /** Where the engine checkout, prompt files and logs live on this machine. */
  workDir: z.string().optional().describe('default: $BENCH_CACHE_DIR/work'),
});

const sshTarget = z.strictObject({
  kind: z.literal('ssh'),
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535).default(22),
  username: z.string().min(1).default('root'),
  privateKeyPath: z.string().optional().describe('default: the ssh-agent at $SSH_AUTH_SOCK'),
  /** Pinned host key, `SHA256:…` as `ssh-keygen -lf` prints it. Without it: trust on first use. */
  hostKeyFingerprint: z.string().regex(/^SHA256:[A-Za-z0-9+/]{43}=?$/, 'write it as ssh-keygen -lf prints it: SHA256:<43 base64 chars>').optional(),
  knownHostsFile: z.string().optional().describe('default: $BENCH_CACHE_DIR/known_hosts'),
  readyTimeoutMs: z.number().int().positive().default(20_000),
  workDir: z.string().optional().describe('default: ~/bitnet-bench on the host'),
});

/** RunPod settings (see docs/runpod.md); RUNPOD_* variables override them and the key comes only from RUNPOD_API_KEY. */
const runpodTarget = z.strictObject({
  kind: z.literal('runpod'),
  workDir: z.string().optional().describe('folder the harness owns in the pod; default ~/bitnet-bench'),
  ...runpodFileSettingsSchema.shape,
});

const bitnetEngine = z.strictObject({
  kind: z.literal('bitnet.cpp'),
  repo: z.string().default('https://github.com/microsoft/BitNet.git'),
  /** Last good commit: later HEAD swapped its llama.cpp fork and runs the FFN with the wrong activation (upstream #588/#602). */
  commit: z.string().regex(/^[0-9a-f]{7,40}$/, 'a git commit hash such as 01eb415').default('01eb415'),
  /** An existing bitnet.cpp checkout with build/bin/llama-cli; skips clone and build. */
  dir: z.string().optional(),
  modelRepo: z.string().default('microsoft/BitNet-b1.58-2B-4T-gguf'),
  modelFile: z.string().default('ggml-model-i2_s.gguf'),
  modelBytes: z.number().int().positive().default(1_187_801_280),
  /** An existing ggml-model-i2_s.gguf; skips the download. */
  modelPath: z.string().optional(),
  /** `require`: refuse non-x86/AVX2 hosts (the I2_S kernels print garbage there); `warn`: run anyway, e.g. to record an ARM baseline. */
  cpuCheck: z.enum(['require', 'warn']).default('require'),
  /** `process`: one llama-cli per prompt (the seed's way); `server`: the fork's llama-server, one model load (untested on a real pod yet). */
  mode: z.enum(['process', 'server']).default('process'),
});

const llamaCppEngine = z.strictObject({
  kind: z.literal('llama.cpp'),
  /** A GGUF path, or one of the project's tiny generated models. */
  model: z.preprocess(
    // `tiny:kernel-fault` (handy in BENCH_LLAMA_MODEL) means { "tiny": "kernel-fault" }
    (v) => (typeof v === 'string' && v.startsWith('tiny:') ? { tiny: v.slice(5) } : v),
    z.union([z.string().min(1), z.strictObject({ tiny: z.enum(['coherent', 'kernel-fault', 'loop']) })]),
  ),
  /** Folder with llama-completion/llama-server; default: built from node-llama-cpp's bundled source. */
  binDir: z.string().optional(),
  /** `process`: one llama-completion per prompt (like the seed); `server`: one llama-server, one model load. */
  mode: z.enum(['process', 'server']).default('process'),
});

export const promptSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and dashes, e.g. capital-of-france'),
  text: z.string().min(1),
  expect: z.strictObject({ contains: z.array(z.string()).optional(), containsAny: z.array(z.string()).optional() }).optional(),
});

export const promptSetSchema = z.strictObject({
  name: z.string(),
  description: z.string().optional(),
  prompts: z.array(promptSchema).min(1).refine((ps) => new Set(ps.map((p) => p.id)).size === ps.length, 'prompt ids must be unique'),
});

export const benchConfigSchema = z.strictObject({
  /** Editors' JSON Schema pointer; ignored by the harness. */
  $schema: z.string().optional(),
  target: z.discriminatedUnion('kind', [localTarget, sshTarget, runpodTarget]).prefault({ kind: 'local' }),
  engine: z.discriminatedUnion('kind', [bitnetEngine, llamaCppEngine]).prefault({ kind: 'bitnet.cpp' }),
  /** A prompt-set JSON file (fixtures/prompts/*.json format), relative to the config file. */
  prompts: z.string().default('fixtures/prompts/seed.json'),
  generation: z
    .strictObject({
      nPredict: z.number().int().positive().default(500),
      threads: z.number().int().positive().default(4),
      batchSize: z.number().int().positive().default(1),
      temperature: z.number().min(0).default(0),
      overrideKv: z.array(z.string().regex(/^[\w.]+=(int|float|bool|str):.*$/, 'KEY=TYPE:VALUE, e.g. tokenizer.ggml.pre=str:llama-bpe')).default(['tokenizer.ggml.pre=str:llama-bpe']),
      /** Engine runs per prompt before a run without timing lines counts as failed. */
      attempts: z.number().int().min(1).default(3),
      timeoutSeconds: z.number().positive().default(900),
    })
    .prefault({}),
  throughput: z
    .strictObject({
      /** The seed's expectation for BitNet 2B on a CPU: 2–10 tok/s. */
      minTokensPerSecond: z.number().nonnegative().default(2),
      maxTokensPerSecond: z.number().positive().optional(),
      /**
       * Timed repetitions of a fixed workload (llama-bench style: one prompt, `nPredict` tokens with end-of-text
       * ignored), after `warmup` untimed ones. Much cheaper than rerunning every prompt; 0 skips it.
       */
      repetitions: z.number().int().min(0).default(3),
      warmup: z.number().int().min(0).default(1),
      workload: z
        .strictObject({
          prompt: z.string().min(1).default('The history of the printing press begins'),
          nPredict: z.number().int().positive().default(128),
        })
        .prefault({}),
      /** Generations per prompt: the first is judged, all give token-rate samples (each costs a full generation). */
      perPromptRepetitions: z.number().int().min(1).default(1),
      /** Confidence level of the reported margins of error. */
      confidence: z.number().gt(0).lt(1).default(0.95),
      /** Fail the throughput suite when the workload's relative margin of error exceeds this (e.g. 0.05); unset: only shown. */
      maxRelativeMarginOfError: z.number().positive().optional(),
    })
    .prefault({}),
  /** Judge thresholds to override (harness/judge/thresholds.ts lists each with its default and why), and failOnRepetition. */
  judge: judgeConfigSchema.optional(),
  reports: z.strictObject({ dir: z.string().default('reports') }).prefault({}),
  /** Baseline files (fixtures/baselines/*.json format) every run is compared against, relative to the config file. */
  baselines: z.array(z.string().min(1)).default([]),
  /** How a token-rate change is judged against a baseline (see docs/reports.md). */
  compare: z
    .strictObject({
      /** A change smaller than this fraction of the baseline rate never counts. */
      relativeTolerance: z.number().min(0).max(1).default(defaultRateOptions.relativeTolerance),
      /** …and it must also exceed z standard errors of the difference when both sides have ≥ 2 samples. */
      z: z.number().positive().default(defaultRateOptions.z),
    })
    .prefault({}),
});

export type BenchConfig = z.infer<typeof benchConfigSchema>;
export type PromptSet = z.infer<typeof promptSetSchema>;
export type Prompt = z.infer<typeof promptSchema>;
export type TargetConfig = BenchConfig['target'];
export type EngineConfig = BenchConfig['engine'];
export type GenerationConfig = BenchConfig['generation'];
