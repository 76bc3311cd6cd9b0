import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, utils } from 'ssh2';
import { describe, expect, it, vi } from 'vitest';
import { generateSshKeyPair } from '../../harness/providers/runpod/keys.ts';
import { redact } from '../../harness/providers/runpod/redact.ts';
import { startSshd } from '../support/sshd.ts';
import { connectWithSsh2 } from '../support/ssh2-connect.ts';

describe('per-run ed25519 key pair', () => {
  it('is parsed by ssh2, and its public half matches', () => {
    const keys = generateSshKeyPair('bench-test');
    const priv = utils.parseKey(keys.privateKey);
    const pub = utils.parseKey(keys.publicKey);
    if (priv instanceof Error) throw priv;
    if (pub instanceof Error) throw pub;
    expect(priv.type).toBe('ssh-ed25519');
    expect(priv.isPrivateKey()).toBe(true);
    expect(priv.getPublicSSH().equals(pub.getPublicSSH())).toBe(true);
    // The key can sign, and the public half verifies it.
    const data = Buffer.from('handshake');
    const signature = priv.sign(data);
    if (signature instanceof Error) throw signature;
    expect(pub.verify(data, signature)).toBe(true);
  });

  it('is read by OpenSSH: ssh-keygen derives the same public key', () => {
    const keys = generateSshKeyPair('bench-test');
    const dir = mkdtempSync(join(tmpdir(), 'bench-key-'));
    try {
      writeFileSync(join(dir, 'id'), keys.privateKey, { mode: 0o600 });
      const derived = spawnSync('ssh-keygen', ['-y', '-f', join(dir, 'id')], { encoding: 'utf8' });
      expect(derived.status, derived.stderr).toBe(0);
      expect(derived.stdout.trim().split(' ').slice(0, 2)).toEqual(keys.publicKey.split(' ').slice(0, 2));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('differs every run and is registered for redaction', () => {
    const a = generateSshKeyPair();
    const b = generateSshKeyPair();
    expect(a.privateKey).not.toBe(b.privateKey);
    const body = (key: string) => key.split('\n')[1]!;
    const out = redact(`oops ${a.privateKey} and ${JSON.stringify(b.privateKey)} and ${body(b.privateKey)}`);
    expect(out).toMatch(/^oops \[REDACTED\]/);
    expect(out).not.toContain(body(a.privateKey));
    expect(out).not.toContain(body(b.privateKey));
  });

  it('logs in to a real sshd that trusts the public key', async () => {
    const keys = generateSshKeyPair();
    const sshd = await startSshd({ authorizedKey: keys.publicKey });
    try {
      const target = await connectWithSsh2({ host: sshd.host, port: sshd.port, username: sshd.username, privateKey: keys.privateKey });
      const result = await target.exec({ argv: ['echo', "it's alive"] });
      expect(result.stdout).toBe("it's alive\n");
      await target.close();
      // A different key is refused.
      const other = generateSshKeyPair();
      await expect(connectWithSsh2({ host: sshd.host, port: sshd.port, username: sshd.username, privateKey: other.privateKey })).rejects.toThrow(/authentication/i);
    } finally {
      await sshd.stop();
    }
  });

  it('survives the socket error ssh2 may emit after a refused key (an unhandled ECONNRESET failed CI under load)', async () => {
    const keys = generateSshKeyPair();
    const sshd = await startSshd({ authorizedKey: keys.publicKey });
    const clients: Client[] = [];
    const connect = Client.prototype.connect;
    const spy = vi.spyOn(Client.prototype, 'connect').mockImplementation(function (this: Client, config) {
      clients.push(this);
      return connect.call(this, config);
    });
    try {
      const other = generateSshKeyPair();
      await expect(connectWithSsh2({ host: sshd.host, port: sshd.port, username: sshd.username, privateKey: other.privateKey })).rejects.toThrow(/authentication/i);
      // What the server's reset looks like to the client, after the refusal was already reported. Without a
      // lasting 'error' listener, emit() throws it: in a real run, an uncaught exception mid-pod.
      expect(() => clients[0]!.emit('error', Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }))).not.toThrow();
    } finally {
      spy.mockRestore();
      await sshd.stop();
    }
  });
});
