import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { BuildLayout, BuiltTool } from './build-cache.ts';
import { compileAll, linkExecutable } from './compile.ts';
import { buildError } from './errors.ts';
import { writeBuildInfo, writeEmptyUiAssets } from './generated-sources.ts';
import type { NpmSources } from './npm-sources.ts';
import { copyPrebuiltLibs, listPrebuiltLibs } from './prebuilt-libs.ts';
import { COMMON_DEFINES, INCLUDE_DIRS, TOOL_RECIPES, type ToolName } from './recipes.ts';
import { applySourcePatches } from './source-patches.ts';
import { cloneBundle, openSourceTree, type SourceTree } from './source-tree.ts';
import type { Toolchain } from './toolchain.ts';
import { checkBackendsLoad, checkToolHelp, readToolVersion } from './verify-tools.ts';

export interface BuildToolsRequest {
  layout: BuildLayout;
  sources: NpmSources;
  toolchain: Toolchain;
  tools: ToolName[];
  /** The source tree, libraries and build info of a valid earlier build are there; only add tools. */
  reuseSourceTree: boolean;
  jobs: number;
  onProgress: (line: string) => void;
}

export interface BuiltTools {
  version: string;
  /** Short commit the tools report. */
  commit: string;
  tools: Partial<Record<ToolName, BuiltTool>>;
}

/** Prepares the tree (clone, patch, libraries, build info) unless reusing one, then builds and checks each tool. */
export async function buildTools(request: BuildToolsRequest): Promise<BuiltTools> {
  const { layout, toolchain, onProgress } = request;
  const tree = request.reuseSourceTree ? await openSourceTree(layout.sourceDir) : await prepareTree(request);
  const libs = await listPrebuiltLibs(layout.binDir);
  const tools: Partial<Record<ToolName, BuiltTool>> = {};
  let reported: { version: string; commit: string } | undefined;
  for (const tool of request.tools) {
    const started = performance.now();
    onProgress(`build ${tool}`);
    const recipe = TOOL_RECIPES[tool];
    if (recipe.needsUiAssets) await writeEmptyUiAssets(tree, toolchain, layout.generatedDir);
    const objects = await compileAll(await recipe.inputs(tree.dir), {
      cxx: toolchain.cxx,
      sourceRoot: tree.dir,
      generatedDir: layout.generatedDir,
      objectDir: layout.objectDir,
      includeDirs: [...INCLUDE_DIRS, ...recipe.includeDirs],
      defines: COMMON_DEFINES,
      jobs: request.jobs,
      onProgress,
    });
    const executable = join(layout.binDir, tool);
    onProgress(`link ${tool}`);
    await linkExecutable(toolchain.cxx, objects, layout.binDir, libs.linkNames, executable);
    if (recipe.hasVersionFlag) {
      const version = await readToolVersion(executable);
      if (version.commit !== tree.shortCommit) {
        throw buildError(`${tool} --version reports commit ${version.commit}, expected ${tree.shortCommit}`, 'the generated build info was not linked in; report this as a harness bug');
      }
      reported = { version: version.version, commit: version.commit };
    } else {
      await checkToolHelp(executable);
    }
    const buildSeconds = Math.round((performance.now() - started) / 100) / 10;
    tools[tool] = { file: tool, bytes: (await stat(executable)).size, buildSeconds };
    onProgress(`built ${tool} in ${buildSeconds} s`);
  }
  const completion = join(layout.binDir, 'llama-completion');
  await checkBackendsLoad(completion, layout.binDir);
  onProgress('backend probe: llama-completion loads a CPU backend');
  // When only llama-bench was added to an existing build, the version comes from the completion tool.
  reported ??= await readToolVersion(completion);
  return { ...reported, tools };
}

async function prepareTree(request: BuildToolsRequest): Promise<SourceTree> {
  const { layout, sources, toolchain, onProgress } = request;
  onProgress(`clone ${sources.bundlePath}`);
  const tree = await cloneBundle(sources.bundlePath, layout.sourceDir);
  onProgress('apply source patches');
  await applySourcePatches(tree.dir);
  await mkdir(layout.binDir, { recursive: true });
  onProgress(`copy prebuilt libraries from ${sources.prebuiltPackage}`);
  await copyPrebuiltLibs(sources.prebuiltDir, layout.binDir);
  await writeBuildInfo(tree, toolchain, layout.generatedDir);
  return tree;
}
