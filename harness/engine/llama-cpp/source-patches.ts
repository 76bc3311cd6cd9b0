import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildError } from './errors.ts';

/**
 * Our own small fixes to the cloned llama.cpp source, applied before compiling. Each is an exact-text
 * replacement at a known anchor, so a new llama.cpp that moved the code fails loudly here instead of
 * silently building an unpatched tool. Bump BUILD_RECIPE_VERSION (recipes.ts) when these change.
 */
interface SourcePatch {
  name: string;
  file: string;
  why: string;
  anchor: string;
  replacement: string;
}

export const SOURCE_PATCHES: readonly SourcePatch[] = [
  {
    name: 'flush the log at exit',
    file: 'tools/completion/completion.cpp',
    why:
      'llama-completion writes its log (generated text and the common_perf_print timing lines) from a worker ' +
      'thread and returns from main without draining it, so about 1 run in 10 loses the end of stdout or the ' +
      'timing lines. Flushing after the perf print makes every run complete (0 failures in 100 runs).',
    anchor: '    common_perf_print(ctx, smpl);\n\n    llama_backend_free();\n',
    replacement:
      '    common_perf_print(ctx, smpl);\n' +
      '    // bitnet-coherence-bench: drain the async log so the text and timing lines are never lost at exit\n' +
      '    common_log_flush(common_log_main());\n\n' +
      '    llama_backend_free();\n',
  },
];

export async function applySourcePatches(sourceDir: string): Promise<void> {
  for (const patch of SOURCE_PATCHES) {
    const path = join(sourceDir, patch.file);
    const text = await readFile(path, 'utf8');
    const at = text.indexOf(patch.anchor);
    if (at < 0 || text.indexOf(patch.anchor, at + 1) >= 0) {
      throw buildError(
        `cannot apply the patch '${patch.name}' to ${patch.file}: its anchor text was ${at < 0 ? 'not found' : 'found twice'}`,
        'this llama.cpp version differs from the one the patch was written for; update SOURCE_PATCHES in harness/engine/llama-cpp/source-patches.ts',
      );
    }
    await writeFile(path, text.slice(0, at) + patch.replacement + text.slice(at + patch.anchor.length));
  }
}
