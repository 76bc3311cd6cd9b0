import { chmod, mkdir, stat } from 'node:fs/promises';
import { dirname, posix } from 'node:path';
import type ssh2 from 'ssh2';
import { HarnessError, TargetConnectionLostError } from '../../errors.ts';
import type { LiveConnection } from './run-command.ts';

type Sftp = ssh2.SFTPWrapper;

/** SFTP status code for a missing path (draft-ietf-secsh-filexfer, SSH_FX_NO_SUCH_FILE). */
const NO_SUCH_FILE = 2;

/**
 * Opens an SFTP channel for one operation and closes it afterwards. One channel per operation keeps
 * reconnects simple (no cached handle from a dead connection); the harness moves a handful of files.
 */
export async function withSftp<T>(connection: LiveConnection, what: string, task: (sftp: Sftp) => Promise<T>): Promise<T> {
  let sftp: Sftp | undefined;
  // ssh2 leaves an SFTP request pending forever when the connection drops mid-transfer: the loss ends the wait.
  let onLost = () => undefined as void;
  const lost = new Promise<never>((_, reject) => (onLost = () => reject(new Error('connection lost'))));
  connection.lost.addEventListener('abort', onLost, { once: true });
  if (connection.lost.aborted) onLost();
  lost.catch(() => undefined);
  try {
    sftp = await Promise.race([lost, new Promise<Sftp>((resolve, reject) => connection.client.sftp((error, opened) => (error ? reject(error) : resolve(opened))))]);
    // A protocol error is emitted as an event as well as failing the pending request; unheard, it would crash the harness.
    sftp.on('error', () => undefined);
    return await Promise.race([lost, task(sftp)]);
  } catch (error) {
    if (connection.lost.aborted) throw new TargetConnectionLostError(`the SSH connection dropped during ${what} on ${connection.label}`, { cause: error });
    if (error instanceof HarnessError) throw error;
    throw new HarnessError('infrastructure', `${what} on ${connection.label}`, (error as Error).message, 'check the path and its permissions on the host, and that its sshd offers the sftp subsystem', { cause: error });
  } finally {
    connection.lost.removeEventListener('abort', onLost);
    sftp?.end();
  }
}

const call = <T>(run: (callback: (error: Error | null | undefined, value: T) => void) => void): Promise<T> =>
  new Promise((resolve, reject) => run((error, value) => (error ? reject(error) : resolve(value))));

/** `mkdir -p` over SFTP, for an absolute remote path. */
export async function makeRemoteDirs(sftp: Sftp, dir: string): Promise<void> {
  let path = '';
  for (const part of posix.normalize(dir).split('/').filter(Boolean)) {
    path += `/${part}`;
    const existing = await call<ssh2.Stats>((cb) => sftp.stat(path, cb)).catch((error: { code?: number }) => {
      if (error.code === NO_SUCH_FILE) return undefined;
      throw error;
    });
    if (existing?.isDirectory()) continue;
    if (existing) throw new Error(`${path} exists and is not a folder`);
    await call<void>((cb) => sftp.mkdir(path, cb)).catch(async (error) => {
      // Another operation may have created it in between.
      const now = await call<ssh2.Stats>((cb) => sftp.stat(path, cb)).catch(() => undefined);
      if (!now?.isDirectory()) throw error;
    });
  }
}

export async function writeRemoteFile(sftp: Sftp, path: string, data: string | Uint8Array): Promise<void> {
  await makeRemoteDirs(sftp, posix.dirname(path));
  await call<void>((cb) => sftp.writeFile(path, typeof data === 'string' ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength), cb));
}

export function readRemoteFile(sftp: Sftp, path: string): Promise<Buffer> {
  return call<Buffer>((cb) => sftp.readFile(path, cb));
}

/** Copies a local file up, keeping its permission bits (an uploaded script stays executable, as with cp). */
export async function putRemoteFile(sftp: Sftp, localPath: string, remotePath: string): Promise<void> {
  const mode = (await stat(localPath)).mode & 0o777;
  await makeRemoteDirs(sftp, posix.dirname(remotePath));
  await call<void>((cb) => sftp.fastPut(localPath, remotePath, { mode }, cb));
}

export async function getRemoteFile(sftp: Sftp, remotePath: string, localPath: string): Promise<void> {
  const mode = (await call<ssh2.Stats>((cb) => sftp.stat(remotePath, cb))).mode & 0o777;
  await mkdir(dirname(localPath), { recursive: true });
  await call<void>((cb) => sftp.fastGet(remotePath, localPath, cb));
  await chmod(localPath, mode);
}
