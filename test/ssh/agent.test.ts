import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectSshTarget } from '../../harness/targets/ssh.ts';
import { startSshd, type TestSshd } from '../support/sshd.ts';

const run = promisify(execFile);

describe('ssh target: key from an ssh-agent', () => {
  let sshd: TestSshd;
  let scratch: string;
  let agent: ReturnType<typeof spawn> | undefined;
  let socket: string;

  beforeAll(async () => {
    sshd = await startSshd();
    scratch = await mkdtemp(join(tmpdir(), 'bench-ssh-agent-'));
    socket = join(scratch, 'agent.sock');
    agent = spawn('ssh-agent', ['-D', '-a', socket], { stdio: 'ignore' }); // foreground, stopped by pid below
    for (let i = 0; i < 50 && !existsSync(socket); i++) await new Promise((resolve) => setTimeout(resolve, 50));
    await run('ssh-add', ['-q', sshd.privateKeyPath], { env: { ...process.env, SSH_AUTH_SOCK: socket } });
  });
  afterAll(async () => {
    agent?.kill('SIGTERM');
    await sshd?.stop();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  it('logs in with the agent holding the key', async () => {
    const target = await connectSshTarget({ host: sshd.host, port: sshd.port, username: sshd.username, agent: socket, hostKey: { fingerprint: sshd.hostKeyFingerprint } });
    try {
      expect((await target.exec({ argv: ['echo', 'via agent'] })).stdout).toBe('via agent\n');
    } finally {
      await target.close();
    }
  });

  it('reports an agent without the key as an authentication failure', async () => {
    await run('ssh-add', ['-D'], { env: { ...process.env, SSH_AUTH_SOCK: socket } });
    const attempt = connectSshTarget({ host: sshd.host, port: sshd.port, username: sshd.username, agent: socket, hostKey: { fingerprint: sshd.hostKeyFingerprint }, connectRetry: { attempts: 3, initialDelayMs: 1_000, maxDelayMs: 1_000 } });
    await expect(attempt).rejects.toThrow(new RegExp(`refused the key for user ${sshd.username} \\(ssh-agent ${socket}\\)`));
  });
});
