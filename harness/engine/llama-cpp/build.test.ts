import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HarnessError } from '../../errors.ts';
import { ensureLlamaCppBuild, type EnsureLlamaCppBuildOptions, type LlamaCppBuild } from './build.ts';
import { checkBackendsLoad } from './verify-tools.ts';

// Builds llama-completion only (≈10 s on 2 cores) into a throwaway cache; llama-server has its own test file.
const cacheDir = mkdtempSync(join(tmpdir(), 'llama-build-test-'));
const completionOnly: EnsureLlamaCppBuildOptions = { cacheDir, tools: [] };
let first: LlamaCppBuild;

function run(executable: string, args: string[]): { status: number | null; output: string } {
  const result = spawnSync(executable, args, { encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

beforeAll(async () => {
  first = await ensureLlamaCppBuild(completionOnly);
}, 300_000);

afterAll(() => rmSync(cacheDir, { recursive: true, force: true }));

describe('ensureLlamaCppBuild', () => {
  it('builds a llama-completion that runs standalone and names the source commit', () => {
    expect(first.fromCache).toBe(false);
    expect(first.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(first.binDir).toBe(join(cacheDir, 'llama.cpp', first.commit, 'bin'));
    const completion = first.tools['llama-completion']!;
    const version = run(completion, ['--version']);
    expect(version.status).toBe(0);
    expect(version.output).toContain(`(build 1, commit ${first.commit.slice(0, 7)})`);
    expect(first.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(version.output).toContain(`version: ${first.version} `);
    const help = run(completion, ['--help']);
    expect(help.status).toBe(0);
    expect(help.output).toContain('--temp');
    expect(readdirSync(first.binDir).filter((f) => f.startsWith('libggml-cpu-')).length).toBeGreaterThan(0);
  });

  it('applies the log-flush patch to the source it compiles', () => {
    const source = readFileSync(join(cacheDir, 'llama.cpp', first.commit, 'src/tools/completion/main.cpp'), 'utf8');
    expect(source).toContain('common_log_flush(common_log_main());');
  });

  it('reuses the cached build on the next call', async () => {
    const again = await ensureLlamaCppBuild(completionOnly);
    expect(again.fromCache).toBe(true);
    expect(again.buildSeconds).toBeLessThan(2);
    expect(again.tools).toEqual(first.tools);
    expect(again.toolBuildSeconds).toEqual(first.toolBuildSeconds);
  });

  it('rebuilds when the stamp is missing (an interrupted build)', async () => {
    rmSync(join(cacheDir, 'llama.cpp', first.commit, 'build.json'));
    const rebuilt = await ensureLlamaCppBuild(completionOnly);
    expect(rebuilt.fromCache).toBe(false);
    expect(run(rebuilt.tools['llama-completion']!, ['--version']).status).toBe(0);
  }, 300_000);

  it('rebuilds when an executable no longer matches the stamp', async () => {
    truncateSync(first.tools['llama-completion']!, 100);
    const rebuilt = await ensureLlamaCppBuild(completionOnly);
    expect(rebuilt.fromCache).toBe(false);
    expect(run(rebuilt.tools['llama-completion']!, ['--version']).status).toBe(0);
  }, 300_000);

  it('rebuilds on force', async () => {
    const forced = await ensureLlamaCppBuild({ ...completionOnly, force: true });
    expect(forced.fromCache).toBe(false);
  }, 300_000);
});

describe('backend check', () => {
  it('passes for the build and names the missing CPU backends when they are not beside the executable', async () => {
    await expect(checkBackendsLoad(first.tools['llama-completion']!, first.binDir)).resolves.toBeUndefined();
    const bare = mkdtempSync(join(tmpdir(), 'llama-no-backends-'));
    try {
      for (const file of readdirSync(first.binDir).filter((f) => f === 'llama-completion' || (f.endsWith('.so') && !f.startsWith('libggml-cpu-')))) {
        copyFileSync(join(first.binDir, file), join(bare, file));
      }
      const error = await checkBackendsLoad(join(bare, 'llama-completion'), bare).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(HarnessError);
      expect((error as HarnessError).message).toContain('no backends are loaded');
      expect((error as HarnessError).message).toContain('libggml-cpu-*.so');
    } finally {
      rmSync(bare, { recursive: true, force: true });
    }
  });
});

describe('missing inputs', () => {
  it('says how to get the source bundle back when it is missing', async () => {
    const error = await ensureLlamaCppBuild({ cacheDir, sources: { bundlePath: join(cacheDir, 'nope', 'gitRelease.bundle') } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HarnessError);
    expect((error as HarnessError).message).toContain('source bundle not found');
    expect((error as HarnessError).hint).toContain('npm ci');
  });

  it('says which compiler is missing', async () => {
    const fresh = mkdtempSync(join(tmpdir(), 'llama-no-cxx-'));
    try {
      const error = await ensureLlamaCppBuild({ cacheDir: fresh, tools: [], compiler: join(fresh, 'no-such-g++') }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(HarnessError);
      expect((error as HarnessError).describe()).toMatch(/C\+\+ compiler '.*no-such-g\+\+' not found[\s\S]*apt-get install g\+\+/);
    } finally {
      rmSync(fresh, { recursive: true, force: true });
    }
  });

  it('rejects a file that is not a git bundle', async () => {
    const bogus = join(cacheDir, 'bogus.bundle');
    mkdirSync(cacheDir, { recursive: true });
    copyFileSync(first.tools['llama-completion']!, bogus);
    const error = await ensureLlamaCppBuild({ cacheDir, sources: { bundlePath: bogus } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HarnessError);
    expect((error as HarnessError).message).toContain('is not a readable git bundle');
    expect(existsSync(bogus)).toBe(true);
  });
});
