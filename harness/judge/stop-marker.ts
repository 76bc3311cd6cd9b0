/**
 * Engines and front ends print the end-of-sequence token when the model stops (`<|endoftext|>`, `</s>`,
 * `<|im_end|>`, llama.cpp's `[end of text]`). At the very end of an output that is the stop, not content, and not
 * tokenizer debris; anywhere else (or repeated) it stays debris for the tokenizer-artifacts check.
 */
const STOP_AT_END = /\s*(?:<\|endoftext\|>|<\/s>|<\|im_end\|>|<\|eot_id\|>|<\|end\|>|<eos>|<end_of_turn>|\[end of text\])\s*$/;

export function withoutStopMarker(text: string): string {
  return text.replace(STOP_AT_END, '');
}
