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
  await new Promise<void>((resolve, reject) => {
    client.once('ready', () => resolve());
    // Permanent, not once: ssh2 emits socket errors (ECONNRESET after a refused key or a dropped connection) for
    // the connection's whole life, and an unheard 'error' event crashes the test run. After `ready` they are moot.
    client.on('error', reject);
    client.connect({ host: options.host, port: options.port, username: options.username, privateKey: options.privateKey, readyTimeout: 5000 });
  });
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
      stream.on('error', reject);
      client.once('close', () => reject(new Error('the SSH connection closed during the command')));
      stream.on('data', (d: Buffer) => (stdout += d));
      stream.stderr.on('data', (d: Buffer) => (stderr += d));
      stream.on('close', (code: number | null, signal: string | null) =>
        resolve({ exitCode: code, signal: signal ?? null, stdout, stderr, durationMs: Date.now() - started, timedOut: false }),
      );
    });
  });
}
