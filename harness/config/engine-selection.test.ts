import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './load.ts';

const repoRoot = join(import.meta.dirname, '../..');

describe('engine selection without a config file', () => {
  it('BENCH_ENGINE_DIR + BENCH_MODEL_PATH alone select bitnet.cpp with its defaults (the README\'s offline hint)', () => {
    const { config, source } = loadConfig({ env: { BENCH_ENGINE_DIR: '/opt/BitNet', BENCH_MODEL_PATH: '/models/m.gguf' }, cwd: repoRoot });
    expect(source).toBe('defaults');
    expect(config.engine).toMatchObject({ kind: 'bitnet.cpp', dir: '/opt/BitNet', modelPath: '/models/m.gguf', commit: '01eb415', commitFromConfig: false, mode: 'process' });
  });

  it('a file\'s engine section without a kind is bitnet.cpp\'s too, and says whether the commit was chosen', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'bench-engine-')), 'bench.config.json');
    writeFileSync(file, JSON.stringify({ engine: { commit: 'c82b5e6', mode: 'server' } }));
    expect(loadConfig({ file, env: {}, cwd: repoRoot }).config.engine).toMatchObject({ kind: 'bitnet.cpp', commit: 'c82b5e6', commitFromConfig: true, mode: 'server' });
  });

  it('an engine option of the other engine is still named as the error', () => {
    expect(() => loadConfig({ env: { BENCH_ENGINE: 'llama.cpp', BENCH_LLAMA_MODEL: 'tiny:coherent', BENCH_ENGINE_DIR: '/opt/BitNet' }, cwd: repoRoot })).toThrow(/engine: Unrecognized key: "dir"/);
  });
});
