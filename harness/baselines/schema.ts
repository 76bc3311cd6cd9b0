import { z } from 'zod';

/**
 * A baseline: one run's per-prompt outputs, verdicts and token rates, with the environment they came from, kept
 * as JSON under fixtures/baselines/ to compare later runs against. The current run is turned into the same shape
 * (a "snapshot") before comparing, so both sides of every comparison are read the same way.
 * `npm run schema` writes fixtures/baselines/baseline.schema.json from this for editors.
 */
export const BASELINE_FORMAT = 1;

export const baselineKinds = ['platform', 'previous-run', 'simulated'] as const;

const environmentSchema = z.strictObject({
  os: z.string(),
  arch: z.string().describe('uname -m: x86_64, aarch64, arm64'),
  cpu: z.string(),
  cores: z.number().int().nonnegative().describe('0 when a published source does not say'),
  flags: z.strictObject({ avx2: z.boolean(), avx512: z.boolean(), neon: z.boolean() }),
  target: z.string().describe('where it ran: local, ssh root@host:22, runpod …'),
  engine: z.string(),
  engineVersion: z.string(),
  engineCommit: z.string(),
  modelName: z.string(),
  modelFile: z.string(),
  modelBytes: z.number().int().nonnegative().describe('0 when a published source does not say'),
  threads: z.number().int().nonnegative().describe('0 when a published source does not say'),
  batchSize: z.number().int().nonnegative().describe('0 when a published source does not say'),
  nPredict: z.number().int().nonnegative().describe('0 when a published source does not say'),
  temperature: z.number().min(0),
  engineArgv: z.array(z.string()).optional().describe('the engine command line that ran (a run\'s RunEnvironment.engineArgv; for a published run, its stated command); absent when unknown'),
});

const promptResultSchema = z.strictObject({
  id: z.string().min(1),
  prompt: z.string(),
  text: z.string().describe('the continuation the engine generated (without the prompt)'),
  verdict: z.enum(['coherent', 'repetitive', 'degenerate']),
  score: z.number().min(0).max(1),
  reasons: z.array(z.string()),
  error: z.string().optional().describe('set when the engine never produced a usable run for this prompt'),
  generatedTokens: z.number().int().nonnegative().optional().describe('the engine\'s count; absent when a published source does not give it'),
  tokensPerSecond: z.strictObject({
    samples: z.array(z.number().positive()).describe('one eval rate per repetition; empty when the engine reported none'),
  }),
  endOfText: z.boolean().optional().describe('the model stopped on its own before the token limit; absent when a published source does not say'),
  promptTokensPerSecond: z.number().positive().optional().describe('prompt-processing rate, where a published source gives it'),
  truncated: z
    .strictObject({
      marker: z.string().min(1).describe('what the author wrote instead of the rest, verbatim, e.g. "[repeats...]" or "..."; `text` ends with it'),
      note: z.string().describe('what is missing, as far as the source says'),
    })
    .optional()
    .describe('set when the published text is abbreviated: only the text before the marker is the model\'s output'),
  note: z.string().optional().describe('anything else a reader of this prompt\'s record must know (e.g. a different -n)'),
});

/**
 * Where a baseline copied from a published report came from. The texts are the author's, copied verbatim; what
 * the source states and what was inferred are kept apart in `notes`, so nobody mistakes an inference for data.
 */
const provenanceSchema = z.strictObject({
  source: z.strictObject({
    url: z.url().describe('the report at the exact commit it was read from, or the issue thread'),
    repository: z.string().describe('owner/name'),
    path: z.string().optional().describe('the report file, for a repository document'),
    issue: z.number().int().positive().optional().describe('the issue number, for an issue thread'),
    commit: z.string().optional().describe('commit of the report file (absent for an issue thread)'),
    author: z.string().optional(),
    retrievedAt: z.iso.date().describe('when the text was copied from the source'),
  }),
  runDate: z.string().describe('when the run was made, as the source states it'),
  platform: z.string().describe('hardware and OS, as the source states them'),
  engine: z.string().describe('engine, commit and build, as the source states them'),
  command: z.string().describe('the generation command or flags, as the source states them'),
  notes: z.array(z.string()).describe('how the texts were transcribed, what is inferred rather than stated, what is unknown'),
});

/**
 * A greedy reference: the texts are what the same model file, engine code and flags produce at temperature 0, so a
 * correct run of those must reproduce them word for word. Agreement with it is evidence beside the judge's verdict.
 */
const referenceSchema = z.strictObject({
  decoding: z.literal('greedy'),
  engine: z.string().describe('engine name a run must have, e.g. bitnet.cpp'),
  engineCommits: z.array(z.string().min(7)).min(1).describe('engine commits whose CPU code is identical to the one that produced the texts'),
  modelFile: z.string().min(1).describe('file name of the model, e.g. ggml-model-i2_s.gguf'),
  flags: z.string().describe('the generation flags of the reference, e.g. -b 1 --temp 0 --override-kv tokenizer.ggml.pre=str:llama-bpe'),
  why: z.string().describe('why these commits and flags are the same computation as the harness\'s'),
});

export const baselineSchema = z.strictObject({
  $schema: z.string().optional(),
  format: z.literal(BASELINE_FORMAT),
  label: z.string().min(1).describe('what a reader needs to know, e.g. "Apple M1, bitnet.cpp 01eb415 — word salad (upstream #348)"'),
  kind: z.enum(baselineKinds).describe('platform: another platform (diagnosis only); previous-run: the same platform earlier (regressions fail); simulated: a stand-in such as the demo models (diagnosis only)'),
  recordedAt: z.iso.datetime(),
  source: z.strictObject({ runId: z.string(), project: z.string(), promptSet: z.string(), status: z.enum(['complete', 'failed']) }),
  environment: environmentSchema,
  prompts: z
    .array(promptResultSchema)
    .refine((ps) => new Set(ps.map((p) => p.id)).size === ps.length, 'prompt ids must be unique')
    .refine((ps) => ps.every((p) => !p.truncated || p.text.endsWith(p.truncated.marker)), 'a truncated text must end with its marker'),
  provenance: provenanceSchema.optional().describe('set for a baseline copied from a published report rather than recorded by this harness'),
  reference: referenceSchema.optional().describe('set when the texts are a greedy reference of the same model, engine and flags a run uses'),
});

export type Baseline = z.infer<typeof baselineSchema>;
export type BaselineKind = Baseline['kind'];
export type BaselineEnvironment = Baseline['environment'];
export type PromptResult = Baseline['prompts'][number];
export type BaselineReference = NonNullable<Baseline['reference']>;
