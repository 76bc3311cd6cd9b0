import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { REMOTE_BACKSTOP_GRACE_S, remoteCommandLine, shellQuote } from './quote.ts';

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
      `printf 'bitnet-bench-pid:%s\\n' "$$"; cd -- '/w d' && exec env 'OMP_NUM_THREADS=4' 'llama-cli' '-f' 'p'\\''1.txt' </dev/null`,
    );
  });

  it('with a timeout, runs the program under the host\'s `timeout` as a backstop, or without it where there is none', () => {
    const line = remoteCommandLine({ argv: ['/usr/bin/printf', '%s|', "a 'b'"], timeoutMs: 2_500 });
    expect(line).toContain(`exec timeout -s KILL ${3 + REMOTE_BACKSTOP_GRACE_S} '/usr/bin/printf'`);
    const run = (path: string) => execFileSync('/bin/sh', ['-c', line], { env: { PATH: path } }).toString('utf8').replace(/^bitnet-bench-pid:\d+\n/, '');
    expect(run(process.env.PATH ?? '/usr/bin:/bin')).toBe("a 'b'|");
    expect(run('/nonexistent')).toBe("a 'b'|"); // no `timeout` on PATH: the same program, unguarded
  });

  it('rejects an empty argv and invalid environment names with a clear message', () => {
    expect(() => remoteCommandLine({ argv: [] })).toThrow(/argv is empty/);
    expect(() => remoteCommandLine({ argv: ['x'], env: { 'A;B': '1' } })).toThrow(/not a valid shell name/);
    expect(() => remoteCommandLine({ argv: ['A=1'], env: { B: '2' } })).toThrow(/contains "="/);
  });
});
