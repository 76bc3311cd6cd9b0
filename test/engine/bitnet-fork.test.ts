import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, inject, it, type TestContext } from 'vitest';
import { makeTinyF32Model, makeTinyModels } from '../../harness/models/make.ts';
import { readGgufMetadataPrefix } from '../../harness/models/gguf/read-metadata.ts';
import type {} from '../setup/build-engine.ts'; // the bitnetFork ProvidedContext
import { runVitestProject } from '../support/run-vitest.ts';

/**
 * The contract with the real bitnet.cpp fork (microsoft/BitNet c82b5e6 + llama.cpp fork 406a5036, built by the
 * unit project's global setup from ../shared): the x86 project, run as a user runs it through the prebuilt-folder
 * route — BENCH_ENGINE_DIR + BENCH_MODEL_PATH, no config file — in process and server mode, on the tiny coherent
 * model and its kernel-fault twin, as TQ2_0 and as I2_S made by the fork's own llama-quantize.
 */
const fork = inject('bitnetFork');

/** Outside CI a checkout without ../shared skips with the reason; in CI the fork must be there and build. */
function forkBuild(ctx: TestContext) {
  if ('build' in fork) return fork.build;
  if ('error' in fork) throw new Error(`the bitnet.cpp fork did not build in the global setup: ${fork.error}`);
  if (process.env.CI) throw new Error(`CI must run the real-fork contract test, but ${fork.missing}`);
  return ctx.skip(fork.missing);
}

const FORMATS = ['TQ2_0', 'I2_S'] as const;
type Format = (typeof FORMATS)[number];
const models: Record<Format, { coherent: string; twin: string }> = { TQ2_0: { coherent: '', twin: '' }, I2_S: { coherent: '', twin: '' } };

beforeAll(async () => {
  if (!('build' in fork)) return;
  const dir = mkdtempSync(join(tmpdir(), 'bitnet-fork-models-'));
  const tq2 = await makeTinyModels(dir);
  models.TQ2_0 = { coherent: tq2.coherent, twin: tq2.kernelFault };
  const quantize = (variant: 'coherent' | 'kernel-fault') => {
    const out = join(dir, `tiny-bitnet-${variant}-i2_s.gguf`);
    return makeTinyF32Model(dir, variant).then((f32) => {
      // nthread 1, as setup_env.py runs it: with more threads this fork's I2_S quantizer writes each row chunk's
      // data and scale at the wrong offsets, and the model no longer computes what the F32 file holds.
      execFileSync(join(fork.build.binDir, 'llama-quantize'), [f32, out, 'I2_S', '1'], { stdio: 'pipe' });
      return out;
    });
  };
  models.I2_S = { coherent: await quantize('coherent'), twin: await quantize('kernel-fault') };
});

const RUN_TIMEOUT_MS = 240_000;
const runX86 = (modelPath: string, mode: 'process' | 'server', extra: Record<string, string> = {}) =>
  runVitestProject('x86', {
    BENCH_CONFIG: '',
    BENCH_ENGINE_DIR: 'build' in fork ? fork.build.dir : '',
    BENCH_MODEL_PATH: modelPath,
    BENCH_LLAMA_MODE: mode,
    // the tiny models know the demo prompts; one thread, so a loaded CI machine does not oversubscribe
    BENCH_PROMPTS: 'fixtures/prompts/demo.json',
    BENCH_THREADS: '1',
    BENCH_N_PREDICT: '64',
    BENCH_REPETITIONS: '1',
    BENCH_BASELINES: '',
    ...extra,
  });

const reportOf = (reportsDir: string, file: string) => readFileSync(join(reportsDir, 'latest', file), 'utf8');

describe('the x86 project against the real bitnet.cpp fork (prebuilt-folder route, no config file)', () => {
  it('the I2_S models really are I2_S, written by the fork\'s llama-quantize from the project\'s F32 models', (ctx) => {
    forkBuild(ctx);
    for (const path of [models.I2_S.coherent, models.I2_S.twin]) {
      const meta = readGgufMetadataPrefix(readFileSync(path)).values;
      expect(meta.get('general.file_type')).toBe(40); // LLAMA_FTYPE_MOSTLY_I2_S
      expect(meta.get('general.quantization_version')).toBe(2); // GGML_QNT_VERSION, which llama-quantize writes
    }
  });

  describe.each(['process', 'server'] as const)('%s mode', (mode) => {
    it.for(FORMATS)('%s: the coherent model passes every prompt (exit 0), reported as what it is', { timeout: RUN_TIMEOUT_MS }, async (format, ctx) => {
      const build = forkBuild(ctx);
      const run = await runX86(models[format].coherent, mode);
      expect(run.status, run.output).toBe(0);
      const coherence = [...run.tests].filter(([name]) => name.startsWith('coherence:'));
      expect(coherence).toHaveLength(8);
      expect(coherence.every(([, status]) => status === 'passed'), run.output).toBe(true);
      const metrics = JSON.parse(reportOf(run.reportsDir, 'bitnet_coherent_metrics.json'));
      expect(metrics.environment).toMatchObject({
        engine: 'bitnet.cpp',
        engineVersion: 'version: 3947 (406a5036)',
        engineCommit: 'c82b5e6',
        modelName: 'tiny-bitnet-coherent', // the GGUF's general.name, not a hard-coded BitNet name
        modelFile: models[format].coherent,
        overrideKv: ['tokenizer.ggml.pre=str:llama-bpe'],
        threads: 1,
      });
      // the folder is not the pin (01eb415 ↔ fork 1f86f058): said loudly, in the console and every report
      const warning = `${build.dir} is bitnet.cpp c82b5e6 (llama.cpp fork 406a5036), not the pinned 01eb415 (fork 1f86f058)`;
      expect(metrics.environment.warnings.join('\n')).toContain(warning);
      expect(run.output).toContain(`WARNING engine commit: ${warning}`);
      const text = reportOf(run.reportsDir, 'bitnet_coherent_results.txt');
      expect(text).toContain(`WARNING: engine commit: ${warning}`);
      // the exact command line that ran, --override-kv included (server mode: -n and --temp travel with each request)
      const command = text.match(/^Command: +(.*)$/m)?.[1] ?? '';
      expect(command).toMatch(mode === 'server' ? /llama-server .*-t 1\b/ : /llama-cli .*-t 1\b/);
      expect(command).toContain('--override-kv tokenizer.ggml.pre=str:llama-bpe');
      expect(command).toMatch(mode === 'server' ? /n_predict 64, temperature 0/ : /-n 64\b.*--temp 0\b|--temp 0\b.*-n 64\b/);
      expect(reportOf(run.reportsDir, 'summary.md')).toContain('WARNING: engine commit:');
      for (const p of metrics.prompts) {
        expect(p.generatedTokens, p.id).toBeGreaterThan(10);
        expect(p.tokensPerSecond, p.id).toBeGreaterThan(0);
      }
      expect(JSON.parse(reportOf(run.reportsDir, 'run.json')).engineMode).toBe(mode);
      if (mode === 'server') expect(run.output).toMatch(/llama-server listening on 127\.0\.0\.1:([1-9]\d*) of local/);
    });

    it.for(FORMATS)('%s: the kernel-fault twin fails every prompt with the judge\'s reasons (exit 1)', { timeout: RUN_TIMEOUT_MS }, async (format, ctx) => {
      forkBuild(ctx);
      const run = await runX86(models[format].twin, mode);
      expect(run.status, run.output).toBe(1);
      const coherence = [...run.tests].filter(([name]) => name.startsWith('coherence:'));
      expect(coherence.map(([, s]) => s)).toEqual(Array(8).fill('failed'));
      expect(run.failureMessages.filter((m) => m.includes('degenerate output'))).toHaveLength(8);
      expect(run.failureMessages.join('\n')).toMatch(/one character repeated/);
      expect(run.output).toMatch(/Gate: REGRESSION \(exit 1\)/);
      expect(JSON.parse(reportOf(run.reportsDir, 'bitnet_coherent_metrics.json')).environment.modelName).toBe('tiny-bitnet-kernel-fault');
    });
  });

  it('refuses the folder (exit 3) when engine.commit is set explicitly to another commit than the folder is', async (ctx) => {
    const build = forkBuild(ctx);
    const config = join(mkdtempSync(join(tmpdir(), 'bitnet-fork-config-')), 'bench.config.json');
    writeFileSync(config, JSON.stringify({ engine: { commit: '01eb415' } }));
    const run = await runX86(models.TQ2_0.coherent, 'process', { BENCH_CONFIG: config });
    expect(run.status, run.output).toBe(3);
    expect(run.output).toContain(`check engine commit failed: ${build.dir} is bitnet.cpp c82b5e6 (llama.cpp fork 406a5036), not the configured engine.commit 01eb415 (fork 1f86f058)`);
  }, RUN_TIMEOUT_MS);
});
