import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

/**
 * A real OpenSSH server (Debian's /usr/sbin/sshd, package openssh-server) on 127.0.0.1 for tests: throwaway
 * host and client keys in a temp dir, public-key login only, the current user may log in. Every caller
 * must `stop()` it (afterAll / finally); stop and kill end the listener and every per-connection process.
 */
export interface TestSshd {
  host: string;
  port: number;
  username: string;
  privateKey: Buffer;
  privateKeyPath: string;
  /** `SHA256:…` as printed by `ssh-keygen -l`. */
  hostKeyFingerprint: string;
  /** The temp dir holding keys, config and pid file; removed by stop(). */
  dir: string;
  /** sshd's stderr so far (`-e` logs there), for failing-test diagnostics. */
  log(): string;
  stop(): Promise<void>;
  /** Signal the listener and all its sessions at once, like a host that dies or freezes. */
  kill(signal: NodeJS.Signals): void;
  /** Start sshd again on the same port with the same keys (stopping it first if it still runs). */
  restart(): Promise<void>;
}

export interface SshdOptions {
  /** Listen here (e.g. a port a client is already retrying); default a free port. */
  port?: number;
  /** One more public key (authorized_keys line) allowed to log in, for a client whose key exists before the server. */
  authorizedKey?: string;
}

const SSHD = '/usr/sbin/sshd';
const run = promisify(execFile);

export function sshdAvailable(): boolean {
  return existsSync(SSHD);
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** An ed25519 key pair made by ssh-keygen, without passphrase. */
export async function generateKey(dir: string, name: string): Promise<{ privateKeyPath: string; privateKey: Buffer; publicKey: string; fingerprint: string }> {
  const privateKeyPath = join(dir, name);
  await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', `bench-test-${name}`, '-f', privateKeyPath]);
  const { stdout } = await run('ssh-keygen', ['-l', '-E', 'sha256', '-f', `${privateKeyPath}.pub`]);
  const fingerprint = stdout.split(/\s+/)[1] ?? '';
  return { privateKeyPath, privateKey: await readFile(privateKeyPath), publicKey: await readFile(`${privateKeyPath}.pub`, 'utf8'), fingerprint };
}

export async function startSshd(options: SshdOptions = {}): Promise<TestSshd> {
  if (!sshdAvailable()) throw new Error(`${SSHD} is missing: apt-get install -y openssh-server`);
  const dir = await mkdtemp(join(tmpdir(), 'bench-sshd-'));
  try {
    const hostKey = await generateKey(dir, 'host_ed25519');
    const clientKey = await generateKey(dir, 'client_ed25519');
    await writeFile(join(dir, 'authorized_keys'), [clientKey.publicKey, options.authorizedKey ?? ''].join('\n'));
    const port = options.port ?? (await freePort());
    const config = join(dir, 'sshd_config');
    await writeFile(config, sshdConfig(dir, port, hostKey.privateKeyPath));
    // Debian's sshd refuses to start without its privilege-separation folder (absent in containers).
    if (process.getuid?.() === 0) await mkdir('/run/sshd', { recursive: true, mode: 0o755 });

    let stderr = '';
    let child = await launch(config, (text) => (stderr += text));
    const stopChild = async (signal: NodeJS.Signals) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      signalTree(child.pid!, signal);
      await exited;
    };
    return {
      host: '127.0.0.1',
      port,
      username: userInfo().username,
      privateKey: clientKey.privateKey,
      privateKeyPath: clientKey.privateKeyPath,
      hostKeyFingerprint: hostKey.fingerprint,
      dir,
      log: () => stderr,
      kill: (signal) => signalTree(child.pid!, signal),
      async restart() {
        await stopChild('SIGKILL');
        child = await launch(config, (text) => (stderr += text));
      },
      async stop() {
        await stopChild('SIGKILL');
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

function sshdConfig(dir: string, port: number, hostKeyPath: string): string {
  return [
    `Port ${port}`,
    'ListenAddress 127.0.0.1',
    `HostKey ${hostKeyPath}`,
    `PidFile ${join(dir, 'sshd.pid')}`,
    `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
    'PubkeyAuthentication yes',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'UsePAM no',
    'StrictModes no',
    'PermitRootLogin prohibit-password',
    'MaxSessions 10',
    'Subsystem sftp internal-sftp',
    'LogLevel VERBOSE',
    '',
  ].join('\n');
}

/** Starts sshd in the foreground and resolves once it listens (it says so on stderr with `-e`). */
function launch(config: string, onStderr: (text: string) => void): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(SSHD, ['-D', '-e', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] });
    let output = '';
    const timer = setTimeout(() => (signalTree(child.pid!, 'SIGKILL'), reject(new Error(`sshd did not start listening within 10 s:\n${output}`))), 10_000);
    child.stderr!.setEncoding('utf8').on('data', (text: string) => {
      output += text;
      onStderr(text);
      if (/Server listening on/.test(output)) (clearTimeout(timer), resolve(child));
    });
    child.once('error', (error) => (clearTimeout(timer), reject(error)));
    child.once('exit', (code, signal) => (clearTimeout(timer), reject(new Error(`sshd exited (${code ?? signal}) before listening:\n${output}`))));
  });
}

/**
 * Sends `signal` to a process and all its descendants. sshd puts each connection in its own session
 * (setsid), so a process-group kill would leave the connections — and the commands on them — alive.
 */
function signalTree(pid: number, signal: NodeJS.Signals): void {
  for (const target of [pid, ...descendantsOf(pid)]) {
    try {
      process.kill(target, signal);
    } catch {} // already gone
  }
}

function descendantsOf(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const parent = parentOf(Number(entry));
    if (parent !== undefined) children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
  }
  const found: number[] = [];
  const queue = [root];
  while (queue.length > 0) for (const child of children.get(queue.shift()!) ?? []) (found.push(child), queue.push(child));
  return found;
}

/** Field 4 of /proc/<pid>/stat; the command name before it may contain spaces and parentheses. */
function parentOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined; // exited meanwhile
  }
}
