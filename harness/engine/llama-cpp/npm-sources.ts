import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildError } from './errors.ts';

/**
 * Everything the offline build takes from the npm registry: node-llama-cpp ships llama.cpp's source as a git
 * bundle, and its per-platform package ships the prebuilt llama/ggml shared libraries (with one CPU backend
 * per x86 instruction-set level, loaded at run time). We compile only the tools' own sources against those.
 */
export interface NpmSources {
  /** node-llama-cpp/llama/gitRelease.bundle */
  bundlePath: string;
  /** The folder holding libllama*.so, libggml*.so and the libggml-cpu-*.so backends. */
  prebuiltDir: string;
  /** e.g. `@node-llama-cpp/linux-x64@3.21.1`, recorded in the build stamp and result. */
  prebuiltPackage: string;
}

export interface NpmSourceOverrides {
  bundlePath?: string;
  prebuiltDir?: string;
}

const REINSTALL_HINT = 'run `npm ci` in the repository (node-llama-cpp is a dependency and ships the llama.cpp source and libraries)';

export function locateNpmSources(overrides: NpmSourceOverrides = {}): NpmSources {
  // The compile and link flags (rpath $ORIGIN, .so names) are the Linux ones.
  if (process.platform !== 'linux') {
    throw buildError(
      `the offline llama.cpp build supports Linux only (this is ${process.platform}-${process.arch})`,
      'run the benchmark on a Linux target, or build llama.cpp on this machine with its own cmake instructions',
    );
  }
  const nodeModules = findNodeModules();
  const bundlePath = overrides.bundlePath ?? join(nodeModules, 'node-llama-cpp', 'llama', 'gitRelease.bundle');
  if (!existsSync(bundlePath)) {
    throw buildError(`llama.cpp source bundle not found at ${bundlePath}`, REINSTALL_HINT);
  }
  const platformPackage = `@node-llama-cpp/${process.platform}-${process.arch}`;
  const packageDir = join(nodeModules, platformPackage);
  const prebuiltDir = overrides.prebuiltDir ?? join(packageDir, 'bins', `${process.platform}-${process.arch}`);
  if (!existsSync(prebuiltDir) || !readdirSync(prebuiltDir).some((f) => f.startsWith('libllama'))) {
    throw buildError(`prebuilt llama.cpp libraries not found in ${prebuiltDir}`, REINSTALL_HINT);
  }
  return { bundlePath, prebuiltDir, prebuiltPackage: `${platformPackage}@${packageVersion(packageDir)}` };
}

/** The node_modules folder this harness runs from (walks up from this file, so it works from any cwd). */
function findNodeModules(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'node_modules');
    if (existsSync(join(candidate, 'node-llama-cpp'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw buildError('node_modules/node-llama-cpp not found above the harness', REINSTALL_HINT);
    dir = parent;
  }
}

function packageVersion(packageDir: string): string {
  try {
    return (JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { version?: string }).version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
