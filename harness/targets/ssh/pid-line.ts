import { PID_LINE } from './quote.ts';

/** Output held back while looking for the pid line; past this, a host that never prints it gets its output passed on. */
const SEARCH_LIMIT = 64 * 1024;

/**
 * Takes the `bitnet-bench-pid:<n>` line (see remoteCommandLine) out of a command's stdout and passes
 * everything else through unchanged. Output before it (a chatty ~/.bashrc) is kept, not swallowed.
 */
export class PidLineFilter {
  /** The remote process id once seen; 0 when the line never came. */
  pid: number | undefined;
  #held = '';

  constructor(
    private readonly forward: (chunk: string) => void,
    private readonly onPid: (pid: number) => void,
  ) {}

  push(chunk: string): void {
    if (this.pid !== undefined) return this.forward(chunk);
    this.#held += chunk;
    const match = PID_LINE.exec(this.#held);
    if (!match) return this.#held.length >= SEARCH_LIMIT ? this.flush() : undefined;
    const rest = this.#held.slice(0, match.index) + this.#held.slice(match.index + match[0].length);
    this.#held = '';
    this.pid = Number(match[1]);
    this.onPid(this.pid);
    if (rest) this.forward(rest);
  }

  /** End of output: pass on whatever is still held. */
  flush(): void {
    this.pid ??= 0;
    const held = this.#held;
    this.#held = '';
    if (held) this.forward(held);
  }
}
