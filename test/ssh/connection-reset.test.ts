import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { benchConfigSchema } from '../../harness/config/schema.ts';
import { flavours } from '../../harness/engine/command.ts';
import { ensureLlamaCppBuild } from '../../harness/engine/llama-cpp/build.ts';
import { ServerGenerator } from '../../harness/engine/server/server-engine.ts';
import { TargetConnectionLostError } from '../../harness/errors.ts';
import { silentLogger } from '../../harness/log.ts';
import { tinyModelBytes } from '../../harness/models/tiny/variants.ts';
import { generateSshKeyPair } from '../../harness/providers/runpod/keys.ts';
import { connectSshTarget, type SshTarget } from '../../harness/targets/ssh.ts';
import { startResetProxy, type ResetProxy } from '../support/reset-proxy.ts';
import { connectWithSsh2 } from '../support/ssh2-connect.ts';
import { startSshd, type TestSshd } from '../support/sshd.ts';

/**
 * Connections reset (TCP RST → ECONNRESET) in the middle of a command, a file transfer, or right after a refused
 * login, through a loopback proxy in front of a real sshd. Each must end as a TargetConnectionLostError (or the
 * caller's own error) — never as an error no one listens for, which would crash the harness mid-run.
 */
const uncaught: unknown[] = [];
const record = (error: unknown) => uncaught.push(error);
beforeAll(() => {
  process.on('uncaughtException', record);
  process.on('unhandledRejection', record);
});
afterAll(() => {
  process.off('uncaughtException', record);
  process.off('unhandledRejection', record);
});

/** Waits until `condition` holds; generous, for a loaded machine. */
async function until(condition: () => boolean, withinMs = 30_000): Promise<void> {
  const end = performance.now() + withinMs;
  while (!condition()) {
    if (performance.now() > end) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** True once `pid` is gone (a zombie counts as gone), polling up to `withinMs`. */
async function waitGone(pid: number, withinMs: number): Promise<boolean> {
  const end = performance.now() + withinMs;
  while (performance.now() < end) {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
    if (stat === undefined || stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z') return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

/** The pid of the llama-server listening on `port` (sshd runs on this machine, so /proc shows the remote side). */
async function serverPid(port: number): Promise<number | undefined> {
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const argv = (await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '')).split('\0');
    if (argv[0]?.endsWith('/llama-server') && argv[argv.indexOf('--port') + 1] === String(port)) return Number(entry);
  }
  return undefined;
}

/** Lets any late socket or ssh2 error surface before the check that none went unhandled. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 500));

describe('ssh connections reset mid-stream', () => {
  let sshd: TestSshd;
  let proxy: ResetProxy;
  let target: SshTarget;
  let scratch: string;

  beforeEach(async () => {
    uncaught.length = 0;
    sshd = await startSshd({ authorizedKey: runpodKeys.publicKey });
    proxy = await startResetProxy(sshd.port);
    scratch = await mkdtemp(join(tmpdir(), 'bench-ssh-reset-'));
    target = await connectSshTarget({ ...sshd, port: proxy.port, hostKey: { fingerprint: sshd.hostKeyFingerprint }, workDir: join(scratch, 'work'), keepaliveIntervalMs: 1_000, connectRetry: { attempts: 10, initialDelayMs: 100, maxDelayMs: 500 } });
  });
  afterEach(async () => {
    await target?.close();
    await proxy?.close();
    await sshd?.stop();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });
  const runpodKeys = generateSshKeyPair();

  it('a reset during a command is TargetConnectionLostError, and the next command reconnects', async () => {
    let output = '';
    const running = target.exec({ argv: ['sh', '-c', 'i=0; while [ $i -lt 600 ]; do echo "line $i"; i=$((i+1)); sleep 0.1; done'] }, { onStdout: (chunk) => (output += chunk) });
    running.catch(() => undefined);
    await until(() => output.includes('line 2'));
    proxy.resetAll();
    await expect(running).rejects.toBeInstanceOf(TargetConnectionLostError);
    expect((await target.exec({ argv: ['echo', 'back'] })).stdout).toBe('back\n');
    await settle();
    expect(uncaught).toEqual([]);
  }, 60_000);

  it('a reset during an SFTP upload is TargetConnectionLostError', async () => {
    const before = proxy.bytesUp();
    const writing = target.writeFile(join(scratch, 'work', 'big.bin'), randomBytes(32 * 1024 * 1024));
    writing.catch(() => undefined);
    await until(() => proxy.bytesUp() - before > 1024 * 1024);
    proxy.resetAll();
    await expect(writing).rejects.toBeInstanceOf(TargetConnectionLostError);
    await settle();
    expect(uncaught).toEqual([]);
  }, 60_000);

  it('many commands in flight on one connection all fail cleanly', async () => {
    const outputs = ['', '', ''];
    const runs = outputs.map((_, i) => target.exec({ argv: ['sh', '-c', 'while :; do echo tick; sleep 0.1; done'] }, { onStdout: (c) => (outputs[i] += c) }));
    for (const run of runs) run.catch(() => undefined);
    await until(() => outputs.every((o) => o.includes('tick')));
    proxy.resetAll();
    for (const run of runs) await expect(run).rejects.toBeInstanceOf(TargetConnectionLostError);
    await settle();
    expect(uncaught).toEqual([]);
  }, 60_000);

  it('a command with a timeout is killed on the host even when the connection to it is gone', async () => {
    // sshd is on this machine, so the remote process can be watched in /proc. Without the host's channel watcher (and,
    // where sshd misses the loss, its `timeout` backstop), a stalled engine outlives the dropped connection (no pty:
    // sshd sends it no signal) until it writes.
    let output = '';
    const running = target.exec({ argv: ['sh', '-c', 'sleep 300 & echo "child:$!"; wait'], timeoutMs: 3_000 }, { onStdout: (chunk) => (output += chunk) });
    running.catch(() => undefined);
    await until(() => /child:\d+/.test(output));
    const pid = Number(/child:(\d+)/.exec(output)![1]);
    proxy.resetAll();
    await expect(running).rejects.toBeInstanceOf(TargetConnectionLostError);
    expect(await waitGone(pid, 45_000)).toBe(true);
    await settle();
    expect(uncaught).toEqual([]);
  }, 90_000);

  it('a llama-server (server mode) dies with its SSH channel when the connection resets, before any next prompt', async () => {
    // Between requests the server writes nothing, so without a watcher on the host it would outlive the connection.
    const { binDir } = await ensureLlamaCppBuild({ tools: ['llama-server'] });
    const modelPath = join(scratch, 'tiny-coherent.gguf');
    await writeFile(modelPath, tinyModelBytes('coherent'));
    const generator = new ServerGenerator(target, flavours['llama.cpp'], { binDir, modelPath }, silentLogger);
    const gen = { ...benchConfigSchema.parse({}).generation, threads: 1 };
    let pid: number | undefined;
    try {
      const server = await generator.ensure(gen);
      pid = await serverPid(server.port);
      expect(pid, `no llama-server on port ${server.port}`).toBeGreaterThan(0);
      proxy.resetAll();
      const reset = performance.now();
      // a few seconds on an idle machine (sshd sees the reset at once); the bound leaves room for a loaded one
      expect(await waitGone(pid!, 15_000), `llama-server ${pid} still runs after its connection reset`).toBe(true);
      console.log(`llama-server gone ${((performance.now() - reset) / 1000).toFixed(2)} s after the reset`);
      expect(server.alive()).toBe(false);
      await settle();
      expect(uncaught).toEqual([]);
    } finally {
      if (pid && !(await waitGone(pid, 100))) process.kill(pid, 'SIGKILL'); // only when the test failed
      await generator.close();
    }
  }, 120_000);

  it('the RunPod tests\' ssh2 helper survives a reset after login and one after a refused key', async () => {
    const helper = await connectWithSsh2({ host: '127.0.0.1', port: proxy.port, username: sshd.username, privateKey: runpodKeys.privateKey });
    expect((await helper.exec({ argv: ['echo', 'ok'] })).stdout).toBe('ok\n');
    proxy.resetAll();
    await settle();
    const refused = connectWithSsh2({ host: '127.0.0.1', port: proxy.port, username: sshd.username, privateKey: generateSshKeyPair().privateKey });
    await expect(refused).rejects.toThrow(/authentication/i);
    proxy.resetAll();
    await settle();
    await helper.close();
    expect(uncaught).toEqual([]);
  }, 60_000);
});
