import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHANNEL_WATCHER, REMOTE_BACKSTOP_GRACE_S, remoteCommandLine, shellQuote } from './quote.ts';

/**
 * Runs a remote command line as sshd would: through sh, leading its own process group, with a stdin that stays open
 * until the program's output ends (the channel) and is then closed (sshd closing the channel). `closeStdin` ends it
 * at once instead: a connection that drops mid-command.
 */
function likeSshd(line: string, options: { path?: string; closeStdin?: boolean } = {}): Promise<{ stdout: string; signal: NodeJS.Signals | null; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', line], { env: { PATH: options.path ?? process.env.PATH ?? '/usr/bin:/bin' }, detached: true, stdio: ['pipe', 'pipe', 'ignore'] });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => (child.stdin.end(), resolve({ stdout: stdout.replace(/^bitnet-bench-pid:\d+\n/, ''), code, signal })));
    if (options.closeStdin) child.stdin.end();
  });
}

/** What a POSIX shell makes of `printf '%s\0' <quoted args>`: the arguments it would pass, split back. */
function throughShell(shell: string, args: string[]): string[] {
  const out = execFileSync(shell, ['-c', `printf '%s\\0' ${args.map(shellQuote).join(' ')}`]);
  return out.toString('utf8').split('\0').slice(0, -1);
}

const NASTY = ["'; touch /nonexistent/pwned #", '$(touch /nonexistent/pwned)', '`touch /nonexistent/pwned`', "it's", "''", "'", '\\', '\\\'', 'a\nb\n', '"$HOME"', '*', '~', '!', '-n', '', ' spaced  out ', 'é日本 ✓', '%s%d'];

describe('shellQuote', () => {
  it('wraps in single quotes and escapes embedded quotes', () => {
    expect(shellQuote('plain')).toBe("'plain'");
    expect(shellQuote("it's")).toBe("'it'\\''s'");
  });

  for (const shell of ['sh', 'bash']) {
    it(`round-trips nasty arguments byte for byte through ${shell}`, () => {
      expect(throughShell(shell, NASTY)).toEqual(NASTY);
    });
  }

  it('refuses NUL bytes, which no program can receive', () => {
    expect(() => shellQuote('a\0b')).toThrow(/NUL/);
  });
});

describe('remoteCommandLine', () => {
  it('prints the pid, changes folder, sets env and execs with stdin from /dev/null', () => {
    expect(remoteCommandLine({ argv: ['llama-cli', '-f', "p'1.txt"], cwd: '/w d', env: { OMP_NUM_THREADS: '4' } })).toBe(
      `printf 'bitnet-bench-pid:%s\\n' "$$"; ${CHANNEL_WATCHER} cd -- '/w d' && exec env 'OMP_NUM_THREADS=4' 'llama-cli' '-f' 'p'\\''1.txt' </dev/null 3<&-`,
    );
  });

  it('with a timeout, runs the program under the host\'s `timeout` as a backstop, or without it where there is none', async () => {
    const line = remoteCommandLine({ argv: ['/usr/bin/printf', '%s|', "a 'b'"], timeoutMs: 2_500 });
    expect(line).toContain(`exec timeout -s KILL ${3 + REMOTE_BACKSTOP_GRACE_S} '/usr/bin/printf'`);
    expect(await likeSshd(line)).toEqual({ stdout: "a 'b'|", code: 0, signal: null });
    // no `timeout` on PATH (only the channel watcher's `cat`): the same program, unguarded
    const catOnly = mkdtempSync(join(tmpdir(), 'cat-only-'));
    symlinkSync(execFileSync('sh', ['-c', 'command -v cat'], { encoding: 'utf8' }).trim(), join(catOnly, 'cat'));
    expect(await likeSshd(line, { path: catOnly })).toEqual({ stdout: "a 'b'|", code: 0, signal: null });
    rmSync(catOnly, { recursive: true });
  });

  it('a command dies with its channel: stdin closing (the connection gone) kills its whole process group', async () => {
    for (const timeoutMs of [undefined, 60_000]) {
      const started = performance.now();
      const ended = await likeSshd(remoteCommandLine({ argv: ['sh', '-c', 'sleep 60 & echo started; wait'], ...(timeoutMs ? { timeoutMs } : {}) }), { closeStdin: true });
      expect(ended.signal, `timeoutMs ${timeoutMs}`).toBe('SIGKILL');
      expect(performance.now() - started).toBeLessThan(30_000); // not the minute of sleep, nor its child's pipe
    }
  });

  it('the backstop alone: a stalled command whose channel stays open (sshd never noticed the loss) dies at its timeout', async () => {
    // The channel watcher only acts on EOF; a silent network drop leaves stdin open, and then `timeout` is what remains.
    const started = performance.now();
    const ended = await likeSshd(remoteCommandLine({ argv: ['sleep', '300'], timeoutMs: 500 }));
    expect(ended.signal).toBe('SIGKILL'); // timeout -s KILL kills its whole group, itself included
    expect(performance.now() - started).toBeGreaterThan(1_000 * (1 + REMOTE_BACKSTOP_GRACE_S) - 500);
    expect(performance.now() - started).toBeLessThan(60_000); // not the five minutes of sleep
  }, 90_000);

  it('rejects an empty argv and invalid environment names with a clear message', () => {
    expect(() => remoteCommandLine({ argv: [] })).toThrow(/argv is empty/);
    expect(() => remoteCommandLine({ argv: ['x'], env: { 'A;B': '1' } })).toThrow(/not a valid shell name/);
    expect(() => remoteCommandLine({ argv: ['A=1'], env: { B: '2' } })).toThrow(/contains "="/);
  });
});
