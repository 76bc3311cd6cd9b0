import { posix } from 'node:path';
import type { Target } from '../../targets/target.ts';
import { tailInline } from '../output-tail.ts';
import { TOOL_TIMEOUT_MS } from '../timeouts.ts';

/**
 * How the harness talks HTTP to a llama-server that listens on 127.0.0.1 *of the target*. On this machine that is
 * Node's fetch. On an SSH host or pod the server is not reachable from here (and must not be exposed), so a tiny
 * client runs on the target itself through `target.exec` — curl when the host has it, else python3 (every
 * bitnet.cpp host has python3) — and its stdout streams back over the SSH channel line by line.
 */
export interface ServerTransport {
  readonly kind: 'fetch' | 'curl' | 'python3';
  /** POSTs `body` as JSON to `path` and hands each line of the response to `onLine` as it arrives. */
  postStream(path: string, body: unknown, onLine: (line: string) => void, signal?: AbortSignal): Promise<{ status: number | null; error?: string }>;
}

export function fetchTransport(port: number): ServerTransport {
  return {
    kind: 'fetch',
    async postStream(path, body, onLine, signal) {
      const res = await fetch(`http://127.0.0.1:${port}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal });
      const lines = lineSplitter(onLine);
      const decoder = new TextDecoder();
      for await (const chunk of res.body ?? []) lines.push(decoder.decode(chunk as Uint8Array, { stream: true }));
      lines.push(decoder.decode());
      lines.end();
      return { status: res.status };
    },
  };
}

/** python3's stand-in for `curl -N`: unbuffered, line by line, body from a file. */
const PY_CLIENT = [
  'import sys, urllib.request, urllib.error',
  "req = urllib.request.Request(sys.argv[1], data=open(sys.argv[2], 'rb').read(), headers={'Content-Type': 'application/json'})",
  'try: r = urllib.request.urlopen(req)',
  'except urllib.error.HTTPError as e: r = e',
  'for line in r: sys.stdout.buffer.write(line); sys.stdout.flush()',
].join('\n');

/** Picks curl if the target has it, else python3 (or the client named by `client`). */
export async function execTransport(target: Target, port: number, client?: 'curl' | 'python3'): Promise<ServerTransport> {
  const kind = client ?? ((await target.exec({ argv: ['curl', '--version'], timeoutMs: TOOL_TIMEOUT_MS })).exitCode === 0 ? 'curl' : 'python3');
  let n = 0;
  return {
    kind,
    async postStream(path, body, onLine, signal) {
      // The request goes through a file, like prompts in process mode: its bytes never pass through a shell.
      const file = posix.join(target.workDir, 'server-requests', `request-${process.pid}-${n++}.json`);
      await target.writeFile(file, JSON.stringify(body));
      const url = `http://127.0.0.1:${port}${path}`;
      const argv = kind === 'curl' ? ['curl', '-sS', '-N', '-H', 'Content-Type: application/json', '--data-binary', `@${file}`, url] : ['python3', '-u', '-c', PY_CLIENT, url, file];
      const lines = lineSplitter(onLine);
      const result = await target.exec({ argv }, { onStdout: (chunk) => lines.push(chunk) }, signal);
      lines.end();
      return result.exitCode === 0 ? { status: 200 } : { status: null, error: `${kind} exited ${result.exitCode}: ${tailInline(result.stderr, 2, '')}` };
    },
  };
}

/** Reassembles lines from chunks that split them anywhere. */
export function lineSplitter(onLine: (line: string) => void): { push(chunk: string): void; end(): void } {
  let pending = '';
  return {
    push(chunk) {
      pending += chunk;
      let nl: number;
      while ((nl = pending.indexOf('\n')) >= 0) {
        onLine(pending.slice(0, nl).replace(/\r$/, ''));
        pending = pending.slice(nl + 1);
      }
    },
    end() {
      if (pending) onLine(pending);
      pending = '';
    },
  };
}
