import { existsSync, statSync } from 'node:fs';
import { readFile, readdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CPU_BACKEND_PATTERN } from './prebuilt-libs.ts';
import { BUILD_RECIPE_VERSION, type ToolName } from './recipes.ts';

/** Folders of one build, keyed by the llama.cpp source commit. */
export interface BuildLayout {
  root: string;
  sourceDir: string;
  objectDir: string;
  generatedDir: string;
  binDir: string;
  /** Written last: its presence (and agreement with the files) is what makes the build valid. */
  stampPath: string;
  /** Beside the root, not inside it, so that wiping a broken build keeps the lock. */
  lockPath: string;
}

export function buildLayout(cacheDir: string, commit: string): BuildLayout {
  const root = join(cacheDir, 'llama.cpp', commit);
  return {
    root,
    sourceDir: join(root, 'src'),
    objectDir: join(root, 'obj'),
    generatedDir: join(root, 'gen'),
    binDir: join(root, 'bin'),
    stampPath: join(root, 'build.json'),
    lockPath: `${root}.lock`,
  };
}

export interface BuiltTool {
  file: string;
  bytes: number;
  buildSeconds: number;
}

export interface BuildStamp {
  recipeVersion: number;
  commit: string;
  /** llama.cpp's version string, e.g. `0.4.0-dev`. */
  version: string;
  prebuiltPackage: string;
  compiler: string;
  tools: Partial<Record<ToolName, BuiltTool>>;
  builtAt: string;
}

/**
 * The stamp if it describes a usable build of `commit`: same recipe version, every recorded executable
 * present with its recorded size, libraries and CPU backends beside them. Anything else means a build was
 * interrupted or the folder was tampered with, and the caller rebuilds.
 */
export async function readValidStamp(layout: BuildLayout, commit: string): Promise<BuildStamp | undefined> {
  let stamp: BuildStamp;
  try {
    stamp = JSON.parse(await readFile(layout.stampPath, 'utf8')) as BuildStamp;
  } catch {
    return undefined;
  }
  if (stamp.recipeVersion !== BUILD_RECIPE_VERSION || stamp.commit !== commit || typeof stamp.tools !== 'object') return undefined;
  for (const tool of Object.values(stamp.tools)) {
    const path = join(layout.binDir, tool.file);
    if (!existsSync(path) || statSync(path).size !== tool.bytes) return undefined;
  }
  const libraries = existsSync(layout.binDir) ? await readdir(layout.binDir) : [];
  if (!libraries.some((name) => CPU_BACKEND_PATTERN.test(name)) || !libraries.some((name) => name.startsWith('libllama'))) return undefined;
  return stamp;
}

export async function writeStamp(layout: BuildLayout, stamp: BuildStamp): Promise<void> {
  const partial = `${layout.stampPath}.partial`;
  await writeFile(partial, `${JSON.stringify(stamp, null, 2)}\n`);
  await rename(partial, layout.stampPath);
}
