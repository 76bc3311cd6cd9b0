import { availableParallelism } from 'node:os';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../../log.ts';
import { cacheDir } from '../../cache.ts';
import { buildLayout, readValidStamp, writeStamp, type BuildLayout, type BuildStamp } from './build-cache.ts';
import { withBuildLock } from './build-lock.ts';
import { buildError } from './errors.ts';
import { locateNpmSources, type NpmSourceOverrides } from './npm-sources.ts';
import { BUILD_RECIPE_VERSION, type ToolName } from './recipes.ts';
import { bundleCommit } from './source-tree.ts';
import { buildTools } from './tool-builder.ts';
import { detectToolchain } from './toolchain.ts';

export type { ToolName } from './recipes.ts';

export interface LlamaCppBuild {
  /** Full commit of the llama.cpp source (node-llama-cpp's bundle); the cache key. */
  commit: string;
  /** llama.cpp's version string as the tools print it, e.g. `0.4.0-dev`. */
  version: string;
  /** Folder with the executables, the prebuilt libraries and the CPU backends. */
  binDir: string;
  /** Absolute path of each built executable, by tool name. */
  tools: Partial<Record<ToolName, string>>;
  /** Wall time this call spent building (≈0 on a cache hit). */
  buildSeconds: number;
  /** How long each tool took to build when it was built (from the stamp on a cache hit). */
  toolBuildSeconds: Partial<Record<ToolName, number>>;
  /** The npm package the libraries came from, e.g. `@node-llama-cpp/linux-x64@3.21.1`. */
  prebuiltPackage: string;
  fromCache: boolean;
}

export interface EnsureLlamaCppBuildOptions {
  /** Default `${BENCH_CACHE_DIR:-~/.cache/bitnet-coherence-bench}`; the build goes to `<cacheDir>/llama.cpp/<commit>/`. */
  cacheDir?: string;
  log?: Logger;
  onProgress?: (line: string) => void;
  /** llama-completion is always built; default adds llama-server. */
  tools?: readonly ToolName[];
  /** Throw the cached build away and build again. */
  force?: boolean;
  /** C++ compiler; default $CXX, else g++. */
  compiler?: string;
  /** Parallel compile jobs; default the number of CPUs. */
  jobs?: number;
  /** Where the npm-shipped source bundle and libraries are; default found in node_modules. */
  sources?: NpmSourceOverrides;
}

/** Builds within this process, so concurrent callers in one process share one build. */
const inFlight = new Map<string, Promise<LlamaCppBuild>>();

/**
 * Returns a runnable llama.cpp engine built offline from what npm shipped, building it on first use: the
 * tools' sources from node-llama-cpp's source bundle, compiled against its prebuilt libraries. Cached by
 * source commit; concurrent callers (also across processes) wait for one build.
 */
export async function ensureLlamaCppBuild(options: EnsureLlamaCppBuildOptions = {}): Promise<LlamaCppBuild> {
  const sources = locateNpmSources(options.sources);
  const commit = await bundleCommit(sources.bundlePath);
  const layout = buildLayout(options.cacheDir ?? cacheDir(), commit);
  const wanted = [...new Set<ToolName>(['llama-completion', ...(options.tools ?? ['llama-server'])])];
  const key = `${layout.root}|${[...wanted].sort().join(',')}|${options.force ? 'force' : ''}`;
  const running = inFlight.get(key);
  if (running) return running;
  const build = ensureUnderLock(layout, commit, wanted, sources, options).finally(() => inFlight.delete(key));
  inFlight.set(key, build);
  return build;
}

async function ensureUnderLock(
  layout: BuildLayout,
  commit: string,
  wanted: ToolName[],
  sources: ReturnType<typeof locateNpmSources>,
  options: EnsureLlamaCppBuildOptions,
): Promise<LlamaCppBuild> {
  const started = performance.now();
  const progress = (line: string): void => {
    options.onProgress?.(line);
    options.log?.debug(`[llama.cpp] ${line}`);
  };
  const cached = options.force ? undefined : await readValidStamp(layout, commit);
  if (cached && wanted.every((tool) => cached.tools[tool])) return result(layout, cached, started, true);

  await mkdir(join(layout.root, '..'), { recursive: true });
  return withBuildLock(
    layout.lockPath,
    async () => {
      // Another process may have finished the build while we waited for the lock.
      const stamp = options.force ? undefined : await readValidStamp(layout, commit);
      if (stamp && wanted.every((tool) => stamp.tools[tool])) return result(layout, stamp, started, true);
      if (!stamp) await rm(layout.root, { recursive: true, force: true });
      const toolchain = await detectToolchain(options.compiler);
      options.log?.info(`building llama.cpp ${commit.slice(0, 7)} (${wanted.join(', ')}) into ${layout.root}`);
      const built = await buildTools({
        layout,
        sources,
        toolchain,
        tools: wanted.filter((tool) => !stamp?.tools[tool]),
        reuseSourceTree: stamp !== undefined,
        jobs: options.jobs ?? availableParallelism(),
        onProgress: progress,
      });
      if (built.commit !== commit.slice(0, built.commit.length)) {
        throw buildError(`the built tools report commit ${built.commit}, not the source commit ${commit}`, 'delete the build folder and retry');
      }
      const next: BuildStamp = {
        recipeVersion: BUILD_RECIPE_VERSION,
        commit,
        version: built.version,
        prebuiltPackage: sources.prebuiltPackage,
        compiler: toolchain.compilerId,
        tools: { ...stamp?.tools, ...built.tools },
        builtAt: new Date().toISOString(),
      };
      await writeStamp(layout, next);
      const done = result(layout, next, started, false);
      options.log?.info(`llama.cpp ready in ${done.buildSeconds.toFixed(1)} s: ${layout.binDir}`);
      return done;
    },
    { onWait: (holder) => progress(`waiting for the build running in ${holder}`) },
  );
}

function result(layout: BuildLayout, stamp: BuildStamp, started: number, fromCache: boolean): LlamaCppBuild {
  const entries = Object.entries(stamp.tools) as [ToolName, NonNullable<BuildStamp['tools'][ToolName]>][];
  return {
    commit: stamp.commit,
    version: stamp.version,
    binDir: layout.binDir,
    tools: Object.fromEntries(entries.map(([name, tool]) => [name, join(layout.binDir, tool.file)])),
    buildSeconds: (performance.now() - started) / 1000,
    toolBuildSeconds: Object.fromEntries(entries.map(([name, tool]) => [name, tool.buildSeconds])),
    prebuiltPackage: stamp.prebuiltPackage,
    fromCache,
  };
}
