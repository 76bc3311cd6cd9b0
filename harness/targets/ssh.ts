import { setMaxListeners } from 'node:events';
import { posix } from 'node:path';
import { HarnessError } from '../errors.ts';
import { silentLogger, type Logger } from '../log.ts';
import { describeMachine } from './describe.ts';
import { connectWithRetry, type ConnectionSettings } from './ssh/connect.ts';
import { resolveSettings, type SshTargetOptions } from './ssh/options.ts';
import { runCommand, type LiveConnection } from './ssh/run-command.ts';
import { Semaphore } from './ssh/semaphore.ts';
import { getRemoteFile, putRemoteFile, readRemoteFile, withSftp, writeRemoteFile } from './ssh/sftp.ts';
import { type CommandResult, type CommandSpec, type MachineInfo, type StreamHandlers, type Target, TOOL_TIMEOUT_MS } from './target.ts';

export type { SshTargetOptions } from './ssh/options.ts';

/** How long close() waits for the server to acknowledge the disconnect before dropping the socket. */
const CLOSE_GRACE_MS = 2_000;

/**
 * A host reached over SSH (a pod, a bare-metal box, a Mac on the desk). The connection is opened on
 * demand and reopened after a drop, so a lost connection costs one command, never the whole run.
 */
export class SshTarget implements Target {
  readonly kind = 'ssh' as const;
  readonly label: string;
  #workDir = '';
  #home = '';
  readonly #settings: ConnectionSettings;
  readonly #log: Logger;
  readonly #channels: Semaphore;
  readonly #closing = new AbortController();
  #current?: LiveConnection;
  #pending?: Promise<LiveConnection>;
  #machine?: Promise<MachineInfo>;

  private constructor(settings: ConnectionSettings, maxConcurrentChannels: number, log: Logger) {
    this.#settings = settings;
    this.#log = log;
    this.#channels = new Semaphore(maxConcurrentChannels);
    this.label = `ssh ${settings.username}@${settings.host}:${settings.port}`;
  }

  /** Connects (with retries) and resolves the remote home and work folder. */
  static async connect(options: SshTargetOptions, log: Logger = silentLogger): Promise<SshTarget> {
    const settings = await resolveSettings(options);
    const target = new SshTarget(settings, options.maxConcurrentChannels ?? 8, log);
    const home = await target.exec({ argv: ['sh', '-c', 'printf %s "$HOME"'], timeoutMs: TOOL_TIMEOUT_MS });
    if (home.exitCode !== 0 || !home.stdout.startsWith('/')) {
      await target.close();
      throw new HarnessError('infrastructure', `connect to ${target.label}`, `cannot find the home folder of ${settings.username} (exit ${home.exitCode}, output ${JSON.stringify(home.stdout + home.stderr)})`, 'the login shell must be POSIX (sh, bash, zsh) and $HOME set');
    }
    target.#home = home.stdout;
    target.#workDir = target.#remotePath(options.workDir ?? '~/bitnet-bench');
    return target;
  }

  get workDir(): string {
    return this.#workDir;
  }

  exec(spec: CommandSpec, handlers: StreamHandlers = {}, signal?: AbortSignal): Promise<CommandResult> {
    return this.#channels.with(async () => runCommand(await this.#live(), spec, handlers, signal, (pid) => this.#killProcessGroup(pid)));
  }

  writeFile(remotePath: string, data: string | Uint8Array): Promise<void> {
    const path = this.#remotePath(remotePath);
    return this.#sftp(`write ${path}`, (sftp) => writeRemoteFile(sftp, path, data));
  }

  readFile(remotePath: string): Promise<Buffer> {
    const path = this.#remotePath(remotePath);
    return this.#sftp(`read ${path}`, (sftp) => readRemoteFile(sftp, path));
  }

  putFile(localPath: string, remotePath: string): Promise<void> {
    const path = this.#remotePath(remotePath);
    return this.#sftp(`upload ${localPath} to ${path}`, (sftp) => putRemoteFile(sftp, localPath, path));
  }

  getFile(remotePath: string, localPath: string): Promise<void> {
    const path = this.#remotePath(remotePath);
    return this.#sftp(`download ${path}`, (sftp) => getRemoteFile(sftp, path, localPath));
  }

  describe(): Promise<MachineInfo> {
    this.#machine ??= describeMachine(this);
    return this.#machine;
  }

  async close(): Promise<void> {
    this.#closing.abort(new HarnessError('infrastructure', `connect to ${this.label}`, 'the target was closed'));
    const connection = this.#current;
    this.#current = undefined;
    if (!connection || connection.lost.aborted) return;
    connection.client.end();
    const closed = new Promise((resolve) => connection.lost.addEventListener('abort', resolve, { once: true }));
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([closed, new Promise((resolve) => (timer = setTimeout(resolve, CLOSE_GRACE_MS)))]);
    clearTimeout(timer);
    connection.client.destroy(); // no-op when already closed; otherwise no socket may keep the process alive
  }

  /** For timeouts and aborts; sshd makes each session's process a group leader. */
  #killProcessGroup(pid: number): Promise<CommandResult> {
    return this.exec({ argv: ['kill', '-KILL', '--', `-${pid}`], timeoutMs: 10_000 });
  }

  /** `~`, `~/x` and relative paths are relative to the remote home, as in scp; SFTP does not expand `~`. */
  #remotePath(path: string): string {
    if (path === '~') return this.#home;
    if (path.startsWith('~/')) return posix.join(this.#home, path.slice(2));
    return posix.resolve(this.#home || '/', path);
  }

  #sftp<T>(what: string, task: Parameters<typeof withSftp<T>>[2]): Promise<T> {
    return this.#channels.with(async () => withSftp(await this.#live(), what, task));
  }

  /** The open connection, or a new one (with the retry policy) after a drop. Concurrent callers share one attempt. */
  #live(): Promise<LiveConnection> {
    if (this.#closing.signal.aborted) return Promise.reject(this.#closing.signal.reason);
    if (this.#current && !this.#current.lost.aborted) return Promise.resolve(this.#current);
    this.#pending ??= this.#open().finally(() => (this.#pending = undefined));
    return this.#pending;
  }

  async #open(): Promise<LiveConnection> {
    if (this.#current) this.#log.info(`${this.label}: reconnecting after the connection dropped`);
    const client = await connectWithRetry(this.#settings, this.#log, this.#closing.signal);
    const lost = new AbortController();
    setMaxListeners(0, lost.signal); // every command in flight listens for the loss; the semaphore bounds them
    client.once('close', () => {
      lost.abort();
      if (!this.#closing.signal.aborted) this.#log.warn(`${this.label}: connection closed`);
    });
    if (this.#closing.signal.aborted) {
      client.destroy(); // close() ran while this attempt was in flight
      throw this.#closing.signal.reason;
    }
    this.#current = { client, lost: lost.signal, label: this.label.slice('ssh '.length) };
    return this.#current;
  }
}

/** Connects to a host over SSH; see docs/ssh.md for the options and the host-key policy. */
export function connectSshTarget(options: SshTargetOptions, log?: Logger): Promise<SshTarget> {
  return SshTarget.connect(options, log);
}
