/**
 * Engines and front ends print the end-of-sequence token when the model stops (`<|endoftext|>`, `</s>`,
 * `<|im_end|>`, `<|eot_id|>`, `<｜end▁of▁sentence｜>`, `<end_of_turn>`, llama.cpp's `[end of text]`). At the very end
 * of an output that is the stop, not content, and not tokenizer debris; anywhere else (or repeated, or followed by
 * more text: a template token with text after it is debris) it stays for the special-tokens check. Only end tokens:
 * a turn opener at the end (`<|user|>`) is the model writing the next turn.
 */
const END_TOKEN = String.raw`<[|｜][^\s<>|｜]*(?:end|eot|eos|eom)[^\s<>|｜]*[|｜]>|<\/s>|<(?:eos|EOS|eot|EOT|end_of_turn|end_of_utterance)>|\[end of text\]`;
const STOP_AT_END = new RegExp(String.raw`\s*(?:${END_TOKEN})\s*$`, 'i');

export function withoutStopMarker(text: string): string {
  return text.replace(STOP_AT_END, '');
}
