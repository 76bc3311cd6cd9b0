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
  cores: z.number().int().nonnegative(),
  flags: z.strictObject({ avx2: z.boolean(), avx512: z.boolean(), neon: z.boolean() }),
  target: z.string().describe('where it ran: local, ssh root@host:22, runpod …'),
  engine: z.string(),
  engineVersion: z.string(),
  engineCommit: z.string(),
  modelName: z.string(),
  modelFile: z.string(),
  modelBytes: z.number().int().nonnegative(),
  threads: z.number().int().positive(),
  batchSize: z.number().int().positive(),
  nPredict: z.number().int().positive(),
  temperature: z.number().min(0),
});

const promptResultSchema = z.strictObject({
  id: z.string().min(1),
  prompt: z.string(),
  text: z.string().describe('the continuation the engine generated (without the prompt)'),
  verdict: z.enum(['coherent', 'repetitive', 'degenerate']),
  score: z.number().min(0).max(1),
  reasons: z.array(z.string()),
  error: z.string().optional().describe('set when the engine never produced a usable run for this prompt'),
  generatedTokens: z.number().int().nonnegative(),
  tokensPerSecond: z.strictObject({
    samples: z.array(z.number().positive()).describe('one eval rate per repetition; empty when the engine reported none'),
  }),
});

export const baselineSchema = z.strictObject({
  $schema: z.string().optional(),
  format: z.literal(BASELINE_FORMAT),
  label: z.string().min(1).describe('what a reader needs to know, e.g. "Apple M1, bitnet.cpp 01eb415 — word salad (upstream #348)"'),
  kind: z.enum(baselineKinds).describe('platform: another platform (diagnosis only); previous-run: the same platform earlier (regressions fail); simulated: a stand-in such as the demo models (diagnosis only)'),
  recordedAt: z.iso.datetime(),
  source: z.strictObject({ runId: z.string(), project: z.string(), promptSet: z.string(), status: z.enum(['complete', 'failed']) }),
  environment: environmentSchema,
  prompts: z.array(promptResultSchema).refine((ps) => new Set(ps.map((p) => p.id)).size === ps.length, 'prompt ids must be unique'),
});

export type Baseline = z.infer<typeof baselineSchema>;
export type BaselineKind = Baseline['kind'];
export type BaselineEnvironment = Baseline['environment'];
export type PromptResult = Baseline['prompts'][number];
