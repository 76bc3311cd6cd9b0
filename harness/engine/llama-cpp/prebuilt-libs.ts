import { copyFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { buildError } from './errors.ts';

/** ggml's CPU backends, one per x86 instruction-set level; ggml dlopens the best one from the executable's folder. */
export const CPU_BACKEND_PATTERN = /^libggml-cpu-.+\.so$/;

export interface PrebuiltLibs {
  /** Libraries the executables link against (libllama-common, libllama, libggml, libggml-base). */
  linkNames: string[];
  cpuBackends: string[];
}

/**
 * Copies (not symlinks) every prebuilt shared library into the bin folder, so the cached engine keeps
 * working after node_modules is reinstalled or removed, and the folder can be copied to another machine.
 */
export async function copyPrebuiltLibs(prebuiltDir: string, binDir: string): Promise<PrebuiltLibs> {
  const libs = await listPrebuiltLibs(prebuiltDir);
  for (const name of [...libs.linkNames, ...libs.cpuBackends]) await copyFile(join(prebuiltDir, name), join(binDir, name));
  return libs;
}

/** The shared libraries in a folder, split into those to link against and the CPU backends. */
export async function listPrebuiltLibs(dir: string): Promise<PrebuiltLibs> {
  const libraries = (await readdir(dir)).filter((name) => /^lib.+\.so(\.\d+)*$/.test(name)).sort();
  const cpuBackends = libraries.filter((name) => CPU_BACKEND_PATTERN.test(name));
  const linkNames = libraries.filter((name) => !CPU_BACKEND_PATTERN.test(name));
  if (cpuBackends.length === 0 || !linkNames.some((name) => name.startsWith('libllama'))) {
    throw buildError(
      `${dir} lacks the llama.cpp libraries or CPU backends (found: ${libraries.join(', ') || 'nothing'})`,
      'reinstall node-llama-cpp with `npm ci`',
    );
  }
  return { linkNames, cpuBackends };
}
