import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalTarget } from '../../harness/targets/local.ts';
import { connectSshTarget, type SshTarget } from '../../harness/targets/ssh.ts';
import { startSshd, type TestSshd } from '../support/sshd.ts';

describe('ssh target against a real sshd: commands and files', () => {
  let sshd: TestSshd;
  let target: SshTarget;
  let scratch: string;

  beforeAll(async () => {
    sshd = await startSshd();
    scratch = await mkdtemp(join(tmpdir(), 'bench-ssh-exec-'));
    target = await connectSshTarget({ ...sshd, hostKey: { fingerprint: sshd.hostKeyFingerprint }, workDir: join(scratch, 'work') });
  });
  afterAll(async () => {
    await target?.close();
    await sshd?.stop();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  it('runs a command and reports exit code, stdout and stderr separately', async () => {
    const result = await target.exec({ argv: ['sh', '-c', 'echo out; echo err >&2; exit 3'] });
    expect(result).toMatchObject({ exitCode: 3, signal: null, stdout: 'out\n', stderr: 'err\n', timedOut: false });
    expect(target.label).toBe(`ssh ${sshd.username}@127.0.0.1:${sshd.port}`);
  });

  it('streams output live, before the command ends', async () => {
    const seen: Array<{ chunk: string; at: number }> = [];
    const started = performance.now();
    const result = await target.exec({ argv: ['sh', '-c', 'echo first; sleep 0.6; echo second'] }, { onStdout: (chunk) => seen.push({ chunk, at: performance.now() - started }) });
    expect(result.stdout).toBe('first\nsecond\n');
    expect(seen[0]?.chunk).toBe('first\n');
    expect(seen[0]!.at).toBeLessThan(result.durationMs - 400); // arrived while the command still slept
  });

  it('applies cwd and env, and reports a missing program as exit 127', async () => {
    const cwd = join(scratch, "dir with 'quotes' and $dollar");
    await target.writeFile(join(cwd, 'marker'), 'x');
    const result = await target.exec({ argv: ['sh', '-c', 'pwd; printf %s "$GREETING"'], cwd, env: { GREETING: "it's $(not) run" } });
    expect(result.stdout).toBe(`${cwd}\nit's $(not) run`);
    const missing = await target.exec({ argv: ['no-such-program-bench'] });
    expect(missing.exitCode).toBe(127);
  });

  it('gives a command EOF on stdin instead of hanging', async () => {
    const result = await target.exec({ argv: ['cat'], timeoutMs: 5_000 });
    expect(result).toMatchObject({ exitCode: 0, stdout: '', timedOut: false });
  });

  it('kills a command at its timeout and reports timedOut', async () => {
    const marker = join(scratch, 'survived-timeout');
    const result = await target.exec({ argv: ['sh', '-c', `sleep 1; touch '${marker}'`], timeoutMs: 300 });
    expect(result.timedOut).toBe(true);
    expect(result.exitCode).toBeNull();
    expect(result.signal).toBe('SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    expect(existsSync(marker)).toBe(false); // the remote program was killed, not just abandoned
  });

  for (const [abortAfterMs, seconds] of [[200, '29.0371'], [0, '29.0372']] as const) {
    it(`rejects on abort ${abortAfterMs} ms after the call and kills the remote command`, async () => {
      const controller = new AbortController();
      const running = target.exec({ argv: ['sleep', seconds] }, {}, controller.signal);
      setTimeout(() => controller.abort(), abortAfterMs);
      await expect(running).rejects.toMatchObject({ name: 'AbortError' });
      // The kill lands on a second channel shortly after the rejection.
      const check = await target.exec({ argv: ['sh', '-c', `sleep 1; pgrep -x -f "sleep ${seconds}" || echo none`] });
      expect(check.stdout.trim()).toBe('none');
    });
  }

  it('queues 12 concurrent commands on one connection (OpenSSH allows 10 sessions)', async () => {
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => target.exec({ argv: ['sh', '-c', 'sleep 0.3; printf %s "$0"', `job-${i}`] })));
    expect(results.map((r) => [r.exitCode, r.stdout])).toEqual(Array.from({ length: 12 }, (_, i) => [0, `job-${i}`]));
  });

  it('moves binary data over SFTP both ways, creating parent folders', async () => {
    const bytes = Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 7919) % 256));
    const remote = join(target.workDir, 'deep', 'er', 'blob.bin');
    await target.writeFile(remote, bytes);
    expect((await target.readFile(remote)).equals(bytes)).toBe(true);
    const sha = await target.exec({ argv: ['sha256sum', remote] });
    expect(sha.stdout.split(' ')[0]).toBe(createHash('sha256').update(bytes).digest('hex'));

    const local = new LocalTarget(scratch);

    const script = join(scratch, 'local', 'run.sh');
    await local.writeFile(script, '#!/bin/sh\necho from-script\n');
    await local.exec({ argv: ['chmod', '755', script] });
    const uploaded = join(target.workDir, 'scripts', 'run.sh');
    await target.putFile(script, uploaded);
    expect((await target.exec({ argv: [uploaded] })).stdout).toBe('from-script\n'); // still executable
    const downloaded = join(scratch, 'back', 'blob.bin');
    await target.getFile(remote, downloaded);
    expect((await readFile(downloaded)).equals(bytes)).toBe(true);
  });

  it('resolves ~ and relative paths against the remote home', async () => {
    expect(target.workDir).toBe(join(scratch, 'work'));
    const home = (await target.exec({ argv: ['sh', '-c', 'printf %s "$HOME"'] })).stdout;
    const name = `bench-ssh-test-${process.pid}-${Date.now()}.txt`;
    try {
      await target.writeFile(`~/${name}`, 'home');
      expect(await readFile(join(home, name), 'utf8')).toBe('home');
      expect((await target.readFile(name)).toString()).toBe('home');
    } finally {
      await rm(join(home, name), { force: true });
    }
  });

  it('describes the machine exactly as the local target does (same host over loopback)', async () => {
    expect(await target.describe()).toEqual(await new LocalTarget(scratch).describe());
  });

  it('reads back a file written locally with nasty content byte for byte', async () => {
    const file = join(scratch, 'nasty.txt');
    const content = "'; touch /tmp/x #\n$(id)\n`id`\n\u00e9\u65e5\u672c\r\n\u0000end";
    await writeFile(file, content);
    expect((await target.readFile(file)).toString()).toBe(content);
  });
});
