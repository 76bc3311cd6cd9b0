import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cacheDir } from '../../cache.ts';
import { ConfigError } from '../../errors.ts';
import type { ConnectionSettings, RetryPolicy } from './connect.ts';
import { normalizeFingerprint } from './host-key.ts';

export interface SshTargetOptions {
  host: string;
  port: number;
  username: string;
  /** Private key contents (OpenSSH or PEM, unencrypted). Used first when several key sources are given. */
  privateKey?: string | Buffer;
  /** Or a private key file. */
  privateKeyPath?: string;
  /** Or an ssh-agent socket (SSH_AUTH_SOCK). */
  agent?: string;
  /**
   * Host-key check. `fingerprint` pins one key (`SHA256:…`); `knownHostsFile` trusts the first key seen and
   * refuses a different one later. Neither: trust on first use in `<cache>/known_hosts`.
   */
  hostKey?: { fingerprint?: string; knownHostsFile?: string };
  /** Per attempt: TCP connect plus SSH handshake. Default 20 s. */
  readyTimeoutMs?: number;
  /** SSH keepalive; a connection is declared lost after 3 unanswered ones. Default 15 s. */
  keepaliveIntervalMs?: number;
  /** Retries while the host refuses or stalls connections. Default 8 attempts, 0.5 s doubling to 10 s. */
  connectRetry?: RetryPolicy;
  /** Folder the harness owns on the host. Default `~/bitnet-bench`; `~` and relative paths are resolved against the remote home. */
  workDir?: string;
  /** Session channels open at once on the connection (commands + SFTP). Default 8; OpenSSH's MaxSessions is 10. */
  maxConcurrentChannels?: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 8, initialDelayMs: 500, maxDelayMs: 10_000 };

export function defaultKnownHostsFile(): string {
  return join(cacheDir(), 'known_hosts');
}

/** Checks the options and turns them into connection settings; every mistake gets a ConfigError saying what to fix. */
export async function resolveSettings(options: SshTargetOptions): Promise<ConnectionSettings> {
  const { host, port, username } = options;
  if (typeof host !== 'string' || host.trim() === '') throw new ConfigError('ssh target: host is empty', 'set the host name or IP address (BENCH_SSH_HOST)');
  if (!Number.isInteger(port) || port < 1 || port > 65_535) throw new ConfigError(`ssh target: port ${port} is not a TCP port`, 'use a whole number from 1 to 65535 (BENCH_SSH_PORT, usually 22)');
  if (typeof username !== 'string' || username === '') throw new ConfigError('ssh target: username is empty', 'set the user to log in as (BENCH_SSH_USER)');
  if (options.privateKey === undefined && options.privateKeyPath === undefined && options.agent === undefined) {
    throw new ConfigError('ssh target: no way to authenticate: give privateKey, privateKeyPath or agent', 'point BENCH_SSH_KEY at a private key file, or run an ssh-agent (SSH_AUTH_SOCK) holding the key');
  }
  const retry = options.connectRetry ?? DEFAULT_RETRY;
  if (!(retry.attempts >= 1 && retry.initialDelayMs >= 0 && retry.maxDelayMs >= retry.initialDelayMs)) {
    throw new ConfigError(`ssh target: connectRetry ${JSON.stringify(retry)} is inconsistent`, 'use attempts ≥ 1 and 0 ≤ initialDelayMs ≤ maxDelayMs');
  }
  const fingerprint = options.hostKey?.fingerprint;
  if (fingerprint !== undefined) normalizeFingerprint(fingerprint); // throws a clear error on a malformed value
  const pinnedOnly = fingerprint !== undefined && options.hostKey?.knownHostsFile === undefined;
  return {
    host,
    port,
    username,
    ...(await authentication(options)),
    hostKey: { fingerprint, knownHostsFile: pinnedOnly ? undefined : (options.hostKey?.knownHostsFile ?? defaultKnownHostsFile()) },
    readyTimeoutMs: options.readyTimeoutMs ?? 20_000,
    keepaliveIntervalMs: options.keepaliveIntervalMs ?? 15_000,
    retry,
  };
}

/** One key source, by precedence: key contents, then key file, then agent. */
async function authentication(options: SshTargetOptions): Promise<Pick<ConnectionSettings, 'privateKey' | 'agent' | 'keySource'>> {
  if (options.privateKey !== undefined) return { privateKey: options.privateKey, keySource: options.privateKeyPath ? `key file ${options.privateKeyPath}` : 'key given inline' };
  if (options.privateKeyPath !== undefined) return { privateKey: await readKeyFile(options.privateKeyPath), keySource: `key file ${options.privateKeyPath}` };
  return { agent: options.agent, keySource: `ssh-agent ${options.agent}` };
}

async function readKeyFile(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    throw new ConfigError(`ssh target: cannot read private key file ${path}: ${(error as Error).message}`, 'check BENCH_SSH_KEY points at your private key (e.g. ~/.ssh/id_ed25519), not the .pub file');
  }
}
