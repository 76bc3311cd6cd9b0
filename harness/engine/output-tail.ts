/** Longest line quoted from an engine's output: one line of llama-cli can be the whole 100 kB echoed prompt. */
const MAX_QUOTED_LINE = 300;

/** `line` cut to MAX_QUOTED_LINE characters, marking the cut. */
export function clipLine(line: string, max = MAX_QUOTED_LINE): string {
  return line.length <= max ? line : `${line.slice(0, max)}… (${line.length - max} more characters)`;
}

/** The last `lines` lines of a process's output joined on one line (` | `), each clipped, for one-line error messages. */
export function tailInline(output: string, lines: number, ifEmpty: string): string {
  return output.trim().split(/\r?\n/).slice(-lines).map((line) => clipLine(line)).join(' | ') || ifEmpty;
}

/** Lines that state an error, as llama.cpp and bitnet.cpp's fork word them. */
const ERROR_LINE = /\berror\b|\bfailed\b|\binvalid\b|\bunable\b|too long|not within|corrupt|unknown argument|terminate called|Segmentation fault|Aborted/i;
/** Error lines that only repeat that something above failed; the line that says why is preferred. */
const GENERIC = /failed to load model|unable to create context|unable to load model|common_fit_params|error: failed|failed to init/i;
/** Mainline's log prefix (`0.00.380.472 E `), which says nothing to a reader. */
const LOG_PREFIX = /^\d+\.\d+\.\d+\.\d+ [DIWE] /;

/**
 * The engine's own explanation of a failure: the first specific error line of its output (the loader's reason, not
 * the "failed to load model" that follows it), or the last generic one; clipped. Undefined when no line says error.
 */
export function engineErrorLine(output: string): string | undefined {
  const errors = output.split(/\r?\n/).map((line) => line.replace(LOG_PREFIX, '').trim()).filter((line) => ERROR_LINE.test(line));
  const line = errors.find((l) => !GENERIC.test(l)) ?? errors.at(-1);
  return line === undefined ? undefined : clipLine(line);
}
