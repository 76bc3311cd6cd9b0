import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { VerdictLabel } from '../../harness/judge/types.ts';
import type { ResultRow, RunEnvironment, RunRecord } from '../../harness/results/types.ts';

/**
 * Run records built from rows, for tests of everything downstream of generation (comparison, gate, writers,
 * merge). The texts are the kind the engine really prints: a coherent greedy continuation, and the word salad
 * bitnet.cpp produces with broken kernels.
 */
export const outputs = {
  paris: ' Paris. It is located in the north of the country, on the river Seine. Paris is known for the Eiffel Tower, the Louvre and its cafés.',
  parisSalad: ' Paris. It is located in the north of the country, the the of in city city Seine Seine Seine ofof capital France France the the the the the.',
  armSalad: ' pérdida Unterscheidung sizeof sizeof ModelState Peg Peg Peg kwiet kwiet kwiet hilft hilft hilft yoga yoga yoga Reed Reed Reed',
  water: ' in a ratio of two to one. Each molecule has two hydrogen atoms bonded to one oxygen atom, which gives water its bent shape.',
  repetitive: ' Paris. Paris is the capital of France. Paris is the capital of France. Paris is the capital of France. Paris is the capital of France.',
  loop: ' and oxygen and oxygen and oxygen and oxygen and oxygen and oxygen and oxygen and oxygen and oxygen and oxygen and oxygen.',
};

export const x86Machine = { hostname: 'ci', os: 'Linux 6.1', arch: 'x86_64', cpuModel: 'AMD EPYC 7763', cores: 4, flags: { avx2: true, avx512: false, neon: false }, memoryBytes: 16 * 2 ** 30 };
export const armMachine = { hostname: 'mac', os: 'Darwin 23.4', arch: 'arm64', cpuModel: 'Apple M1', cores: 8, flags: { avx2: false, avx512: false, neon: true }, memoryBytes: 16 * 2 ** 30 };

export function environment(runId: string, machine = x86Machine, overrides: Partial<RunEnvironment> = {}): RunEnvironment {
  return { runId, project: 'x86', target: 'local', targetLabel: 'local', machine, engine: 'bitnet.cpp', engineVersion: 'b4404', engineCommit: '01eb415', modelName: 'BitNet-b1.58-2B-4T', modelFile: '/cache/models/ggml-model-i2_s.gguf', modelBytes: 1_187_801_280, threads: 4, batchSize: 1, nPredict: 500, temperature: 0, ...overrides };
}

export interface RowSpec {
  id: string;
  text: string;
  verdict?: VerdictLabel;
  rate?: number | null;
  score?: number;
  prompt?: string;
  error?: string;
}

export function row(runId: string, spec: RowSpec): ResultRow {
  const verdict = spec.verdict ?? 'coherent';
  const tokens = 120;
  const rate = spec.rate === undefined ? 5 : spec.rate;
  return {
    runId,
    promptId: spec.id,
    prompt: spec.prompt ?? `Prompt ${spec.id}`,
    text: spec.text,
    timings: { loadMs: 812, promptEvalMs: 410, promptTokens: 7, promptTokensPerSecond: 17.1, evalMs: rate ? (tokens / rate) * 1000 : 0, evalTokens: spec.error ? 0 : tokens, tokensPerSecond: rate, totalMs: 25_000 },
    verdict,
    score: spec.score ?? (verdict === 'degenerate' ? 0.31 : verdict === 'repetitive' ? 0.1 : 0.92),
    reasons: verdict === 'coherent' ? [] : verdict === 'repetitive' ? ['repetition-loop: loop: 92% of the text is back-to-back repeats (limit 30%)', "repetitive: fluent sentences repeated (1 distinct, e.g. 'Paris is the capital of France.')"] : ['distinct-3: distinct 3-gram share 0.31 (needs ≥ 0.50)'],
    attempts: 1,
    ...(spec.error ? { error: spec.error } : {}),
    endOfText: false,
    promptEchoed: true,
    startedAt: '2026-01-10T10:00:00.000Z',
    finishedAt: '2026-01-10T10:00:25.000Z',
    wallMs: 25_000,
  };
}

export function record(runId: string, specs: RowSpec[], options: { machine?: typeof x86Machine; status?: RunRecord['status']; failure?: RunRecord['failure']; promptIds?: string[]; environment?: Partial<RunEnvironment> | null; reportDir?: string; failOnRepetition?: boolean } = {}): RunRecord {
  const env = options.environment === null ? undefined : environment(runId, options.machine, options.environment ?? {});
  return {
    runId,
    project: 'x86',
    status: options.status ?? 'complete',
    startedAt: '2026-01-10T10:00:00.000Z',
    finishedAt: '2026-01-10T10:05:00.000Z',
    reportDir: options.reportDir ?? `/tmp/${runId}`,
    configSource: 'defaults',
    promptSet: 'seed',
    promptIds: options.promptIds ?? specs.map((s) => s.id),
    machine: options.machine ?? x86Machine,
    ...(env ? { environment: env } : {}),
    rows: specs.map((s) => row(runId, s)),
    phases: [{ phase: 'generate', step: `generate ${specs.length} prompts`, startedAt: '2026-01-10T10:00:00.000Z', ms: 300_000, status: options.status === 'failed' ? 'failed' : 'ok' }],
    ...(options.failure ? { failure: options.failure } : {}),
    throughputBounds: { minTokensPerSecond: 2 },
    ...(options.failOnRepetition ? { failOnRepetition: true } : {}),
  };
}

/** Writes run.json and results.jsonl the way the session does, into `<root>/<runId>`. */
export function writeRunFolder(root: string, rec: RunRecord): string {
  const dir = join(root, rec.runId);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'run.json'), `${JSON.stringify({ ...rec, reportDir: dir }, null, 2)}\n`);
  writeFileSync(join(dir, 'results.jsonl'), rec.rows.map((r) => `${JSON.stringify(r)}\n`).join(''));
  return dir;
}
