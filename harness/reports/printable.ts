/**
 * C0 controls but tab and newline (ESC, BEL, CR, …), DEL, C1 controls (U+0080–U+009F: 0x9B is a one-byte CSI) and
 * the bidirectional overrides and isolates, which reorder what a reader sees.
 */
const unprintable = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Engine output is data, not terminal commands: `\x1b[2J` in a generation must not clear the screen of whoever reads
 * the summary, nor a `\r` overwrite the line before it. Control characters are shown escaped (`\x1b`, `\u202e`),
 * so they stay visible as evidence. For the console, summary.md and the text report; results.jsonl keeps the bytes.
 */
export function printable(text: string): string {
  return text.replace(unprintable, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
