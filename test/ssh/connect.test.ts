import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HarnessError } from '../../harness/errors.ts';
import type { Logger } from '../../harness/log.ts';
import { connectSshTarget } from '../../harness/targets/ssh.ts';
import { freePort, generateKey, startSshd, type TestSshd } from '../support/sshd.ts';

function recordingLogger(): Logger & { warnings: string[]; infos: string[] } {
  const warnings: string[] = [];
  const infos: string[] = [];
  return { warnings, infos, info: (m) => infos.push(m), warn: (m) => warnings.push(m), debug() {} };
}

const fastRetry = { attempts: 4, initialDelayMs: 100, maxDelayMs: 400 };

describe('ssh target: connecting to a real sshd', () => {
  let scratch: string;
  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'bench-ssh-connect-'));
  });
  afterAll(async () => {
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  it('retries while the host refuses connections and connects once sshd is up (boot race)', async () => {
    const port = await freePort();
    const knownHostsFile = join(scratch, 'boot-race-known_hosts');
    const clientKey = await generateKey(scratch, 'boot-race-client');
    const log = recordingLogger();
    let sshd: Promise<TestSshd> | undefined;
    const late = setTimeout(() => (sshd = startSshd({ port, authorizedKey: clientKey.publicKey })), 1_000);
    try {
      const target = await connectSshTarget({ host: '127.0.0.1', port, username: userInfo().username, privateKeyPath: clientKey.privateKeyPath, hostKey: { knownHostsFile }, connectRetry: { attempts: 10, initialDelayMs: 200, maxDelayMs: 800 } }, log);
      try {
        expect((await target.exec({ argv: ['echo', 'up'] })).stdout).toBe('up\n');
      } finally {
        await target.close();
      }
      expect(log.warnings.length).toBeGreaterThanOrEqual(1);
      expect(log.warnings[0]).toMatch(/ECONNREFUSED.*retrying in 200 ms/);
      const recorded = (await readFile(knownHostsFile, 'utf8')).trim().split('\n');
      expect(recorded).toHaveLength(1);
      expect(recorded[0]).toMatch(new RegExp(`^\\[127\\.0\\.0\\.1\\]:${port} ssh-ed25519 `));
      expect(log.infos.join('\n')).toContain((await sshd!).hostKeyFingerprint);
    } finally {
      clearTimeout(late);
      await (await sshd?.catch(() => undefined))?.stop();
    }
  });

  it('gives up after the configured attempts with a clear error when nothing listens', async () => {
    const port = await freePort();
    const log = recordingLogger();
    const { privateKeyPath } = await generateKey(scratch, 'nobody-listens');
    const attempt = connectSshTarget({ host: '127.0.0.1', port, username: 'root', privateKeyPath, hostKey: { knownHostsFile: join(scratch, 'unused') }, connectRetry: { attempts: 3, initialDelayMs: 50, maxDelayMs: 100 } }, log);
    await expect(attempt).rejects.toThrow(/no SSH connection after 3 attempts.*ECONNREFUSED/);
    await expect(attempt).rejects.toBeInstanceOf(HarnessError);
    expect(log.warnings).toHaveLength(2);
  });

  it('retries a server that accepts but never speaks SSH (handshake timeout)', async () => {
    const accepted: Socket[] = [];
    const silent = createServer((socket) => accepted.push(socket.on('error', () => undefined))); // accepts, says nothing
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = silent.address() as AddressInfo;
      const log = recordingLogger();
      const { privateKeyPath } = await generateKey(scratch, 'silent-server');
      const attempt = connectSshTarget({ host: '127.0.0.1', port, username: 'root', privateKeyPath, hostKey: { knownHostsFile: join(scratch, 'unused') }, readyTimeoutMs: 300, connectRetry: { attempts: 2, initialDelayMs: 50, maxDelayMs: 50 } }, log);
      await expect(attempt).rejects.toThrow(/no SSH connection after 2 attempts.*Timed out while waiting for handshake/);
      expect(log.warnings).toHaveLength(1);
    } finally {
      for (const socket of accepted) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  describe('against a running server', () => {
    let sshd: TestSshd;
    beforeAll(async () => {
      sshd = await startSshd();
    });
    afterAll(async () => {
      await sshd?.stop();
    });

    it('refuses a host key that does not match the pinned fingerprint, without retrying', async () => {
      const other = await generateKey(scratch, 'other-host');
      const log = recordingLogger();
      const attempt = connectSshTarget({ ...sshd, hostKey: { fingerprint: other.fingerprint }, connectRetry: fastRetry }, log);
      await expect(attempt).rejects.toThrow(`the server presented host key ${sshd.hostKeyFingerprint}, but ${other.fingerprint} was pinned`);
      await expect(attempt).rejects.toMatchObject({ kind: 'infrastructure', hint: expect.stringMatching(/ssh-keygen -lf/) });
      expect(log.warnings).toEqual([]);
    });

    it('accepts the pinned fingerprint in any common spelling', async () => {
      for (const fingerprint of [sshd.hostKeyFingerprint, sshd.hostKeyFingerprint.slice('SHA256:'.length), `${sshd.hostKeyFingerprint}=`]) {
        const target = await connectSshTarget({ ...sshd, hostKey: { fingerprint } });
        await target.close();
      }
    });

    it('refuses a wrong user key with a clear authentication error, without retrying', async () => {
      const stranger = await generateKey(scratch, 'stranger');
      const log = recordingLogger();
      const started = performance.now();
      const attempt = connectSshTarget({ ...sshd, privateKey: undefined, privateKeyPath: stranger.privateKeyPath, hostKey: { fingerprint: sshd.hostKeyFingerprint }, connectRetry: { attempts: 5, initialDelayMs: 1_000, maxDelayMs: 1_000 } }, log);
      await expect(attempt).rejects.toThrow(new RegExp(`refused the key for user ${sshd.username} \\(key file ${stranger.privateKeyPath}\\)`));
      await expect(attempt).rejects.toMatchObject({ hint: expect.stringMatching(/authorized_keys/) });
      expect(log.warnings).toEqual([]);
      expect(performance.now() - started).toBeLessThan(1_000); // no backoff sleeps happened
    });

    it('names what to fix for unusable options', async () => {
      await expect(connectSshTarget({ ...sshd, privateKey: undefined, privateKeyPath: join(scratch, 'missing-key') })).rejects.toThrow(/cannot read private key file .*missing-key/);
      await expect(connectSshTarget({ ...sshd, privateKey: 'not a key' , hostKey: { fingerprint: sshd.hostKeyFingerprint } })).rejects.toThrow(/private key \(key file .*\) cannot be used/);
      await expect(connectSshTarget({ ...sshd, hostKey: { fingerprint: 'MD5:aa:bb' } })).rejects.toThrow(/is not a SHA256 fingerprint/);
      await expect(connectSshTarget({ ...sshd, port: 70_000 })).rejects.toThrow(/port 70000 is not a TCP port/);
      await expect(connectSshTarget({ host: '127.0.0.1', port: sshd.port, username: 'root' })).rejects.toThrow(/no way to authenticate/);
    });

    it('queues channels: without the limit, OpenSSH refuses the 11th session on a connection', async () => {
      const unlimited = await connectSshTarget({ ...sshd, hostKey: { fingerprint: sshd.hostKeyFingerprint }, maxConcurrentChannels: 12 });
      try {
        const outcomes = await Promise.allSettled(Array.from({ length: 12 }, () => unlimited.exec({ argv: ['sleep', '0.5'] })));
        const refused = outcomes.filter((o) => o.status === 'rejected');
        expect(refused.length).toBeGreaterThan(0);
        expect(String((refused[0] as PromiseRejectedResult).reason.message)).toMatch(/refused to open a session channel/);
      } finally {
        await unlimited.close();
      }
    });

    it('leaves no open socket behind after close()', async () => {
      const sockets = () => process.getActiveResourcesInfo().filter((r) => r === 'TCPSocketWrap').length;
      const before = sockets();
      const target = await connectSshTarget({ ...sshd, hostKey: { fingerprint: sshd.hostKeyFingerprint } });
      await target.exec({ argv: ['true'] });
      expect(sockets()).toBe(before + 1);
      await target.close();
      await new Promise((resolve) => setImmediate(resolve));
      expect(sockets()).toBe(before);
      await expect(target.exec({ argv: ['true'] })).rejects.toThrow(/the target was closed/);
    });
  });

  it('trusts a host on first use and refuses it once its key changed', async () => {
    const knownHostsFile = join(scratch, 'tofu', 'known_hosts');
    const first = await startSshd();
    const port = first.port;
    try {
      for (let i = 0; i < 2; i++) {
        const target = await connectSshTarget({ ...first, hostKey: { knownHostsFile } });
        await target.close();
      }
      expect((await readFile(knownHostsFile, 'utf8')).trim().split('\n')).toHaveLength(1); // recorded once, then matched
    } finally {
      await first.stop();
    }
    const reinstalled = await startSshd({ port }); // same address, new host key
    try {
      const log = recordingLogger();
      const attempt = connectSshTarget({ ...reinstalled, hostKey: { knownHostsFile }, connectRetry: fastRetry }, log);
      await expect(attempt).rejects.toThrow(`the host key of [127.0.0.1]:${port} changed: ${knownHostsFile} records ${first.hostKeyFingerprint}, the server now presents ${reinstalled.hostKeyFingerprint}`);
      await expect(attempt).rejects.toMatchObject({ hint: expect.stringContaining(`delete the [127.0.0.1]:${port} line from ${knownHostsFile}`) });
      expect(log.warnings).toEqual([]);
    } finally {
      await reinstalled.stop();
    }
  });
});
