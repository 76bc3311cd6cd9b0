import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildError } from './errors.ts';

/**
 * Our own small fixes to the cloned llama.cpp source, applied before compiling. Each edit is an exact-text
 * replacement at a known anchor, so a llama.cpp that moved the code fails loudly here instead of silently
 * building an unpatched tool. Bump BUILD_RECIPE_VERSION (recipes.ts) when these change.
 */
export interface SourcePatch {
  name: string;
  file: string;
  edits: { anchor: string; replacement: string }[];
}

/**
 * Flush the log when the tool returns from main.
 *
 * llama.cpp's tools log (generated text, timing lines, errors) through a worker thread, and the log singleton
 * is deliberately leaked (common/log.cpp, common_log_main), so nothing drains it at exit: about 1 run in 10
 * of llama-completion lost the end of stdout or the common_perf_print timing lines, and a failing run often
 * exits 1 with no output at all (measured here: without CPU backends, only 17 of 50 runs printed the error). Flushing
 * after the tool's function returns covers the normal end and every error return.
 */
function flushLogOnReturn(tool: 'completion' | 'server' | 'bench', folder: string): SourcePatch {
  const fn = `llama_${tool}`;
  return {
    name: 'flush the log at exit',
    file: `tools/${folder}/main.cpp`,
    edits: [
      { anchor: `int ${fn}(int argc, char ** argv);\n`, replacement: `#include "log.h"\n\nint ${fn}(int argc, char ** argv);\n` },
      {
        anchor: `    return ${fn}(argc, argv);\n`,
        replacement:
          `    const int status = ${fn}(argc, argv);\n` +
          '    // bitnet-coherence-bench: drain the asynchronous log so no output line is lost at exit\n' +
          '    common_log_flush(common_log_main());\n' +
          '    return status;\n',
      },
    ],
  };
}

export const SOURCE_PATCHES: readonly SourcePatch[] = [
  flushLogOnReturn('completion', 'completion'),
  flushLogOnReturn('server', 'server'),
  flushLogOnReturn('bench', 'llama-bench'),
];

export async function applySourcePatches(sourceDir: string, patches: readonly SourcePatch[] = SOURCE_PATCHES): Promise<void> {
  for (const patch of patches) {
    const path = join(sourceDir, patch.file);
    let text = await readFile(path, 'utf8');
    for (const { anchor, replacement } of patch.edits) {
      const at = text.indexOf(anchor);
      if (at < 0 || text.indexOf(anchor, at + 1) >= 0) {
        throw buildError(
          `cannot apply the patch '${patch.name}' to ${patch.file}: the text ${JSON.stringify(anchor.trim())} was ${at < 0 ? 'not found' : 'found twice'}`,
          'this llama.cpp differs from the one the patch was written for; update harness/engine/llama-cpp/source-patches.ts',
        );
      }
      text = text.slice(0, at) + replacement + text.slice(at + anchor.length);
    }
    await writeFile(path, text);
  }
}
