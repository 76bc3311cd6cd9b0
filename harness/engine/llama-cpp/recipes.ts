import { cmakeTargetSources } from './cmake-sources.ts';

export type ToolName = 'llama-completion' | 'llama-server' | 'llama-bench';
export const TOOL_NAMES: readonly ToolName[] = ['llama-completion', 'llama-server', 'llama-bench'];

/**
 * Bump when anything that changes the produced executables changes (patches, flags, recipes): a build
 * stamped with another recipe version is rebuilt.
 */
export const BUILD_RECIPE_VERSION = 2;

/** A file to compile, relative to the llama.cpp source root unless `generated`. */
export interface CompileInput {
  file: string;
  language: 'c++' | 'c';
  /** Lives in the build's generated-files folder (build info, UI asset table), not in the source tree. */
  generated?: boolean;
  /** Extra preprocessor definitions for this file only. */
  defines?: string[];
}

/**
 * Flags every translation unit gets. They must match how node-llama-cpp compiled the prebuilt libllama-common,
 * because our objects share its C++ types: LLAMA_SUBPROCESS changes the layout of common_subproc (that build
 * has it on, as upstream's default), and NDEBUG is what a release build sets (llama-bench warns without it).
 */
export const COMMON_DEFINES = ['NDEBUG', 'LLAMA_SUBPROCESS', 'LLAMA_SHARED'];
export const INCLUDE_DIRS = ['include', 'ggml/include', 'common', 'vendor'];

export interface ToolRecipe {
  tool: ToolName;
  /** Source-relative include folders beyond INCLUDE_DIRS. */
  includeDirs: string[];
  /** Needs the generated UI asset table (ui.h/ui.cpp), which only llama-server serves. */
  needsUiAssets: boolean;
  /** Has the common `--version` flag; llama-bench has its own argument parser and is checked with `--help`. */
  hasVersionFlag: boolean;
  inputs(sourceRoot: string): Promise<CompileInput[]>;
}

const cpp = (files: string[], defines?: string[]): CompileInput[] => files.map((file) => ({ file, language: 'c++', defines }));

/** Every tool also compiles the generated build-info.cpp, so `--version` names the commit it was built from. */
const BUILD_INFO: CompileInput = { file: 'build-info.cpp', language: 'c++', generated: true };

export const TOOL_RECIPES: Record<ToolName, ToolRecipe> = {
  'llama-completion': {
    tool: 'llama-completion',
    includeDirs: ['tools/completion'],
    needsUiAssets: false,
    hasVersionFlag: true,
    inputs: async (root) => [
      ...cpp(await cmakeTargetSources(root, 'tools/completion/CMakeLists.txt', 'llama-completion-impl')),
      ...cpp(await cmakeTargetSources(root, 'tools/completion/CMakeLists.txt', 'llama-completion')),
      BUILD_INFO,
    ],
  },
  'llama-bench': {
    tool: 'llama-bench',
    includeDirs: ['tools/llama-bench'],
    needsUiAssets: false,
    hasVersionFlag: false,
    inputs: async (root) => [
      ...cpp(await cmakeTargetSources(root, 'tools/llama-bench/CMakeLists.txt', 'llama-bench-impl')),
      ...cpp(await cmakeTargetSources(root, 'tools/llama-bench/CMakeLists.txt', 'llama-bench')),
      BUILD_INFO,
    ],
  },
  'llama-server': {
    tool: 'llama-server',
    // server-context includes "../mtmd" headers and files by paths from the source root.
    includeDirs: ['tools/server', 'tools/mtmd', '.', 'vendor/hash'],
    needsUiAssets: true,
    hasVersionFlag: true,
    inputs: async (root) => [
      // The multimodal library is not among the prebuilt libraries, so the server compiles it in.
      ...cpp(await cmakeTargetSources(root, 'tools/mtmd/CMakeLists.txt', 'mtmd'), ['LLAMA_BUILD', 'MTMD_VIDEO']),
      ...cpp(await cmakeTargetSources(root, 'tools/server/CMakeLists.txt', 'server-context')),
      ...cpp(await cmakeTargetSources(root, 'tools/server/CMakeLists.txt', 'llama-server-impl')),
      ...cpp(await cmakeTargetSources(root, 'tools/server/CMakeLists.txt', 'llama-server')),
      // vendor/hash (used by mtmd); its CMakeLists lists these through a variable and compiles sha1.c as C++.
      ...cpp(['vendor/hash/hash.cpp', 'vendor/hash/sha1/sha1.c']),
      { file: 'vendor/hash/xxhash/xxhash.c', language: 'c' },
      { file: 'vendor/hash/sha256/sha256.c', language: 'c' },
      // cpp-httplib is not compiled: the prebuilt libllama-common exports it (built without OpenSSL, like us).
      { file: 'ui.cpp', language: 'c++', generated: true },
      BUILD_INFO,
    ],
  },
};
