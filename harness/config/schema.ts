import { z } from 'zod';
import { defaultBaselines } from '../baselines/defaults.ts';
import { defaultRateOptions } from '../compare/rate.ts';
import { judgeConfigSchema } from '../judge/thresholds.ts';
import { runpodFileSettingsSchema } from '../providers/runpod/config.ts';

/**
 * The harness configuration. Defaults reproduce the original manual workaround exactly: the ten seed prompts,
 * 500 tokens each, greedy, `-b 1 --override-kv tokenizer.ggml.pre=str:llama-bpe`, bitnet.cpp pinned to
 * 01eb415 on this machine — except threads: the seed's `-t 4` becomes min(4, physical cores). `npm run schema` writes the JSON Schema for editors.
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

/** The microsoft/BitNet commit the harness builds by default. */
export const PINNED_BITNET_COMMIT = '01eb415';

const bitnetEngine = z.strictObject({
  kind: z.literal('bitnet.cpp'),
  repo: z.string().default('https://github.com/microsoft/BitNet.git'),
  /**
   * Last good commit: later HEAD swapped its llama.cpp fork and runs the FFN with the wrong activation (upstream #588/#602).
   * A prebuilt engine.dir at another commit is a warning; when commit is set here explicitly, an error.
   */
  commit: z.string().regex(/^[0-9a-f]{7,40}$/, 'a git commit hash such as 01eb415').optional().describe(`default: ${PINNED_BITNET_COMMIT}`),
  /** An existing bitnet.cpp checkout with build/bin/llama-cli; skips clone and build. */
  dir: z.string().optional(),
  modelRepo: z.string().default('microsoft/BitNet-b1.58-2B-4T-gguf'),
  modelFile: z.string().default('ggml-model-i2_s.gguf'),
  modelBytes: z.number().int().positive().default(1_187_801_280),
  /**
   * SHA-256 of that file (its Git LFS oid) at revision a1f2f1c765812aa8af3f6eda4a313707064bba15 of the model repository.
   * huggingface.co cannot be reached from where this was written, so it was not read from the LFS pointer itself: it
   * is quoted identically, with the same size, by several independent public projects that pin this file (found
   * 2026-12-02 with a code search for the size 1187801280). A mismatch deletes the file and fetches it again.
   */
  modelSha256: z.string().regex(/^[0-9a-f]{64}$/, 'the 64 lower-case hex digits sha256sum prints').default('4221b252fdd5fd25e15847adfeb5ee88886506ba50b8a34548374492884c2162'),
  /** An existing ggml-model-i2_s.gguf; skips the download. */
  modelPath: z.string().optional(),
  /** `require`: refuse non-x86/AVX2 hosts (the I2_S kernels print garbage there); `warn`: run anyway, e.g. to record an ARM baseline. */
  cpuCheck: z.enum(['require', 'warn']).default('require'),
  /** `process`: one llama-cli per prompt (the seed's way); `server`: the fork's llama-server, one model load (untested on a real pod yet). */
  mode: z.enum(['process', 'server']).default('process'),
}).transform(({ commit, ...engine }) => ({ ...engine, commit: commit ?? PINNED_BITNET_COMMIT, commitFromConfig: commit !== undefined }));

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

function withDefaultEngineKind(engine: unknown): unknown {
  return typeof engine === 'object' && engine !== null && !Array.isArray(engine) && !('kind' in engine) ? { kind: 'bitnet.cpp', ...engine } : engine;
}
/**
 * BitNet b1.58-2B-4T's context: 4096 tokens (n_ctx_train), which the prompt and the generated tokens share. A larger
 * `-n` cannot be honoured (1e12 made the engine print its usage text on every launch).
 */
export const MAX_CONTEXT_TOKENS = 4096;
const nPredictSchema = z.number().int().positive().max(MAX_CONTEXT_TOKENS, `must be ≤ ${MAX_CONTEXT_TOKENS}: it is the engine's -n, and BitNet b1.58-2B-4T's context of ${MAX_CONTEXT_TOKENS} tokens holds the prompt and every generated token`);

export const promptSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and dashes, e.g. capital-of-france'),
  text: z.string().min(1),
  expect: z.strictObject({ contains: z.array(z.string()).optional(), containsAny: z.array(z.string()).optional() }).optional(),
});

export const promptSetSchema = z.strictObject({
  name: z.string(),
  description: z.string().optional(),
  prompts: z.array(promptSchema).min(1).superRefine((ps, ctx) => {
    const first = new Map<string, number>();
    ps.forEach((p, i) => {
      const seen = first.get(p.id);
      if (seen === undefined) first.set(p.id, i);
      else ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `duplicate prompt id "${p.id}" (also prompts[${seen}]): prompt ids must be unique` });
    });
  }),
});

export const benchConfigSchema = z.strictObject({
  /** Editors' JSON Schema pointer; ignored by the harness. */
  $schema: z.string().optional(),
  target: z.discriminatedUnion('kind', [localTarget, sshTarget, runpodTarget]).prefault({ kind: 'local' }),
  // An engine section without a kind is bitnet.cpp's (e.g. only BENCH_ENGINE_DIR + BENCH_MODEL_PATH set).
  engine: z.preprocess(withDefaultEngineKind, z.discriminatedUnion('kind', [bitnetEngine, llamaCppEngine])).prefault({ kind: 'bitnet.cpp' }),
  /** A prompt-set JSON file (fixtures/prompts/*.json format), relative to the config file. */
  prompts: z.string().default('fixtures/prompts/seed.json'),
  generation: z
    .strictObject({
      nPredict: nPredictSchema.default(500),
      /** Unset: min(4, the target's physical cores); more than the physical cores is allowed, but warned and reported.
       * More threads than cores slows llama.cpp down (-t 4 on 2 cores: 2 tok/s instead of 300); 100000 hung a machine. */
      threads: z.number().int().positive().max(1024, 'must be ≤ 1024: engine threads beyond the cores only slow it down; use the number of physical cores').optional().describe('default: min(4, physical cores of the target)'),
      batchSize: z.number().int().positive().max(MAX_CONTEXT_TOKENS, `must be ≤ ${MAX_CONTEXT_TOKENS}, the context size in tokens; the seed uses 1`).default(1),
      temperature: z.number().min(0).max(5, 'must be ≤ 5; the benchmark is greedy (0)').default(0),
      overrideKv: z.array(z.string().regex(/^[\w.]+=(int|float|bool|str):.*$/, 'KEY=TYPE:VALUE, e.g. tokenizer.ggml.pre=str:llama-bpe')).default(['tokenizer.ggml.pre=str:llama-bpe']),
      /** Engine runs per prompt before it counts as failed: one retry covers a run cut short; a fault that repeats, repeats. */
      attempts: z.number().int().min(1).max(10, 'must be ≤ 10: a prompt that fails ten times will not pass on the eleventh').default(2),
      /** Per engine run; default 60 s + 1 s per token of nPredict (harness/engine/timeouts.ts says why). */
      timeoutSeconds: z.number().positive().max(86_400, 'must be ≤ 86400 (one day) per engine run').optional().describe('default: 60 + nPredict seconds'),
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
      repetitions: z.number().int().min(0).max(1000, 'must be ≤ 1000: each repetition is a full nPredict-token generation').default(3),
      warmup: z.number().int().min(0).max(100, 'must be ≤ 100: one warm-up is enough to load the model into the page cache').default(1),
      workload: z
        .strictObject({
          prompt: z.string().min(1).default('The history of the printing press begins'),
          nPredict: nPredictSchema.default(128),
        })
        .prefault({}),
      /** Generations per prompt: the first is judged, all give token-rate samples (each costs a full generation). */
      perPromptRepetitions: z.number().int().min(1).max(100, 'must be ≤ 100: each costs a full generation of every prompt').default(1),
      /** Confidence level of the reported margins of error. */
      confidence: z.number().gt(0).lt(1).default(0.95),
      /** Fail the throughput suite when the workload's relative margin of error exceeds this (e.g. 0.05); unset: only shown. */
      maxRelativeMarginOfError: z.number().positive().optional(),
    })
    .prefault({}),
  /** Judge thresholds to override (harness/judge/thresholds.ts lists each with its default and why), and failOnRepetition. */
  judge: judgeConfigSchema.optional(),
  reports: z.strictObject({ dir: z.string().default('reports') }).prefault({}),
  /**
   * Baseline files (fixtures/baselines/*.json format) every run is compared against, relative to the config file.
   * Default: the published runs the harness ships — the x86 greedy reference and the Apple M1 Pro word salad.
   */
  baselines: z.array(z.string().min(1)).default(defaultBaselines),
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
/** The generation section as configured: `threads` may be unset until the target is known. */
export type GenerationSettings = BenchConfig['generation'];
/** The generation settings an engine runs with: threads resolved for the target (harness/engine/threads.ts). */
export type GenerationConfig = GenerationSettings & { threads: number };
