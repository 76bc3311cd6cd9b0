import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HarnessError } from '../../errors.ts';
import { cmakeTargetSources } from './cmake-sources.ts';

const root = mkdtempSync(join(tmpdir(), 'llama-cmake-test-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
mkdirSync(join(root, 'tools/demo'), { recursive: true });
writeFileSync(
  join(root, 'tools/demo/CMakeLists.txt'),
  [
    'set(TARGET demo-impl)',
    'add_library(${TARGET} STATIC',
    '    a.cpp',
    '    a.h # header, not compiled',
    '    models/b.cpp',
    '    # old.cpp commented out',
    ')',
    'set(TARGET demo)',
    'add_executable(${TARGET} main.cpp)',
    'add_library(other c.c)',
  ].join('\n'),
);

describe('cmakeTargetSources', () => {
  it('lists the C/C++ files of a ${TARGET}-named library, relative to the source root', async () => {
    expect(await cmakeTargetSources(root, 'tools/demo/CMakeLists.txt', 'demo-impl')).toEqual(['tools/demo/a.cpp', 'tools/demo/models/b.cpp']);
  });

  it('tells an executable from the library before it, and reads literal target names', async () => {
    expect(await cmakeTargetSources(root, 'tools/demo/CMakeLists.txt', 'demo')).toEqual(['tools/demo/main.cpp']);
    expect(await cmakeTargetSources(root, 'tools/demo/CMakeLists.txt', 'other')).toEqual(['tools/demo/c.c']);
  });

  it('says so when the target is not there', async () => {
    await expect(cmakeTargetSources(root, 'tools/demo/CMakeLists.txt', 'missing')).rejects.toBeInstanceOf(HarnessError);
  });
});
