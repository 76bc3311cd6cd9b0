import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.ts';
import { loadConfig, loadConfigFromFlag, requireTargetCredentials } from './load.ts';

const repoRoot = join(import.meta.dirname, '../..');
const tempConfig = (body: unknown) => {
  const file = join(mkdtempSync(join(tmpdir(), 'bench-config-')), 'bench.config.json');
  writeFileSync(file, typeof body === 'string' ? body : JSON.stringify(body));
  return file;
};

describe('loadConfig', () => {
  it('defaults reproduce the seed exactly', () => {
    const { config, prompts } = loadConfig({ env: {}, cwd: repoRoot });
    expect(config.generation).toMatchObject({ nPredict: 500, batchSize: 1, temperature: 0, overrideKv: ['tokenizer.ggml.pre=str:llama-bpe'] });
    expect(config.generation.threads).toBeUndefined(); // min(4, physical cores), chosen once the target is described
    expect(config.engine).toMatchObject({ kind: 'bitnet.cpp', commit: '01eb415', modelFile: 'ggml-model-i2_s.gguf' });
    expect(config.target.kind).toBe('local');
    expect(prompts.prompts.map((p) => p.text)).toEqual([
      'The capital of France is', 'Microsoft Corporation is an American multinational', 'In the year 2025, artificial intelligence',
      'The theory of relativity states that', 'Once upon a time in a small village', 'The three most important programming languages are',
      'Water is composed of hydrogen and oxygen', 'The human brain contains approximately', 'Bitcoin was created by Satoshi Nakamoto in',
      'The Fibonacci sequence starts with 0, 1, and each',
    ]);
  });

  it('names the field, the env variable that set it, and what to write', () => {
    const error = (() => { try { loadConfig({ env: { BENCH_THREADS: 'four' }, cwd: repoRoot }); } catch (e) { return e as ConfigError; } })();
    expect(error).toBeInstanceOf(ConfigError);
    expect(error!.message).toMatch(/generation\.threads \(set by BENCH_THREADS\): .*expected number/);
    expect(error!.hint).toMatch(/npm run schema/);
  });

  it('rejects a misspelt key instead of ignoring it', () => {
    const file = tempConfig({ generation: { nPredcit: 10 } });
    expect(() => loadConfig({ file, env: {}, cwd: repoRoot })).toThrow(/generation: .*remove or correct: nPredcit/);
  });

  it('reports broken JSON with its file', () => {
    const file = tempConfig('{ "generation": { "nPredict": 10, } }');
    expect(() => loadConfig({ file, env: {}, cwd: repoRoot })).toThrow(/not valid JSON/);
  });

  it('switching the target kind by env replaces the section', () => {
    const file = tempConfig({ target: { kind: 'local', workDir: '/tmp/w' } });
    const { config } = loadConfig({ file, env: { BENCH_TARGET: 'ssh', BENCH_SSH_HOST: '127.0.0.1', BENCH_SSH_PORT: '2222' }, cwd: repoRoot });
    expect(config.target).toMatchObject({ kind: 'ssh', host: '127.0.0.1', port: 2222, username: 'root' });
  });

  it('an ssh target without a host says so', () => {
    expect(() => loadConfig({ env: { BENCH_TARGET: 'ssh' }, cwd: repoRoot })).toThrow(/target\.host: .* — set it in the config file or with BENCH_SSH_HOST/);
  });

  it('a prompt set with duplicate ids or a missing file fails before anything runs', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-prompts-'));
    writeFileSync(join(dir, 'p.json'), JSON.stringify({ name: 'x', prompts: [{ id: 'a', text: 'x' }, { id: 'a', text: 'y' }] }));
    expect(() => loadConfig({ env: { BENCH_PROMPTS: join(dir, 'p.json') }, cwd: repoRoot })).toThrow(/unique/);
    expect(() => loadConfig({ env: { BENCH_PROMPTS: join(dir, 'none.json') }, cwd: repoRoot })).toThrow(/does not exist/);
  });
});

describe('prompt files', () => {
  it('a duplicate prompt id is named, with both places it appears', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-prompts-'));
    writeFileSync(join(dir, 'p.json'), JSON.stringify({ name: 'x', prompts: [{ id: 'a', text: 'x' }, { id: 'water', text: 'y' }, { id: 'b', text: 'z' }, { id: 'water', text: 'w' }] }));
    expect(() => loadConfig({ env: { BENCH_PROMPTS: join(dir, 'p.json') }, cwd: repoRoot })).toThrow(/prompts\.3\.id: duplicate prompt id "water" \(also prompts\[1\]\)/);
  });

  it('a prompt file that is not UTF-8 is refused, naming the line and byte, instead of being silently changed to U+FFFD', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-prompts-'));
    const latin1 = Buffer.concat([Buffer.from('{"name": "x", "prompts": [\n  {"id": "cafe", "text": "Le caf'), Buffer.from([0xe9]), Buffer.from(' est"}\n]}\n')]);
    writeFileSync(join(dir, 'p.json'), latin1);
    expect(() => loadConfig({ env: { BENCH_PROMPTS: join(dir, 'p.json') }, cwd: repoRoot })).toThrow(/prompt set .*p\.json is not valid UTF-8: byte 0xe9 at offset 59 \(line 2\)/);
    // valid multi-byte text, a literal U+FFFD included, passes as written
    writeFileSync(join(dir, 'ok.json'), JSON.stringify({ name: 'x', prompts: [{ id: 'cafe', text: 'Le café \uFFFD 東京' }] }));
    expect(loadConfig({ env: { BENCH_PROMPTS: join(dir, 'ok.json') }, cwd: repoRoot }).prompts.prompts[0]!.text).toBe('Le café \uFFFD 東京');
  });
});

describe('baselines in the config', () => {
  it('a list in the file, relative to it; BENCH_BASELINES replaces it, comma-separated; tolerances default', async () => {
    const { baselineFilesOf } = await import('../baselines/io.ts');
    const file = tempConfig({ baselines: ['m1.json'], compare: { relativeTolerance: 0.05 } });
    writeFileSync(join(file, '..', 'm1.json'), '{}');
    const fromFile = loadConfig({ file, env: {}, cwd: repoRoot });
    expect(baselineFilesOf(fromFile, repoRoot)).toEqual([join(file, '..', 'm1.json')]);
    expect(fromFile.config.compare).toEqual({ relativeTolerance: 0.05, z: 1.96 });
    const fromEnv = loadConfig({ file, env: { BENCH_BASELINES: 'fixtures/baselines/a.json, b.json' }, cwd: repoRoot });
    expect(baselineFilesOf(fromEnv, repoRoot)).toEqual([join(repoRoot, 'fixtures/baselines/a.json'), join(repoRoot, 'b.json')]);
    // no config at all: the published baselines the harness ships, found from any working directory
    const defaults = loadConfig({ env: {}, cwd: repoRoot });
    expect(defaults.config.baselines).toEqual(['fixtures/baselines/x86-epyc-75f3-trinity-reference.json', 'fixtures/baselines/arm-m1-pro-trinity-word-salad.json']);
    expect(baselineFilesOf({ ...defaults, baseDir: tmpdir() }, tmpdir())).toEqual(defaults.config.baselines.map((f) => join(repoRoot, f)));
  });
});

describe('loadConfig with a RunPod target', () => {
  it('fails before anything is rented when RUNPOD_API_KEY is missing', () => {
    const env = { BENCH_TARGET: 'runpod' };
    const { config } = loadConfig({ env, cwd: repoRoot }); // reading the config needs no key (the gate, a merge) …
    expect(() => requireTargetCredentials(config, env)).toThrow(/RUNPOD_API_KEY is not set/); // … renting a pod does
  });

  it('checks RUNPOD_* values up front, without echoing the key', () => {
    const key = 'rpa_SECRETSECRETSECRET';
    const env = { BENCH_TARGET: 'runpod', RUNPOD_API_KEY: key, RUNPOD_BUDGET_S: 'soon' };
    const error = (() => { try { requireTargetCredentials(loadConfig({ env, cwd: repoRoot }).config, env); } catch (e) { return e as Error; } })();
    expect(error?.message).toMatch(/RUNPOD_BUDGET_S must be a number/);
    expect(JSON.stringify(error) + String(error?.message)).not.toContain(key);
  });
});

describe('loadConfigFromFlag', () => {
  it('an explicit --config wins over BENCH_CONFIG', () => {
    const file = tempConfig({ generation: { nPredict: 7 } });
    const saved = process.env.BENCH_CONFIG;
    process.env.BENCH_CONFIG = tempConfig({ generation: { nPredict: 9 } });
    try {
      expect(loadConfigFromFlag(file).config.generation.nPredict).toBe(7);
      expect(loadConfigFromFlag(undefined).config.generation.nPredict).toBe(9);
    } finally {
      if (saved === undefined) delete process.env.BENCH_CONFIG;
      else process.env.BENCH_CONFIG = saved;
    }
  });
});
