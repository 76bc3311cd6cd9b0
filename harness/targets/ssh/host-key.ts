import { createHash } from 'node:crypto';
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { HarnessError } from '../../errors.ts';
import type { Logger } from '../../log.ts';

/** OpenSSH's fingerprint of a host key blob (the SSH wire encoding): `SHA256:` + unpadded base64. */
export function fingerprintOf(keyBlob: Buffer): string {
  return `SHA256:${createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '')}`;
}

/** Accepts `SHA256:abc`, `abc` and padded base64, so a value pasted from `ssh-keygen -l` or a console matches. */
export function normalizeFingerprint(fingerprint: string): string {
  const bare = fingerprint.trim().replace(/^SHA256:/i, '').replace(/=+$/, '');
  if (!/^[A-Za-z0-9+/]{43}$/.test(bare)) {
    throw new HarnessError('config', 'read configuration', `host key fingerprint ${JSON.stringify(fingerprint)} is not a SHA256 fingerprint`, 'give it as printed by `ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub`, e.g. SHA256:Zk3…');
  }
  return `SHA256:${bare}`;
}

/** The key type (`ssh-ed25519`, `ecdsa-sha2-nistp256`, …) is the first string of the blob. */
export function keyTypeOf(keyBlob: Buffer): string {
  const length = keyBlob.length >= 4 ? keyBlob.readUInt32BE(0) : 0;
  return keyBlob.subarray(4, 4 + length).toString('latin1') || 'unknown';
}

/** How OpenSSH names a host in known_hosts: bare for port 22, `[host]:port` otherwise. */
export function knownHostsName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

export interface HostKeyPolicy {
  /** `SHA256:…`: only this key is accepted. */
  fingerprint?: string;
  /** Trust on first use: the first key seen is recorded here; a different key later is refused. */
  knownHostsFile?: string;
}

/** Keys recorded for `name` in an OpenSSH-format known_hosts file (plain host names; hashed entries are not read). */
export async function readKnownKeys(file: string, name: string): Promise<Buffer[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const keys: Buffer[] = [];
  for (const line of text.split('\n')) {
    const [hosts, , base64] = line.trim().split(/\s+/);
    if (!hosts || hosts.startsWith('#') || hosts.startsWith('@') || !base64) continue;
    if (hosts.split(',').includes(name)) keys.push(Buffer.from(base64, 'base64'));
  }
  return keys;
}

/**
 * Checks the key the server presents against the policy. Returns a refusal (never throws), because
 * ssh2 only learns yes/no from the verifier; the caller raises the refusal instead of ssh2's vague
 * "Host denied".
 */
export async function checkHostKey(keyBlob: Buffer, policy: HostKeyPolicy, host: string, port: number, log: Logger): Promise<HarnessError | undefined> {
  const presented = fingerprintOf(keyBlob);
  const step = `verify host key of ${host}:${port}`;
  if (policy.fingerprint !== undefined && normalizeFingerprint(policy.fingerprint) !== presented) {
    return new HarnessError('infrastructure', step, `the server presented host key ${presented}, but ${normalizeFingerprint(policy.fingerprint)} was pinned; refusing to connect (possible man-in-the-middle, or the host was reinstalled)`, 'check the fingerprint on the host (`ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub`) and update the pinned fingerprint if the change is expected');
  }
  if (policy.knownHostsFile === undefined) return undefined;
  const name = knownHostsName(host, port);
  const known = await readKnownKeys(policy.knownHostsFile, name);
  if (known.some((key) => key.equals(keyBlob))) return undefined;
  if (known.length > 0) {
    return new HarnessError('infrastructure', step, `the host key of ${name} changed: ${policy.knownHostsFile} records ${known.map(fingerprintOf).join(', ')}, the server now presents ${presented}; refusing to connect (possible man-in-the-middle, or the host was reinstalled)`, `if the change is expected (new pod or reinstalled host), delete the ${name} line from ${policy.knownHostsFile} and connect again`);
  }
  await mkdir(dirname(policy.knownHostsFile), { recursive: true });
  await appendFile(policy.knownHostsFile, `${name} ${keyTypeOf(keyBlob)} ${keyBlob.toString('base64')}\n`);
  log.info(`trusting ${name} on first use: host key ${presented}, recorded in ${policy.knownHostsFile}`);
  return undefined;
}
