import { Client } from 'ssh2';
import type { CommandResult, CommandSpec, MachineInfo, Target } from '../../harness/targets/target.ts';
import type { SshConnectOptions } from '../../harness/providers/runpod/readiness.ts';

/**
 * A minimal ssh2 connect for the RunPod tests: a real handshake with the per-run key, and `exec` so a
 * test can prove commands run. The production connect is the SSH helper's connectSshTarget; the file
 * operations below are outside what these tests exercise and say so if called.
 */
export async function connectWithSsh2(options: SshConnectOptions): Promise<Target> {
  const client = new Client();
  // A listener for the client's whole life, not `once`: after a refused key or a stopped sshd, ssh2 can emit a
  // second 'error' (the socket's ECONNRESET), and an 'error' nobody listens to is an uncaught exception. That
  // failed CI on a loaded machine (issue 15 item 12).
  client.on('error', () => {});
  try {
    await new Promise<void>((resolve, reject) => {
      client.once('ready', () => {
        client.removeListener('error', reject);
        resolve();
      });
      client.once('error', reject);
      client.connect({ host: options.host, port: options.port, username: options.username, privateKey: options.privateKey, readyTimeout: 5000 });
    });
  } catch (error) {
    client.end();
    throw error;
  }
  const unsupported = (what: string) => () => Promise.reject(new Error(`${what} is not part of the RunPod test target`));
  return {
    kind: 'runpod',
    label: `ssh ${options.username}@${options.host}:${options.port}`,
    workDir: '/tmp',
    exec: (spec: CommandSpec) => execOnce(client, spec),
    writeFile: unsupported('writeFile'),
    readFile: unsupported('readFile'),
    putFile: unsupported('putFile'),
    getFile: unsupported('getFile'),
    describe: unsupported('describe') as () => Promise<MachineInfo>,
    close: async () => {
      client.end();
    },
  };
}

const quote = (arg: string) => `'${arg.replace(/'/g, `'\\''`)}'`;

function execOnce(client: Client, spec: CommandSpec): Promise<CommandResult> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    client.exec(spec.argv.map(quote).join(' '), (error, stream) => {
      if (error) return reject(error);
      let stdout = '';
      let stderr = '';
      client.once('close', () => reject(new Error('the SSH connection closed during the command')));
      stream.on('data', (d: Buffer) => (stdout += d));
      stream.stderr.on('data', (d: Buffer) => (stderr += d));
      stream.on('error', reject);
      stream.on('close', (code: number | null, signal: string | null) =>
        resolve({ exitCode: code, signal: signal ?? null, stdout, stderr, durationMs: Date.now() - started, timedOut: false }),
      );
    });
  });
}
