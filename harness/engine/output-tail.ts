/** The last `lines` lines of a process's output joined on one line (` | `), for one-line error messages. */
export function tailInline(output: string, lines: number, ifEmpty: string): string {
  return output.trim().split(/\r?\n/).slice(-lines).join(' | ') || ifEmpty;
}
