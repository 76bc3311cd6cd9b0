/**
 * llama-cli / llama-completion print the prompt back, then the continuation, then ` [end of text]` when the
 * model stopped on its own. Only the continuation is judged.
 */
export interface Transcript {
  text: string;
  /** False when stdout did not begin with the prompt (a broken tokenizer can echo it differently). */
  promptEchoed: boolean;
  /** The model emitted end-of-generation before the token limit. */
  endOfText: boolean;
}

const END_MARKER = /\s*\[end of text\]\s*$/;

export function extractContinuation(stdout: string, prompt: string): Transcript {
  let body = stdout.replace(/\r\n/g, '\n');
  const endOfText = END_MARKER.test(body);
  body = body.replace(END_MARKER, '');
  // The echo may be preceded by a rendered BOS or a space the detokenizer added.
  const at = body.indexOf(prompt);
  const promptEchoed = at >= 0 && body.slice(0, at).trim() === '';
  const text = promptEchoed ? body.slice(at + prompt.length) : body;
  return { text: text.replace(/\n+$/, ''), promptEchoed, endOfText };
}
