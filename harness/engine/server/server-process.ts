import { type AddressInfo, createServer } from 'node:net';
import { EngineFaultError, HarnessError } from '../../errors.ts';
import type { Logger } from '../../log.ts';
import type { CommandResult, Target } from '../../targets/target.ts';
import { engineFault } from '../engine-fault.ts';
import { tailInline } from '../output-tail.ts';
import { timedOutAfter } from '../timeouts.ts';
import { type ServerTransport, execTransport, fetchTransport } from './transport.ts';

/** A llama-server running on the target, model loaded, ready for requests. */
export interface RunningServer {
  port: number;
  transport: ServerTransport;
  /** Start of the process to its "listening" line (which llama-server prints once the model is loaded). */
  loadMs: number;
  argv: string[];
  /** Everything the server wrote so far (its log goes to stderr). */
  log(): string;
  /** False once the process has exited (crashed, killed): the engine then starts a new one. */
  alive(): boolean;
  /** How the process ended (`killed by SIGSEGV`, `exit code 1`); undefined if it still runs after `waitMs`. */
  exit(waitMs?: number): Promise<string | undefined>;
  stop(): Promise<void>;
}

/** Mainline: `llama_server: listening on http://127.0.0.1:PORT`; 2024 forks: `server is listening on http://127.0.0.1:PORT`. */
const LISTENING = /listening on (?:https?:\/\/)?(?:127\.0\.0\.1|localhost):(\d+)/;

/** How many ports are tried when another process takes the chosen one between choosing and binding. */
const PORT_ATTEMPTS = 3;

/**
 * `--port 0` is replaced by a free port chosen on the target, because bitnet.cpp's 2024 fork binds some port but
 * logs `server is listening on 127.0.0.1:0`. The port is free when chosen, not reserved: if something takes it
 * before llama-server binds it ("couldn't bind HTTP server socket"), another port is chosen.
 */
export async function startServer(target: Target, argv: string[], options: { log: Logger; readyTimeoutMs?: number }): Promise<RunningServer> {
  const at = argv.indexOf('--port');
  if (at < 0 || argv[at + 1] !== '0') return startServerProcess(target, argv, options);
  for (let attempt = 1; ; attempt++) {
    const port = await choosePort(target);
    const withPort = argv.map((arg, i) => (i === at + 1 ? String(port) : arg));
    try {
      return await startServerProcess(target, withPort, options);
    } catch (error) {
      if (attempt >= PORT_ATTEMPTS || !/couldn't bind/i.test((error as Error).message)) throw error;
      options.log.info(`port ${port} of ${target.label} was taken before llama-server bound it; choosing another`);
    }
  }
}

/** A port no one listens on, on the target's 127.0.0.1 (the OS picks it: bind port 0, read it, close). */
export async function choosePort(target: Target): Promise<number> {
  if (target.kind === 'local') {
    return new Promise((resolve, reject) => {
      const probe = createServer();
      probe.once('error', reject);
      probe.listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as AddressInfo;
        probe.close(() => resolve(port));
      });
    });
  }
  const script = "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1]); s.close()";
  const result = await target.exec({ argv: ['python3', '-c', script], timeoutMs: 30_000 });
  const port = Number(result.stdout.trim());
  if (result.exitCode !== 0 || !Number.isInteger(port) || port <= 0) {
    throw new HarnessError('infrastructure', 'start llama-server', `could not choose a free port on ${target.label}: ${tailInline(`${result.stderr}\n${result.stdout}`, 3, '(no output)')}`, 'python3 must be installed on the target (bitnet.cpp needs it anyway)');
  }
  return port;
}

/**
 * Starts llama-server through `target.exec` (so it runs wherever the target is, and an SSH drop or abort kills
 * it) and waits for it to say where it listens. A server that exits first is an infrastructure error quoting
 * its last log lines.
 */
async function startServerProcess(target: Target, argv: string[], options: { log: Logger; readyTimeoutMs?: number }): Promise<RunningServer> {
  const stop = new AbortController();
  let output = '';
  const t0 = performance.now();
  let onReady!: (port: number) => void;
  const ready = new Promise<number>((resolve) => (onReady = resolve));
  const onOutput = (chunk: string) => {
    output += chunk;
    const m = LISTENING.exec(output);
    if (m) onReady(Number(m[1]));
  };
  let running = true;
  const exited: Promise<CommandResult | Error> = target
    .exec({ argv }, { onStdout: onOutput, onStderr: onOutput }, stop.signal)
    .catch((error: Error) => error)
    .finally(() => (running = false));
  const timeoutMs = options.readyTimeoutMs ?? 120_000;
  let timer: NodeJS.Timeout | undefined;
  const first = await Promise.race([
    ready.then((port) => ({ port })),
    exited.then((r) => ({ exited: r })),
    new Promise<{ timeout: true }>((resolve) => (timer = setTimeout(() => resolve({ timeout: true }), timeoutMs))),
  ]);
  clearTimeout(timer);
  if (!('port' in first)) {
    stop.abort();
    await exited;
    throw startFault(first, output, argv, timeoutMs);
  }
  const loadMs = performance.now() - t0;
  const transport = target.kind === 'local' ? fetchTransport(first.port) : await execTransport(target, first.port);
  options.log.info(`llama-server listening on 127.0.0.1:${first.port} of ${target.label} after ${(loadMs / 1000).toFixed(2)} s (requests via ${transport.kind})`);
  return {
    port: first.port,
    transport,
    loadMs,
    argv,
    log: () => output,
    alive: () => running,
    exit: (waitMs = 0) => {
      let timer: NodeJS.Timeout | undefined;
      const gaveUp = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), waitMs)));
      return Promise.race([exited.then(describeExit), gaveUp]).finally(() => clearTimeout(timer));
    },
    async stop() {
      stop.abort();
      await exited;
    },
  };
}

/**
 * A server that never listened: an EngineFaultError, classified like a process-mode run (an unloadable model is not
 * retryable; a crash or a start that timed out may pass on another try), quoting the server's own error line.
 */
function startFault(first: { timeout: true } | { exited: CommandResult | Error }, output: string, argv: string[], timeoutMs: number): EngineFaultError {
  const step = 'start llama-server';
  const hint = `run it by hand to see why: ${argv.join(' ')}`;
  const lastLines = tailInline(output, 3, '(no output)');
  if ('timeout' in first) return new EngineFaultError(`llama-server did not listen: ${timedOutAfter(timeoutMs)}; last lines: ${lastLines}`, { retryable: true, step, hint });
  const exit = first.exited instanceof Error ? { exitCode: null, signal: null, durationMs: 0 } : first.exited;
  const fault = engineFault({ ...exit, stdout: '', stderr: output, timedOut: false }, { program: 'llama-server', modelPath: argv[argv.indexOf('-m') + 1] ?? '(unknown)', timeoutMs });
  const why = `llama-server exited before listening (${describeExit(first.exited)})`;
  if (fault) return new EngineFaultError(`${why}: ${fault.message}`, { retryable: fault.retryable, step, hint: fault.hint, cause: fault });
  return new EngineFaultError(`${why}; last lines: ${lastLines}`, { retryable: true, step, hint });
}

function describeExit(r: CommandResult | Error): string {
  return r instanceof Error ? r.message : r.signal ? `killed by ${r.signal}` : `exit code ${r.exitCode}`;
}
