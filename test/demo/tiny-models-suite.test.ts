import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runVitestProject } from '../support/run-vitest.ts';

/**
 * The demo project run for real — llama-completion built from the npm source, on each tiny model — as a user runs
 * it. The suite must pass the coherent model and fail every prompt of the kernel-fault and loop twins.
 */
describe('demo project on the real llama.cpp engine', () => {
  it('passes the coherent tiny model, one test per prompt, and writes the seed reports', async () => {
    const run = await runVitestProject('demo');
    expect(run.status, run.output).toBe(0);
    const coherence = [...run.tests].filter(([name]) => name.startsWith('coherence:'));
    expect(coherence).toHaveLength(8);
    expect(coherence.every(([, status]) => status === 'passed')).toBe(true);
    const latest = join(run.reportsDir, 'latest');
    for (const file of ['bitnet_coherent_results.txt', 'bitnet_coherent_metrics.json', 'results.csv', 'results.jsonl']) expect(existsSync(join(latest, file)), file).toBe(true);
    const metrics = JSON.parse(readFileSync(join(latest, 'bitnet_coherent_metrics.json'), 'utf8'));
    expect(metrics.environment).toMatchObject({ engine: 'llama.cpp', engineCommit: '80fb11a', threads: 1 });
    // the parser read this engine's real perf print: counts and rates, never zeros
    for (const p of metrics.prompts) {
      expect(p.generatedTokens).toBeGreaterThan(10);
      expect(p.tokensPerSecond).toBeGreaterThan(0);
      expect(p.promptTokens).toBeGreaterThan(0);
      expect(p.loadMs).toBeGreaterThan(0);
    }
  });

  it.each([
    ['kernel-fault', /one character repeated|word salad|word order|dictionary/],
    ['loop', /loop|repeat/i],
  ])('fails every prompt of the %s twin with the judge\'s reasons', async (twin, reason) => {
    const run = await runVitestProject('demo', { BENCH_LLAMA_MODEL: `tiny:${twin}` });
    expect(run.status, run.output).not.toBe(0);
    const coherence = [...run.tests].filter(([name]) => name.startsWith('coherence:'));
    expect(coherence).toHaveLength(8);
    expect(coherence.map(([, s]) => s)).toEqual(Array(8).fill('failed'));
    // fixtures/configs/demo.json sets judge.failOnRepetition: the loop twin's fluent sentence loops fail too
    expect(run.failureMessages.filter((m) => /degenerate output|repetitive output \(judge\.failOnRepetition is set\)/.test(m))).toHaveLength(8);
    expect(run.failureMessages.join('\n')).toMatch(reason);
  });
});
