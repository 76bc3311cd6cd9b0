import type { CommandSpec } from '../target.ts';

/**
 * SSH runs a command as one string through the remote user's login shell, so argv has to be turned
 * into a shell string here. Single quotes are the only POSIX quoting in which nothing is special
 * (no `$`, backtick, backslash or newline handling), so every argument is wrapped in them and each
 * embedded `'` becomes `'\''` (close quote, escaped quote, reopen). This holds for sh, dash, bash,
 * ksh and zsh; a non-POSIX login shell (fish, csh) is not supported.
 */
export function shellQuote(argument: string): string {
  if (argument.includes('\0')) throw new TypeError('a command argument cannot contain a NUL byte (no POSIX program can receive it)');
  return `'${argument.replaceAll("'", `'\\''`)}'`;
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** First stdout line of every command: the remote process id, which PidLineFilter strips from the output. */
export const PID_LINE = /bitnet-bench-pid:(\d+)\n/;

/**
 * Kills the command's process group when its channel closes. Without a pty, sshd sends a command no signal when
 * the connection drops: an engine that writes nothing (a llama-server between requests, a stalled download) would
 * run on until it next writes. The channel's stdin is the one thing that ends with the channel — sshd closes it
 * when the connection goes, and when the command has exited — so a watcher reads it to EOF, then kills the group
 * (the command, whatever it started, and itself). It is forked before `exec`, so it is in the command's group, which
 * it keeps alive and so unreusable while it waits. fd 3 carries stdin past the shell's rule that a background job
 * reads /dev/null; the program gets neither (its stdin is /dev/null, fd 3 is closed). dash's kill knows no `--`.
 */
export const CHANNEL_WATCHER = 'exec 3<&0; { cat <&3 >/dev/null; kill -KILL -$$; } >/dev/null 2>&1 &';

/**
 * The remote shell string for a command:
 * `printf 'bitnet-bench-pid:%s\n' "$$"; <CHANNEL_WATCHER> cd -- 'dir' && exec env 'K=V' 'prog' 'arg' … </dev/null 3<&-`.
 * `exec` replaces the shell by the program, so the printed pid is the program's, and (sshd gives each
 * session its own process group) `kill -- -pid` stops it with all its children on timeout or abort.
 * The SSH "signal" request alone is not enough: OpenSSH ignores it for root logins (no privilege separation).
 */
export function remoteCommandLine(spec: CommandSpec): string {
  const [program, ...args] = spec.argv;
  if (program === undefined || program === '') throw new TypeError('exec: argv is empty; give the program to run as argv[0]');
  const prefix: string[] = [`printf 'bitnet-bench-pid:%s\\n' "$$";`, CHANNEL_WATCHER];
  if (spec.cwd !== undefined) prefix.push(`cd -- ${shellQuote(spec.cwd)} &&`);
  const command: string[] = [];
  const env = Object.entries(spec.env ?? {});
  if (env.length > 0) {
    for (const [name] of env) {
      if (!ENV_NAME.test(name)) throw new TypeError(`exec: environment variable name ${JSON.stringify(name)} is not a valid shell name (letters, digits, _)`);
    }
    // `env` would read a program name containing `=` as one more assignment.
    if (program.includes('=')) throw new TypeError(`exec: program name ${JSON.stringify(program)} contains "=", which cannot be combined with env`);
    command.push('env', ...env.map(([name, value]) => shellQuote(`${name}=${value}`)));
  }
  // stdin from /dev/null like the local target's: a program that reads stdin gets EOF instead of
  // hanging, while the channel stays writable so ssh2 can still send a signal request on it.
  command.push(shellQuote(program), ...args.map(shellQuote), '</dev/null', '3<&-');
  const run = command.join(' ');
  if (spec.timeoutMs === undefined) return [...prefix, 'exec', run].join(' ');
  // The harness kills a command at its timeout over a second channel; when the connection is gone by then, only
  // the host can. GNU timeout (coreutils; a stock macOS lacks it and runs the command without) is that backstop, a
  // few seconds after the harness's own, so the harness's kill, which reports the timeout, normally comes first.
  // `exec timeout` keeps the printed pid, and timeout leads the process group its program runs in.
  const seconds = Math.ceil(spec.timeoutMs / 1000) + REMOTE_BACKSTOP_GRACE_S;
  return [...prefix, `if command -v timeout >/dev/null 2>&1; then exec timeout -s KILL ${seconds} ${run}; else exec ${run}; fi`].join(' ');
}

/** How much later than the harness's timeout the host's own `timeout` kills a command. */
export const REMOTE_BACKSTOP_GRACE_S = 5;
