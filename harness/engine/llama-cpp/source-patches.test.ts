import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HarnessError } from '../../errors.ts';
import { applySourcePatches, SOURCE_PATCHES } from './source-patches.ts';

const UPSTREAM_MAIN = 'int llama_completion(int argc, char ** argv);\n\nint main(int argc, char ** argv) {\n    return llama_completion(argc, argv);\n}\n';
const dirs: string[] = [];

function treeWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'llama-patch-test-'));
  dirs.push(dir);
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(join(dir, file, '..'), { recursive: true });
    writeFileSync(join(dir, file), text);
  }
  return dir;
}

afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe('applySourcePatches', () => {
  const completionPatch = SOURCE_PATCHES.filter((p) => p.file === 'tools/completion/main.cpp');

  it('makes main flush the log after the tool returns, keeping its exit status', async () => {
    const dir = treeWith({ 'tools/completion/main.cpp': UPSTREAM_MAIN });
    await applySourcePatches(dir, completionPatch);
    const text = readFileSync(join(dir, 'tools/completion/main.cpp'), 'utf8');
    expect(text.startsWith('#include "log.h"\n')).toBe(true);
    expect(text).toMatch(/const int status = llama_completion\(argc, argv\);\n.*\n\s+common_log_flush\(common_log_main\(\)\);\n\s+return status;/);
  });

  it('fails with a clear error when the upstream code moved', async () => {
    const dir = treeWith({ 'tools/completion/main.cpp': UPSTREAM_MAIN.replace('return llama_completion', 'return run_completion') });
    const error = await applySourcePatches(dir, completionPatch).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HarnessError);
    expect((error as HarnessError).message).toContain("cannot apply the patch 'flush the log at exit' to tools/completion/main.cpp");
    expect((error as HarnessError).message).toContain('not found');
  });

  it('covers the main of every tool we build', () => {
    expect(SOURCE_PATCHES.map((p) => p.file).sort()).toEqual(['tools/completion/main.cpp', 'tools/llama-bench/main.cpp', 'tools/server/main.cpp']);
  });
});
