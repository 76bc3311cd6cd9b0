import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HarnessError } from '../../errors.ts';
import { LocalTarget } from '../../targets/local.ts';
import type { Target } from '../../targets/target.ts';
import { exists, fileSize, requireTools, run } from './setup.ts';

/**
 * The setup's quick questions (a tool's --version, `test -e`, `wc -c`) are bounded like every other tool call: a
 * hang fails the step by name, as an infrastructure fault. They run on the real local target; what hangs is real
 * where it can be (`wc -c` of a FIFO nobody writes to blocks in open(2)), a program on PATH that never answers
 * otherwise (a `test` stuck on a stalled mount cannot be made here). The minute the harness allows is shortened
 * to half a second by the target below — only where a bound is given: a call without one still hangs. (The message
 * names the bound the harness set, 60 s.)
 */
const dir = mkdtempSync(join(tmpdir(), 'setup-bounds-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const hangs = join(dir, 'bin');
mkdirSync(hangs);
for (const name of ['test', 'hung-tool']) {
  writeFileSync(join(hangs, name), '#!/bin/sh\nexec sleep 30\n');
  chmodSync(join(hangs, name), 0o755);
}
const fifo = join(dir, 'model.gguf');
execFileSync('mkfifo', [fifo]);

const local = new LocalTarget(dir);
/** The local target with every given bound shortened to 500 ms, and the hanging stand-ins first on PATH. */
const shortBounds: Target = new Proxy(local, {
  get(target, property) {
    if (property === 'exec') {
      return (spec: Parameters<Target['exec']>[0], ...rest: [] | Parameters<Target['exec']>[1][]) =>
        target.exec({ ...spec, env: { ...spec.env, PATH: `${hangs}:${process.env.PATH}` }, ...(spec.timeoutMs === undefined ? {} : { timeoutMs: Math.min(spec.timeoutMs, 500) }) }, ...rest);
    }
    const value = Reflect.get(target, property, target);
    return typeof value === 'function' ? value.bind(target) : value;
  },
});

async function infrastructureFault(promise: Promise<unknown>): Promise<HarnessError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(HarnessError);
  return error as HarnessError;
}

describe('bitnet.cpp setup: a quick question that hangs fails its step, by name, as infrastructure', { timeout: 15_000 }, () => {
  it('requireTools: a --version that never answers', async () => {
    const error = await infrastructureFault(requireTools(shortBounds, 'check cmake and clang', ['hung-tool']));
    expect(error).toMatchObject({ kind: 'infrastructure', step: 'check cmake and clang' });
    expect(error.message).toContain('`hung-tool --version` timed out after 60 s on local');
  });

  it('exists: a `test -e` that never answers', async () => {
    const error = await infrastructureFault(exists(shortBounds, 'check llama-server', '/models/stalled-mount/llama-server'));
    expect(error).toMatchObject({ kind: 'infrastructure', step: 'check llama-server' });
    expect(error.message).toContain('`test -e /models/stalled-mount/llama-server` timed out after 60 s');
  });

  it('fileSize: `wc -c` of a FIFO nobody writes to (a real hang)', async () => {
    const error = await infrastructureFault(fileSize(shortBounds, 'verify model size', fifo));
    expect(error).toMatchObject({ kind: 'infrastructure', step: 'verify model size' });
    expect(error.message).toContain(`\`wc -c ${fifo}\` timed out after 60 s`);
  });

  it('run: a setup command given without a bound of its own gets the tool bound', async () => {
    const error = await infrastructureFault(run(shortBounds, 'generate kernels', { argv: ['hung-tool'] }));
    expect(error).toMatchObject({ kind: 'infrastructure', step: 'generate kernels' });
    expect(error.message).toContain('`hung-tool` timed out after 60 s');
  });

  it('answers still come through: a missing tool, a missing file, a size', async () => {
    writeFileSync(join(dir, 'small.gguf'), 'GGUF1234');
    await expect(requireTools(local, 'check git', ['no-such-tool-here'])).rejects.toMatchObject({ kind: 'infrastructure', step: 'check git', message: expect.stringContaining('missing on local: no-such-tool-here') });
    expect(await exists(local, 'check llama-server', join(dir, 'absent'))).toBe(false);
    expect(await exists(local, 'check llama-server', join(dir, 'small.gguf'))).toBe(true);
    expect(await fileSize(local, 'verify model size', join(dir, 'small.gguf'))).toBe(8);
  });
});
