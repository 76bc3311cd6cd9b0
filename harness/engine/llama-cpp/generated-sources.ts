import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildError } from './errors.ts';
import { runProcess, tail } from './run-process.ts';
import type { SourceTree } from './source-tree.ts';
import type { Toolchain } from './toolchain.ts';

/**
 * build-info.cpp, filled in as llama.cpp's cmake does (cmake/build-info.cmake): commit count, short commit,
 * compiler, target. Compiled into each tool, its functions take precedence over the copies inside the
 * prebuilt libllama-common (which name node-llama-cpp's upstream commit), so `--version` names the commit
 * our tools were compiled from, the same as a cmake build of the bundle would print.
 */
export async function writeBuildInfo(tree: SourceTree, toolchain: Toolchain, generatedDir: string): Promise<void> {
  const template = await readFile(join(tree.dir, 'common', 'build-info.cpp.in'), 'utf8');
  const values: Record<string, string> = {
    LLAMA_BUILD_NUMBER: String(tree.buildNumber),
    LLAMA_BUILD_COMMIT: tree.shortCommit,
    BUILD_COMPILER: toolchain.compilerId,
    BUILD_TARGET: toolchain.target,
  };
  const text = template.replace(/@([A-Z_]+)@/g, (whole, key: string) => {
    const value = values[key];
    if (value === undefined) throw buildError(`unknown placeholder ${whole} in common/build-info.cpp.in`, 'update writeBuildInfo in generated-sources.ts');
    return value;
  });
  await mkdir(generatedDir, { recursive: true });
  await writeFile(join(generatedDir, 'build-info.cpp'), text);
}

/**
 * ui.h/ui.cpp: the server's embedded web-UI asset table. The real UI is a Node/Svelte app fetched or built
 * at cmake time, which this offline build cannot do and the benchmark does not need (it only calls the HTTP
 * API), so we run llama.cpp's own embed tool with no asset folder, which emits an empty table.
 */
export async function writeEmptyUiAssets(tree: SourceTree, toolchain: Toolchain, generatedDir: string): Promise<void> {
  if (existsSync(join(generatedDir, 'ui.cpp')) && existsSync(join(generatedDir, 'ui.h'))) return;
  await mkdir(generatedDir, { recursive: true });
  const embed = join(generatedDir, 'llama-ui-embed');
  const compile = await runProcess(toolchain.cxx, ['-std=c++17', '-O1', '-o', embed, join(tree.dir, 'tools', 'ui', 'embed.cpp')]);
  if (compile.exitCode !== 0) throw buildError(`compiling tools/ui/embed.cpp failed:\n${tail(compile.stderr)}`);
  const run = await runProcess(embed, [join(generatedDir, 'ui.cpp'), join(generatedDir, 'ui.h')]);
  if (run.exitCode !== 0) throw buildError(`llama-ui-embed failed:\n${tail(run.stderr)}`);
}
