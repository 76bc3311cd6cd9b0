import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { registerSecret } from './redact.ts';

export interface SshKeyPair {
  /** `ssh-ed25519 AAAA… comment`, what RunPod's images append to authorized_keys from env PUBLIC_KEY. */
  publicKey: string;
  /** OpenSSH `-----BEGIN OPENSSH PRIVATE KEY-----` text; ssh2 and OpenSSH both read it. Registered as a secret. */
  privateKey: string;
}

/**
 * A fresh ed25519 pair per run, made in-process: no key file on disk, no reuse of the user's keys, and a
 * leaked pod key is worthless once the pod is gone. Node exports ed25519 private keys only as PKCS#8,
 * which ssh2 cannot parse, so the OpenSSH container format (PROTOCOL.key in OpenSSH) is written here.
 */
export function generateSshKeyPair(comment = 'bitnet-coherence-bench'): SshKeyPair {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const jwk = privateKey.export({ format: 'jwk' });
  const pub = Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url');
  const seed = Buffer.from(jwk.d!, 'base64url');
  const pubBlob = Buffer.concat([sshString('ssh-ed25519'), sshString(pub)]);

  const check = randomBytes(4);
  let priv = Buffer.concat([
    check,
    check,
    sshString('ssh-ed25519'),
    sshString(pub),
    sshString(Buffer.concat([seed, pub])),
    sshString(comment),
  ]);
  // Unencrypted keys are padded with 1, 2, 3 … to the cipher block size (8 for "none").
  const padding = (8 - (priv.length % 8)) % 8;
  priv = Buffer.concat([priv, Buffer.from(Array.from({ length: padding }, (_, i) => i + 1))]);

  const body = Buffer.concat([
    Buffer.from('openssh-key-v1\0', 'latin1'),
    sshString('none'),
    sshString('none'),
    sshString(''),
    uint32(1),
    sshString(pubBlob),
    sshString(priv),
  ]);
  const lines = body.toString('base64').match(/.{1,70}/g)!;
  const pair = {
    publicKey: `ssh-ed25519 ${pubBlob.toString('base64')} ${comment}`,
    privateKey: `-----BEGIN OPENSSH PRIVATE KEY-----\n${lines.join('\n')}\n-----END OPENSSH PRIVATE KEY-----\n`,
  };
  registerSecret(pair.privateKey);
  return pair;
}

function uint32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}

function sshString(value: string | Buffer): Buffer {
  const data = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
  return Buffer.concat([uint32(data.length), data]);
}
