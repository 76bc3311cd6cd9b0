import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { benchConfigSchema } from '../../harness/config/schema.ts';
import { BitnetCppEngine } from '../../harness/engine/bitnet-cpp/index.ts';
import { HarnessError } from '../../harness/errors.ts';
import { silentLogger } from '../../harness/log.ts';
import { PhaseRecorder } from '../../harness/run/phases.ts';
import { LocalTarget } from '../../harness/targets/local.ts';

/**
 * bitnet.cpp's setup, run for real against a local git repository laid out like microsoft/BitNet (the real one
 * cannot be cloned offline): pinned checkout with submodules, the clang fix, pip install, the model size check,
 * and idempotence. The steps after the model (setup_env.py's build) need the real repository and weights.
 */
const git = (cwd: string, ...args: string[]) => execFileSync('git', ['-c', 'user.email=t@t', '-c', 'user.name=t', ...args], { cwd, encoding: 'utf8' }).trim();

let upstream: string;
let pinned: string;
beforeAll(() => {
  upstream = mkdtempSync(join(tmpdir(), 'bitnet-upstream-'));
  git(upstream, 'init', '-q', '-b', 'main');
  mkdirSync(join(upstream, 'src'));
  const mad = ['// ggml-bitnet-mad.cpp', ...Array.from({ length: 809 }, (_, i) => `// line ${i + 2}`), '    int8_t * y_col = y + col * by;', '}'].join('\n');
  writeFileSync(join(upstream, 'src/ggml-bitnet-mad.cpp'), mad);
  writeFileSync(join(upstream, 'requirements.txt'), '# the real file lists torch, gguf, huggingface_hub …\n');
  git(upstream, 'add', '-A');
  git(upstream, 'commit', '-qm', 'pinned');
  pinned = git(upstream, 'rev-parse', '--short=7', 'HEAD');
  writeFileSync(join(upstream, 'requirements.txt'), '# a later upstream commit\n');
  git(upstream, 'commit', '-qam', 'later HEAD (wrong FFN activation upstream)');
});

function setup(overrides: Record<string, unknown> = {}) {
  const work = mkdtempSync(join(tmpdir(), 'bitnet-work-'));
  const modelPath = join(work, 'ggml-model-i2_s.gguf');
  writeFileSync(modelPath, 'not a 1.19 GB model');
  const cfg = benchConfigSchema.parse({ engine: { kind: 'bitnet.cpp', repo: upstream, commit: pinned, modelPath, ...overrides } }).engine;
  const target = new LocalTarget(work);
  const phases = new PhaseRecorder(silentLogger);
  const prepare = () => new BitnetCppEngine(cfg as Extract<typeof cfg, { kind: 'bitnet.cpp' }>).prepare({ target, log: silentLogger, phases });
  return { work, phases, prepare };
}

describe('bitnet.cpp engine setup', () => {
  it('checks out the pinned commit, applies the clang fix, installs requirements, then refuses a model of the wrong size', async () => {
    const { work, phases, prepare } = setup();
    const error = await prepare().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HarnessError);
    expect((error as HarnessError).step).toBe('verify model size');
    expect((error as HarnessError).message).toMatch(/has 19 bytes, expected 1187801280/);
    const dir = join(work, 'BitNet');
    expect(git(dir, 'rev-parse', '--short=7', 'HEAD')).toBe(pinned);
    expect(readFileSync(join(dir, 'src/ggml-bitnet-mad.cpp'), 'utf8').split('\n')[810]).toBe('    const int8_t * y_col = y + col * by;');
    expect(phases.steps.map((s) => [s.step, s.status])).toEqual([
      ['check CPU', 'ok'], ['check git', 'ok'], [`clone ${upstream}@${pinned}`, 'ok'], ['apply clang fix to ggml-bitnet-mad.cpp', 'ok'],
      ['check python3', 'ok'], ['pip install -r requirements.txt', 'ok'], ['download microsoft/BitNet-b1.58-2B-4T-gguf', 'skipped'], ['verify model size', 'failed'],
    ]);

    // Second run: everything already done is skipped.
    phases.steps.length = 0;
    await prepare().catch(() => undefined);
    expect(phases.steps.filter((s) => s.status === 'skipped').map((s) => s.step)).toEqual([
      `clone ${upstream}@${pinned}`, 'apply clang fix to ggml-bitnet-mad.cpp', 'pip install -r requirements.txt', 'download microsoft/BitNet-b1.58-2B-4T-gguf',
    ]);
  });

  it('refuses an existing checkout at another commit instead of silently using it', async () => {
    const { work, prepare } = setup();
    git(work, 'clone', '-q', upstream, 'BitNet');
    await expect(prepare()).rejects.toThrow(/checked out at [0-9a-f]+, not the pinned/);
  });

  it('refuses a CPU without AVX2 unless told to warn', async () => {
    const { checkCpu } = await import('../../harness/engine/bitnet-cpp/setup.ts');
    const cfg = benchConfigSchema.parse({}).engine as Parameters<typeof checkCpu>[1];
    const m1 = { hostname: 'mac', os: 'Darwin', arch: 'arm64', cpuModel: 'Apple M1', cores: 8, memoryBytes: 8 << 30, flags: { avx2: false, avx512: false, neon: true } };
    expect(() => checkCpu(m1, cfg, () => {})).toThrow(/arm64 is not x86_64 .*NEON kernels produce word salad/);
    const warnings: string[] = [];
    checkCpu(m1, { ...cfg, cpuCheck: 'warn' }, (w) => warnings.push(w));
    expect(warnings[0]).toMatch(/running anyway/);
    const oldXeon = { ...m1, os: 'Linux', arch: 'x86_64', cpuModel: 'Intel Xeon E5-2670', flags: { avx2: false, avx512: false, neon: false } };
    expect(() => checkCpu(oldXeon, cfg, () => {})).toThrow(/no AVX2 .*#547/);
  });
});
