import type ssh2 from 'ssh2';
import { HarnessError, TargetConnectionLostError } from '../../errors.ts';
import type { CommandResult, CommandSpec, StreamHandlers } from '../target.ts';
import { PidLineFilter } from './pid-line.ts';
import { remoteCommandLine } from './quote.ts';

/** After a kill, how long to wait for the server's exit report before closing the channel ourselves. */
const KILL_GRACE_MS = 2_000;

export interface LiveConnection {
  client: ssh2.Client;
  /** Aborted when this connection closes, for whatever reason. */
  lost: AbortSignal;
  /** `user@host:port`, for messages. */
  label: string;
}

/**
 * Runs one command on its own channel. Resolves only with an exit status the server reported (or a
 * local timeout); a connection that drops first rejects with TargetConnectionLostError, so a partial
 * output can never pass for a finished run.
 *
 * Timeouts and aborts kill the remote program: the SSH signal request (OpenSSH ≥ 7.9 honours it for
 * non-root users) plus `killProcessGroup(pid)` on a second channel, because root logins — pods — ignore it.
 * An aborted call rejects at once; its channel lingers until the kill lands (at most KILL_GRACE_MS).
 */
export function runCommand(connection: LiveConnection, spec: CommandSpec, handlers: StreamHandlers, signal: AbortSignal | undefined, killProcessGroup: (pid: number) => Promise<unknown>): Promise<CommandResult> {
  const command = remoteCommandLine(spec); // throws on bad argv/env before anything is sent
  const started = performance.now();
  const program = spec.argv[0];
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    let exit: { code: number | null; signal: string | null } | undefined;
    let timedOut = false;
    let stopping = false;
    let settled = false;
    let channel: ssh2.ClientChannel | undefined;
    let timer: NodeJS.Timeout | undefined;

    const kill = (pid: number) => void killProcessGroup(pid).catch(() => undefined); // best effort; the grace timer bounds the wait
    const pidFilter = new PidLineFilter(
      (chunk) => ((stdout += chunk), settled || handlers.onStdout?.(chunk)),
      (pid) => stopping && kill(pid), // stopped before the pid was known
    );
    const result = (): CommandResult => ({ exitCode: exit?.code ?? null, signal: exit?.signal ?? null, stdout, stderr, durationMs: performance.now() - started, timedOut });
    const lostError = (why: string) => new TargetConnectionLostError(`${why} while running ${program} on ${connection.label} (after ${((performance.now() - started) / 1000).toFixed(1)} s, ${stdout.length} characters of output)`);

    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      connection.lost.removeEventListener('abort', onLost);
      signal?.removeEventListener('abort', onAbort);
      outcome();
    };
    const onLost = () => (clearTimeout(timer), settle(() => reject(lostError('the SSH connection dropped'))));
    const stop = (afterGrace: () => void) => {
      stopping = true;
      try {
        channel?.signal('KILL');
      } catch {}
      if (pidFilter.pid) kill(pidFilter.pid);
      clearTimeout(timer);
      timer = setTimeout(() => (channel?.close(), afterGrace()), KILL_GRACE_MS);
    };
    const onAbort = () => {
      stop(() => undefined);
      settle(() => reject(signal?.reason ?? new DOMException('The operation was aborted', 'AbortError')));
    };

    if (signal?.aborted) return reject(signal.reason);
    if (connection.lost.aborted) return onLost();
    connection.lost.addEventListener('abort', onLost, { once: true });
    signal?.addEventListener('abort', onAbort, { once: true });
    if (spec.timeoutMs !== undefined) {
      timer = setTimeout(() => ((timedOut = true), stop(() => settle(() => resolve(result())))), spec.timeoutMs);
    }

    connection.client.exec(command, (error, opened) => {
      if (error) {
        clearTimeout(timer);
        if (connection.lost.aborted) return onLost();
        return settle(() => reject(new HarnessError('infrastructure', `run ${program} on ${connection.label}`, `the server refused to open a session channel: ${error.message}`, 'the server may allow fewer sessions per connection (OpenSSH MaxSessions) than maxConcurrentChannels; lower maxConcurrentChannels', { cause: error })));
      }
      channel = opened;
      // A channel is a stream: an 'error' no one hears would crash the harness. Treated like a drop (the command's
      // end is unknown); when the connection itself went, onLost has settled already.
      const onChannelError = (channelError: Error) => (clearTimeout(timer), settle(() => reject(lostError(`the SSH channel failed (${channelError.message})`))));
      opened.on('error', onChannelError);
      opened.stderr.on('error', onChannelError);
      // Even when aborted while opening: the program may already run, so wait for its pid to kill it.
      opened.stdout.setEncoding('utf8').on('data', (chunk: string) => pidFilter.push(chunk));
      opened.stderr.setEncoding('utf8').on('data', (chunk: string) => ((stderr += chunk), settled || handlers.onStderr?.(chunk)));
      opened.on('exit', (code: number | null, signalName?: string) => {
        exit = typeof code === 'number' ? { code, signal: null } : { code: null, signal: signalName ? signalName.replace(/^(?!SIG)/, 'SIG') : null };
      });
      opened.on('close', () => {
        clearTimeout(timer);
        // ssh2 closes channels before it reports the connection closed; let that report land first.
        setImmediate(() => {
          if (connection.lost.aborted) return onLost();
          pidFilter.flush();
          if (exit || timedOut) return settle(() => resolve(result()));
          settle(() => reject(lostError('the server closed the channel without an exit status')));
        });
      });
    });
  });
}
