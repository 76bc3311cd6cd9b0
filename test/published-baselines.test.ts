import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadBaseline } from '../harness/baselines/io.ts';
import { rejudgeBaseline } from '../harness/baselines/rejudge.ts';
import type { Baseline } from '../harness/baselines/schema.ts';
import { verbatimText } from '../harness/compare/agreement.ts';
import { loadPromptSet } from '../harness/config/load.ts';
import { judge } from '../harness/judge/index.ts';
import { buildReportContext, renderConsoleSummary, reportWriters } from '../harness/reports/index.ts';
import { readRunFolder } from '../harness/results/run-folder.ts';
import type { RunRecord } from '../harness/results/types.ts';
import { root, runCli } from './support/cli.ts';
import { record, writeRunFolder, x86Machine } from './support/run-fixtures.ts';
import { runVitestProject, type VitestChildResult } from './support/run-vitest.ts';

/**
 * The published runs that ship as default baselines, replayed as runs of this harness: the x86 texts (outputs equal
 * to the greedy reference must agree with it word for word, and the ARM baseline then reads as an ARM kernel fault)
 * and the Apple M1 Pro word salad (diverged from the x86 reference at word 1, with the judge's reasons). The verdicts
 * are the real judge's on the published texts; nothing about them is assumed here.
 */
const seed = loadPromptSet(join(root, 'fixtures/prompts/seed.json'));
const x86Ref = loadBaseline(join(root, 'fixtures/baselines/x86-epyc-75f3-trinity-reference.json'));
const m1 = loadBaseline(join(root, 'fixtures/baselines/arm-m1-pro-trinity-word-salad.json'));
const refName = 'the x86 reference (AMD EPYC 75F3 32-Core)';
/** The four x86 outputs that are plainly coherent prose; relativity is a loop the judges may call repetitive. */

/** A run folder whose outputs are a baseline's published texts (the model's words only), judged by the real judge. */
function runOf(baseline: Baseline, runId: string, machine: RunRecord['machine'], engineCommit: string): RunRecord {
  const rec = record(runId, baseline.prompts.map((p) => ({ id: p.id, prompt: p.prompt, text: verbatimText(p).trimEnd(), rate: p.tokensPerSecond.samples[0] ?? 0.25 })), { machine, environment: { engineCommit, modelFile: '/root/BitNet/models/BitNet-b1.58-2B-4T/ggml-model-i2_s.gguf' } });
  rec.promptSet = seed.name;
  for (const row of rec.rows) {
    const expect = seed.prompts.find((p) => p.id === row.promptId)?.expect;
    Object.assign(row, judge({ text: row.text, prompt: row.prompt, ...(expect ? { expect } : {}) }), { checks: undefined });
  }
  return rec;
}

describe('published baselines', () => {
  it('every shipped baseline is schema-valid, and its verdicts are what the current judge says of its texts', () => {
    for (const name of ['x86-epyc-75f3-trinity-reference', 'arm-m1-pro-trinity-word-salad', 'arm-m1-pro-trinity-before-tokenizer-fix', 'arm-ampere-altra-bitnet-issue-468', 'arm-jetson-orin-bitnet-issue-585']) {
      const b = loadBaseline(join(root, `fixtures/baselines/${name}.json`));
      expect(b.provenance?.source.url, name).toMatch(/^https:\/\/github\.com\//);
      // a judge change makes this fail until `npm run baseline:rejudge -- fixtures/baselines/*.json` is run
      expect(rejudgeBaseline(b, seed).changed, `${name}: run npm run baseline:rejudge`).toEqual([]);
    }
    expect(x86Ref.reference?.engineCommits).toContain('01eb415');
    expect(x86Ref.prompts.find((p) => p.id === 'relativity')?.truncated?.marker).toBe('[repeats...]');
    // every published healthy x86 output passes the judge (coherent, or repetitive for a greedy loop)
    for (const p of x86Ref.prompts) expect(['coherent', 'repetitive'], p.id).toContain(p.verdict);
    expect(m1.prompts.map((p) => p.verdict)).toEqual(['degenerate', 'degenerate']);
  });

  describe('the published x86 texts replayed as a run of this harness', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-published-x86-'));
    const folder = writeRunFolder(dir, runOf(x86Ref, '20260205-120000-x86-trin', { ...x86Machine, cpuModel: 'AMD EPYC 75F3 32-Core' }, '01eb415'));
    const words = { 'capital-of-france': 72, microsoft: 159, 'ai-2025': 175, relativity: 33, 'once-upon-a-time': 175 };
    let replay: VitestChildResult;
    beforeAll(async () => {
      replay = await runVitestProject('x86', { BENCH_RUN_DIR: folder, BENCH_CONFIG: '', BENCH_BASELINES: '' });
    }, 300_000);

    it('npm run gate: full agreement with the reference, and the ARM kernels at fault for the two shared prompts', () => {
      const r = runCli('harness/gate/cli.ts', [folder]);
      // the published healthy x86 outputs pass the gate: every one coherent or repetitive, nothing regressed
      expect(r.status, r.output).toBe(0);
      for (const [id, n] of Object.entries(words)) {
        const cut = id === 'relativity' ? ' it publishes (the author abbreviated the rest as "[repeats...]")' : '';
        expect(r.stdout).toContain(`vs [1] ${id}: agrees with ${refName} for all ${n} words${cut}`);
      }
      expect(r.stdout).toMatch(/^ {2}vs \[2\] capital-of-france, microsoft: the ARM kernels are at fault: coherent here, word salad on Apple M1 Pro$/m);
      expect(r.stdout).toMatch(/^capital-of-france +coherent +38\.03 +fine · agrees, 72\/72 words · 38\.03 tok\/s there +the ARM kernels are at fault$/m);
      for (const id of Object.keys(words)) expect(r.stdout).not.toMatch(new RegExp(`✗ ${id}:`));
    });

    it('every report carries the agreement and the diagnosis: console, summary.md, report.html, results text, CSV, comparison.json', () => {
      const ctx = buildReportContext(readRunFolder(folder), [x86Ref, m1]);
      const line = `capital-of-france: agrees with ${refName} for all 72 words`;
      expect(renderConsoleSummary(ctx)).toContain(`vs [1] ${line}`);
      expect(reportWriters['summary.md']!(ctx)).toContain(`- vs [1] ${line}`);
      expect(reportWriters['report.html']!(ctx)).toContain(`vs [1] ${line}`);
      expect(reportWriters['bitnet_coherent_results.txt']!(ctx)).toContain(`Versus:  [1] fine: coherent here and on AMD EPYC 75F3 32-Core; agrees with ${refName} for all 72 words\nVersus:  [2] the ARM kernels are at fault: coherent here, word salad on Apple M1 Pro`);
      const csv = reportWriters['results.csv']!(ctx).split('\n');
      expect(csv[0]).toContain('reference_words_agreed,reference_words');
      expect(csv[1]).toContain(',72,72,');
      expect(JSON.parse(reportWriters['comparison.json']!(ctx)).comparisons[0].prompts[0].agreement).toEqual({ words: 72, referenceWords: 72, divergence: null });
    });

    it('BENCH_RUN_DIR replay through --project=x86: every agreement test passes and the summary carries the figures', () => {
      expect(replay.status, replay.output).toBe(0);
      for (const id of Object.keys(words)) {
        const prompt = x86Ref.prompts.find((p) => p.id === id)!.prompt;
        expect(replay.tests.get(`vs ${x86Ref.label} (platform) ${prompt}: agreement with ${refName}`), id).toBe('passed');
      }
      for (const id of Object.keys(words)) expect(replay.tests.get(`coherence: bitnet.cpp on local (x86_64) ${x86Ref.prompts.find((p) => p.id === id)!.prompt}`), id).toBe('passed');
      expect(replay.tests.get(`vs ${m1.label} (platform) The capital of France is: diagnosis against ${m1.label}`)).toBe('passed');
      expect(replay.output).toContain(`vs [1] capital-of-france: agrees with ${refName} for all 72 words`);
      expect(replay.output).toContain('vs [2] capital-of-france, microsoft: the ARM kernels are at fault: coherent here, word salad on Apple M1 Pro');
    });
  });

  describe('the published Apple M1 Pro word salad replayed as a run of this harness', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-published-m1-'));
    const armMachine = { hostname: 'mac', os: 'Darwin 23.6.0', arch: 'arm64', cpuModel: 'Apple M1 Pro', cores: 8, flags: { avx2: false, avx512: false, neon: true }, memoryBytes: 16 * 2 ** 30 };
    const folder = writeRunFolder(dir, runOf(m1, '20260205-070000-x86-m1pr', armMachine, '8fd3412'));
    let replay: VitestChildResult;
    beforeAll(async () => {
      replay = await runVitestProject('x86', { BENCH_RUN_DIR: folder, BENCH_CONFIG: '', BENCH_BASELINES: '' });
    }, 300_000);

    it('fails both prompts: diverged from the x86 reference at word 1, with the judge reasons', () => {
      expect(replay.status, replay.output).toBe(1);
      for (const p of m1.prompts) {
        expect(replay.tests.get(`vs ${x86Ref.label} (platform) ${p.prompt}: agreement with ${refName}`), p.id).toBe('failed');
        expect(replay.tests.get(`coherence: bitnet.cpp on local (arm64) ${p.prompt}`), p.id).toBe('failed');
      }
      const messages = replay.failureMessages.filter((m) => m.includes('diverged from'));
      expect(messages).toHaveLength(2);
      expect(messages[0]).toMatch(new RegExp(`diverged from ${refName.replace(/[()]/g, '\\$&')} at word 1: now "Scotia delivered qualified expressed ding realistic…" \\| reference "Paris\\. Paris is a city that…"`));
      expect(messages[0]).toContain('the ARM kernels are at fault: word salad here, coherent on AMD EPYC 75F3 32-Core');
      expect(messages[0]).toMatch(/judge: degenerate \(score 0\.00\)\n {2}- word-boundaries: token-boundary fault/);
      expect(messages[1]).toMatch(/diverged from .* at word 1: now "doubly slightlyilla performing diaddon failed equotec…" \| reference "technology company headquartered in Redmond, Washington\.…"/);
      expect(messages[1]).toMatch(/expectation: does not answer the prompt/);
    });

    it('the console summary names the divergence at word 1 for both prompts', () => {
      expect(replay.output).toContain(`vs [1] capital-of-france: diverged from ${refName} at word 1`);
      expect(replay.output).toContain(`vs [1] microsoft: diverged from ${refName} at word 1`);
      expect(replay.output).toMatch(/vs \[1\] capital-of-france, microsoft: the ARM kernels are at fault: word salad here, coherent on AMD EPYC 75F3 32-Core/);
    });
  });
});
