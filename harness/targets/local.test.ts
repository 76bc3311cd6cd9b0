import { spawn } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalTarget } from './local.ts';

/** True while `pid` is a live process (a zombie waiting to be reaped counts as gone). */
async function isAlive(pid: number): Promise<boolean> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** Polls until `pid` is gone; generous, because a loaded machine may take a while to reap. */
async function waitGone(pid: number, withinMs = 20_000): Promise<boolean> {
  const until = performance.now() + withinMs;
  while (performance.now() < until) {
    if (!(await isAlive(pid))) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}

/**
 * An engine behind a wrapper script, as a user's `llama-cli` shim would be: the script is the direct child, the
 * long-running program (`sleep`) its child, holding the same stdout/stderr pipes. Killing only the script would
 * leave `sleep` holding the pipes, and a wait for them would never end.
 */
const WRAPPER = ['#!/bin/sh', 'sleep 300 &', 'echo "child:$!"', 'wait', 'echo after'].join('\n');

describe('local target: every command ends, with all its processes', () => {
  let dir: string;
  let wrapper: string;
  const target = new LocalTarget(tmpdir());

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bench-local-target-'));
    wrapper = join(dir, 'engine-wrapper.sh');
    await writeFile(wrapper, `${WRAPPER}\n`);
    await chmod(wrapper, 0o755);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const childPid = (stdout: string) => Number(/child:(\d+)/.exec(stdout)?.[1]);

  it('kills the whole process group at the timeout, so a wrapper script\'s child cannot hold the run', async () => {
    const result = await target.exec({ argv: [wrapper], timeoutMs: 1_000 });
    expect(result.timedOut).toBe(true);
    expect(result.exitCode).toBeNull();
    expect(result.stdout).not.toContain('after');
    const pid = childPid(result.stdout);
    expect(pid).toBeGreaterThan(0);
    expect(await waitGone(pid)).toBe(true);
  }, 60_000);

  it('ends when the program exits even if a leftover child still holds its pipes, and kills that child', async () => {
    const result = await target.exec({ argv: ['sh', '-c', 'sleep 300 & echo "child:$!"; exit 4'] });
    expect(result).toMatchObject({ exitCode: 4, timedOut: false });
    expect(await waitGone(childPid(result.stdout))).toBe(true);
  }, 60_000);

  it('on abort, rejects and kills the whole process group', async () => {
    const controller = new AbortController();
    let output = '';
    const running = target.exec({ argv: [wrapper] }, { onStdout: (chunk) => ((output += chunk), /child:\d+/.test(output) && controller.abort()) }, controller.signal);
    await expect(running).rejects.toThrow(/abort/i);
    expect(await waitGone(childPid(output))).toBe(true);
  }, 60_000);

  it('kills the groups it started when the harness process is terminated', async () => {
    // A separate Node process runs the wrapper through LocalTarget, then gets SIGTERM as from Ctrl-C or CI.
    const script = `import { LocalTarget } from ${JSON.stringify(new URL('./local.ts', import.meta.url).pathname)};
new LocalTarget(${JSON.stringify(dir)}).exec({ argv: [${JSON.stringify(wrapper)}] }, { onStdout: (c) => process.stdout.write(c) });`;
    const harness = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    await new Promise<void>((resolve, reject) => {
      harness.stdout.on('data', (chunk: Buffer) => ((output += chunk), /child:\d+/.test(output) && resolve()));
      harness.once('exit', () => reject(new Error(`harness exited early: ${output}`)));
    });
    harness.kill('SIGTERM');
    expect(await waitGone(childPid(output))).toBe(true);
  }, 60_000);

  it('still reports a missing program as exit 127', async () => {
    const result = await target.exec({ argv: [join(dir, 'no-such-engine')], timeoutMs: 5_000 });
    expect(result).toMatchObject({ exitCode: 127, signal: null, timedOut: false, stderr: `${join(dir, 'no-such-engine')}: command not found` });
  });
});
