import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { cacheDir } from '../../harness/cache.ts';
import { withBuildLock } from '../../harness/engine/llama-cpp/build-lock.ts';
import { runProcess, tail } from '../../harness/engine/llama-cpp/run-process.ts';
import type { Logger } from '../../harness/log.ts';

/**
 * The real bitnet.cpp fork (microsoft/BitNet c82b5e6 + Eddie-Wang1120/llama.cpp 406a5036), built from the source
 * tarball beside the project (../shared/engines, never committed) the way its README and setup_env.py do. Built
 * once into the shared cache, keyed by the tarball's SHA-256, behind the same lock as the llama.cpp build.
 * BENCH_SHARED_DIR points elsewhere (e.g. a git worktree whose ../shared is not the shared folder).
 */
export const FORK_TARBALL = join(process.env.BENCH_SHARED_DIR || resolve(import.meta.dirname, '../../../shared'), 'engines/bitnet.cpp-c82b5e6-src.tar.xz');

/** What the contract test needs: a folder laid out like a built microsoft/BitNet checkout (build/bin/llama-cli …). */
export interface ForkBuild {
  /** The unpacked bitnet.cpp/ folder: what engine.dir (BENCH_ENGINE_DIR) points at. */
  dir: string;
  binDir: string;
  tarballSha256: string;
  /** Seconds per phase of the build that made this folder (from its stamp when it came from the cache). */
  phaseSeconds: Record<string, number>;
  fromCache: boolean;
}

/** Bump when the commands below change, so cached builds made by older commands are redone. */
const RECIPE_VERSION = 1;
export const FORK_TOOLS = ['llama-cli', 'llama-quantize', 'llama-server'] as const;

interface ForkStamp {
  recipeVersion: number;
  tarballSha256: string;
  phaseSeconds: Record<string, number>;
  builtAt: string;
}

export async function ensureBitnetForkBuild(options: { tarball?: string; cache?: string; log: Logger; jobs?: number }): Promise<ForkBuild> {
  const tarball = options.tarball ?? FORK_TARBALL;
  const sha = await sha256OfFile(tarball);
  const root = join(options.cache ?? cacheDir(), `bitnet-fork-${sha.slice(0, 16)}`);
  const dir = join(root, 'bitnet.cpp');
  const binDir = join(dir, 'build', 'bin');
  const stampPath = join(root, 'build.json');
  const result = (stamp: ForkStamp, fromCache: boolean): ForkBuild => ({ dir, binDir, tarballSha256: sha, phaseSeconds: stamp.phaseSeconds, fromCache });

  const cached = await readStamp(stampPath, sha, binDir);
  if (cached) return result(cached, true);
  await mkdir(dirname(root), { recursive: true }); // the lock folder's parent, on a fresh cache
  return withBuildLock(
    `${root}.lock`,
    async () => {
      const again = await readStamp(stampPath, sha, binDir); // built by whoever held the lock
      if (again) return result(again, true);
      const phaseSeconds: Record<string, number> = {};
      const phase = async (name: string, marker: string | undefined, fn: () => Promise<void>) => {
        if (marker && existsSync(marker)) return;
        options.log.info(`bitnet.cpp fork: ${name}…`);
        const t0 = performance.now();
        await fn();
        phaseSeconds[name] = (performance.now() - t0) / 1000;
        if (marker) await writeFile(marker, new Date().toISOString());
        options.log.info(`bitnet.cpp fork: ${name} took ${phaseSeconds[name]!.toFixed(1)} s`);
      };
      const jobs = String(options.jobs ?? availableParallelism());
      // Markers make an interrupted build resume where it stopped; cmake's own build is incremental.
      await phase('unpack', join(root, '.unpacked'), async () => {
        await rm(dir, { recursive: true, force: true });
        await mkdir(root, { recursive: true });
        await step('unpack', 'tar', ['-xJf', tarball, '-C', root]);
      });
      await phase('record build info', join(root, '.build-info'), () => recordBuildInfo(dir));
      // setup_env.py's x86 build after its (network-needing) pip step: generate the TL2 kernels, then cmake.
      await phase('codegen', join(root, '.codegen'), () =>
        step('codegen', 'python3', ['utils/codegen_tl2.py', '--model', 'bitnet_b1_58-3B', '--BM', '160,320,320', '--BK', '96,96,96', '--bm', '32,32,32'], dir),
      );
      await phase('cmake configure', undefined, () =>
        step('cmake configure', 'cmake', ['-B', 'build', '-DBITNET_X86_TL2=ON', '-DCMAKE_C_COMPILER=clang', '-DCMAKE_CXX_COMPILER=clang++', '-DLLAMA_BUILD_SERVER=ON'], dir),
      );
      // Not niced: it runs in the global setup, before any test, so it competes only with other jobs on a shared CI
      // machine, and under two busy loops a nice -n 10 build got ~8 % of a core (30+ minutes instead of 6).
      await phase('build llama-cli llama-quantize', undefined, () =>
        step('build', 'cmake', ['--build', 'build', '--config', 'Release', '-j', jobs, '--target', 'llama-cli', 'llama-quantize'], dir),
      );
      await phase('build llama-server', undefined, () => step('build', 'cmake', ['--build', 'build', '--config', 'Release', '-j', jobs, '--target', 'llama-server'], dir));
      const stamp: ForkStamp = { recipeVersion: RECIPE_VERSION, tarballSha256: sha, phaseSeconds, builtAt: new Date().toISOString() };
      await writeFile(stampPath, `${JSON.stringify(stamp, null, 2)}\n`);
      return result(stamp, false);
    },
    { onWait: (holder) => options.log.info(`bitnet.cpp fork: waiting for the build lock (held by ${holder})`) },
  );
}

/**
 * A `git archive` export has no .git, so the fork's cmake would stamp `version: 0 (unknown)` into every binary. A
 * clone of the same commit says `version: 3947 (406a5036)` (its `git rev-list --count` and short hash): give the
 * export the build info a clone would have, from its SOURCE.txt, so the harness's commit check sees what a user's
 * setup_env.py build shows. Build numbers are known only for the commits listed here.
 */
const BUILD_NUMBERS: Record<string, number> = { '406a5036': 3947 };

async function recordBuildInfo(dir: string): Promise<void> {
  const source = await readFile(join(dir, 'SOURCE.txt'), 'utf8');
  const commit = source.match(/3rdparty\/llama\.cpp = \S+ at ([0-9a-f]{8})/)?.[1];
  const number = commit && BUILD_NUMBERS[commit];
  if (!commit || !number) throw new Error(`bitnet.cpp fork: ${dir}/SOURCE.txt names no llama.cpp commit with a known build number (known: ${Object.keys(BUILD_NUMBERS).join(', ')})`);
  const cmakeFile = join(dir, '3rdparty/llama.cpp/cmake/build-info.cmake');
  const text = await readFile(cmakeFile, 'utf8');
  const patched = text.replace('set(BUILD_NUMBER 0)', `set(BUILD_NUMBER ${number})`).replace('set(BUILD_COMMIT "unknown")', `set(BUILD_COMMIT "${commit}")`);
  if (patched === text) throw new Error(`bitnet.cpp fork: ${cmakeFile} no longer has the default build info lines to replace`);
  await writeFile(cmakeFile, patched);
  // generated from the lines above; removing it makes the build regenerate it
  await rm(join(dir, '3rdparty/llama.cpp/common/build-info.cpp'), { force: true });
}

async function step(name: string, program: string, args: string[], cwd?: string): Promise<void> {
  const r = await runProcess(program, args, { cwd });
  if (r.exitCode !== 0) throw new Error(`bitnet.cpp fork ${name} failed: \`${program} ${args.join(' ')}\` exited with ${r.signal ?? r.exitCode}:\n${tail(`${r.stdout}\n${r.stderr}`)}`);
}

async function readStamp(stampPath: string, sha: string, binDir: string): Promise<ForkStamp | undefined> {
  try {
    const stamp = JSON.parse(await readFile(stampPath, 'utf8')) as ForkStamp;
    if (stamp.recipeVersion !== RECIPE_VERSION || stamp.tarballSha256 !== sha) return undefined;
    for (const tool of FORK_TOOLS) if (!(await stat(join(binDir, tool))).isFile()) return undefined;
    return stamp;
  } catch {
    return undefined;
  }
}

function sha256OfFile(path: string): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('error', reject)
      .on('data', (chunk) => hash.update(chunk))
      .on('end', () => resolvePromise(hash.digest('hex')));
  });
}
