import type ssh2 from 'ssh2';
import { HarnessError, TargetConnectionLostError } from '../../errors.ts';
import type { CommandResult, CommandSpec, StreamHandlers } from '../target.ts';
import { PID_LINE, remoteCommandLine } from './quote.ts';

/** After a timeout's kill, how long to wait for the server's exit report before giving up on it. */
const KILL_GRACE_MS = 2_000;
/** Output kept back while looking for the pid line; beyond this, a host that never prints it gets its output passed on. */
const PID_SEARCH_LIMIT = 64 * 1024;

export interface LiveConnection {
  client: ssh2.Client;
  /** Aborted when this connection closes, for whatever reason. */
  lost: AbortSignal;
  /** `user@host:port`, for messages. */
  label: string;
}

/**
 * Runs one command on an open channel. Resolves only with an exit status the server reported (or a
 * local timeout); a connection that drops first rejects with TargetConnectionLostError, so a partial
 * output can never pass for a finished run.
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
    let settled = false;
    let channel: ssh2.ClientChannel | undefined;
    let timer: NodeJS.Timeout | undefined;
    let pid: number | undefined;
    let beforePid = '';
    let stopRequested = false;

    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      connection.lost.removeEventListener('abort', onLost);
      signal?.removeEventListener('abort', onAbort);
      outcome();
    };
    const result = (): CommandResult => ({ exitCode: exit?.code ?? null, signal: exit?.signal ?? null, stdout, stderr, durationMs: performance.now() - started, timedOut });
    const lostError = (why: string) => new TargetConnectionLostError(`${why} while running ${program} on ${connection.label} (after ${((performance.now() - started) / 1000).toFixed(1)} s, ${stdout.length} characters of output)`);
    const onLost = () => settle(() => reject(lostError('the SSH connection dropped')));
    const onStdout = (chunk: string) => {
      stdout += chunk;
      handlers.onStdout?.(chunk);
    };
    /** Takes the pid line out of the output stream; everything else passes through unchanged. */
    const scanForPid = (chunk: string) => {
      if (pid !== undefined) return onStdout(chunk);
      beforePid += chunk;
      const match = PID_LINE.exec(beforePid);
      if (!match && beforePid.length < PID_SEARCH_LIMIT) return;
      const rest = match ? beforePid.slice(0, match.index) + beforePid.slice(match.index + match[0].length) : beforePid;
      pid = match ? Number(match[1]) : 0;
      beforePid = '';
      if (stopRequested && pid) killProcessGroup(pid).catch(() => undefined); // timed out before the pid arrived
      if (rest) onStdout(rest);
    };
    /**
     * Kill the program: the SSH signal request (honoured by OpenSSH ≥ 7.9 for non-root users) and, as
     * root logins ignore it, `kill -KILL -- -pid` on a second channel. Then wait for the exit report.
     */
    const stop = () => {
      stopRequested = true;
      try {
        channel?.signal('KILL');
      } catch {}
      if (pid) killProcessGroup(pid).catch(() => undefined); // best effort: the grace timer still ends the wait
    };
    const onAbort = () => {
      stop();
      channel?.close();
      settle(() => reject(signal?.reason ?? new DOMException('The operation was aborted', 'AbortError')));
    };

    if (signal?.aborted) return onAbort();
    if (connection.lost.aborted) return onLost();
    connection.lost.addEventListener('abort', onLost, { once: true });
    signal?.addEventListener('abort', onAbort, { once: true });
    if (spec.timeoutMs !== undefined) {
      timer = setTimeout(() => {
        timedOut = true;
        stop();
        timer = setTimeout(() => (channel?.close(), settle(() => resolve(result()))), KILL_GRACE_MS);
      }, spec.timeoutMs);
    }

    connection.client.exec(command, (error, opened) => {
      if (error) {
        if (connection.lost.aborted) return onLost();
        return settle(() => reject(new HarnessError('infrastructure', `run ${program} on ${connection.label}`, `the server refused to open a session channel: ${error.message}`, 'the server may allow fewer sessions per connection (OpenSSH MaxSessions) than maxConcurrentChannels; lower maxConcurrentChannels', { cause: error })));
      }
      channel = opened;
      if (settled) return opened.close(); // aborted while the channel was opening
      opened.stdout.setEncoding('utf8').on('data', scanForPid);
      opened.stderr.setEncoding('utf8').on('data', (chunk: string) => ((stderr += chunk), handlers.onStderr?.(chunk)));
      opened.on('exit', (code: number | null, signalName?: string) => {
        exit = typeof code === 'number' ? { code, signal: null } : { code: null, signal: signalName ? signalName.replace(/^(?!SIG)/, 'SIG') : null };
      });
      opened.on('close', () => {
        // ssh2 closes channels before it reports the connection closed; let that report land first.
        setImmediate(() => {
          if (connection.lost.aborted) return onLost();
          if (beforePid) (pid = 0, onStdout(beforePid), (beforePid = ''));
          if (exit || timedOut) return settle(() => resolve(result()));
          settle(() => reject(lostError('the server closed the channel without an exit status')));
        });
      });
    });
  });
}
