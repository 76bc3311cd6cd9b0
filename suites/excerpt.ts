/** The start of an output, for a failure message: enough to see what went wrong without flooding the console. */
export function excerpt(text: string, max = 240): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
