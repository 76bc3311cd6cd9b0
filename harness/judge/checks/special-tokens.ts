import type { JudgeContext } from '../context.ts';
import type { JudgeThresholds } from '../thresholds.ts';
import type { CheckResult } from '../types.ts';
import { result, scoreAtMost } from './score.ts';

/**
 * The shapes special and added tokens take across tokenizer families, when a template, a stop list or a
 * detokenizer fails and they reach the text. Named by family, not by the tokens seen: a family's next member
 * (`<|reserved_special_token_7|>`, `[control_512]`) is caught too. Bare upper-case names in angle brackets are no
 * family of their own: docs write placeholders and keys that way (`<PATH>`, `<API_KEY>`, `<Enter>`, `<CR>`).
 */
const FAMILIES: ReadonlyArray<[string, RegExp]> = [
  // GPT-2/4, Llama 3, Qwen, Phi, Gemma 3 (`<|endoftext|>`, `<|im_start|>`, `<|start_header_id|>`), DeepSeek's
  // full-width bars (`<｜end▁of▁sentence｜>`), and the malformed halves a half-stripped one leaves (`<|endoftext>`,
  // `<endoftext|>`, `<|eot_id|`). Operators (`<|`, `|>`, `<|>`) have no name glued to the bar.
  ['bar-delimited token', /<[|｜][A-Za-z_▁][^\s<>|｜]{0,60}[|｜]>?|<[|｜][A-Za-z_][\w▁.-]{0,60}>|<[A-Za-z_][\w▁.-]{0,60}[|｜]>/g],
  // Numbered added or unused vocabulary: Mistral/Mixtral `[control_N]`, T5 `<extra_id_N>`, Gemma `<unusedN>`,
  // BERT `[unusedN]`, InternLM2 `[UNUSED_TOKEN_N]`, Llama 3 `reserved_special_token_N`, Baichuan `<reserved_N>`, XLM
  // `<specialN>`, and SentencePiece byte tokens `<0x0A>`.
  ['numbered vocabulary token', /\[control_\d+\]|<extra_id_\d+>|<unused\d+>|\[(?:unused|UNUSED_TOKEN_)\d+\]|<reserved_(?:special_token_)?\d+>|<special\d+>|<0x[0-9A-Fa-f]{2}>/g],
  // Bracketed control words: Llama 2 / Mistral `[INST]`, `<<SYS>>`, Mistral's tool and image tokens, BERT's, GLM's
  // `[gMASK]`, Gemma 3's `[@BOS@]`, Falcon's `>>ANSWER<<`-style section tokens.
  ['bracketed control token', /\[\/?(?:INST|UNK|PAD|CLS|SEP|MASK|gMASK|sMASK|BOS|EOS|SYSTEM_PROMPT|TOOL_CALLS|TOOL_RESULTS|TOOL_CONTENT|AVAILABLE_TOOLS|IMG|IMG_BREAK|IMG_END|@BOS@)\]|<<\/?SYS>>|>>[A-Z]{3,20}<</g],
  // Sequence and padding tokens of SentencePiece/BERT-style vocabularies, Gemma's turns, and fill-in-the-middle
  // tokens of code models (Code Llama `<PRE> <SUF> <MID> <EOT>`, StarCoder `<fim_prefix>`, SantaCoder `<fim-prefix>`, Seed's `<seed:eos>`, `<file_sep>`, `<jupyter_code>` …).
  ['named special token', /<\/?(?:s|unk|pad|mask|eos|bos|eod|eop|eot|sep|cls|UNK|PAD|MASK|EOS|BOS|EOT|EOD|SEP|CLS|PRE|SUF|MID|start_of_turn|end_of_turn|start_of_image|end_of_image|end_of_utterance|fake_token_around_image|fim[_-](?:prefix|middle|suffix|pad)|seed:\w+|file_sep|repo_name|reponame|gh_stars|issue_start|issue_comment|issue_closed|jupyter_start|jupyter_text|jupyter_code|jupyter_output|empty_output|commit_before|commit_msg|commit_after|endoftext|im_start|im_end)>/g],
  // A chat template's turn header with its special tokens stripped: the role's name glued to the end of the turn
  // ("… like to chat?assistant\n\nI'm happy to …", Llama 3's `<|start_header_id|>assistant<|end_header_id|>` detokenized
  // to text) and the model writing the next turn. After sentence punctuation any role; glued to a word only
  // "assistant", which ends no English word ("ecosystem", "superuser" and "remodel" do end in a role name).
  ['role label glued to a turn', /(?<=[.!?。！？]["'”’)]?)(?:#{1,4}\s*)?(?:assistant|user|system|model|human)(?=[ \t]*(?:\n|:|$))|(?<=\p{Ll})assistant(?=[ \t]*\n)/giu],
];

/**
 * What each family's pattern cannot match without: a cheap test that spares most texts the patterns (the role
 * label's lookbehind is tried at every position) and the blanking of code and strings.
 */
const FAMILY_HINTS: ReadonlyMap<string, RegExp> = new Map([
  ['bar-delimited token', /[|｜]/],
  ['numbered vocabulary token', /[[<]/],
  ['bracketed control token', /[[<>]/],
  ['named special token', /</],
  ['role label glued to a turn', /assistant|user|system|model|human/iu], // the pattern's flags: under /iu 'ſ' matches s
]);

/** Fenced code and `code spans`: where an answer about tokenizers writes tokens on purpose. */
const CODE = /```[\s\S]*?(?:```|$)|`[^`\n]*`/g;
/** A token in quotes is a string (`pad_token = "<pad>"`), not a leak. */
const QUOTES = `"'“‘”’`;
/** A line of code (assignment, call, block, statement keyword) and its string literals: `prompt = "<|user|>\\n" + q`. */
const CODE_LINE = /[A-Za-z_][\w.\]]*\s*[+]?=|[A-Za-z_]\w*\(|[{}]|;\s*$|^\s*(?:return|const|let|var|def|if|for|print|printf|echo|#include)\b/;
export const STRING_LITERAL = /"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'/g;
const blank = (m: string) => ' '.repeat(m.length);
const withoutStringsInCode = (text: string) => text.replace(/^.*$/gm, (line) => (CODE_LINE.test(line) ? line.replace(STRING_LITERAL, blank) : line));
/** A token named as one: "the [CLS] and [SEP] tokens", "a <|endoftext|> marker", "tokens such as <pad>". */
const NAMED_AFTER = /^\s*(?:(?:,|and|or|\/)\s*\S{1,40}\s*){0,3}(?:special\s+|end\s+|control\s+)?(?:tokens?|markers?)\b/i;
const NAMED_BEFORE = /\b(?:tokens?|markers?)\s*(?:like|such as|e\.g\.,?|called|named|as|:|\()?\s*(?:\S{1,40}\s*(?:,|and|or|\/)\s*){0,3}(?:the\s+)?$/i;

export interface SpecialToken { family: string; token: string }

/**
 * Special tokens that leaked into the text, with the mentions left out: tokens in code, in quotes or in a code line's strings, tokens named
 * as tokens, and markup that is closed on its line (`<s>struck</s>`, `<PRE>…</PRE>`).
 */
export function leakedSpecialTokens(text: string): SpecialToken[] {
  // Blanking code only removes characters: a family whose hint is not in the text as written cannot match.
  const families = FAMILIES.filter(([family]) => FAMILY_HINTS.get(family)?.test(text) ?? true);
  if (!families.length) return [];
  const codeless = text.replace(CODE, blank);
  // Blanking code lines' strings only removes characters too: that (a callback per line) waits for a first match.
  if (!families.some(([, re]) => codeless.search(re) >= 0)) return [];
  const bare = withoutStringsInCode(codeless);
  const found: SpecialToken[] = [];
  for (const [family, re] of families) {
    for (const m of bare.matchAll(re)) {
      const at = m.index;
      const token = m[0];
      const end = at + token.length;
      const lineStart = bare.lastIndexOf('\n', at) + 1;
      const lineEnd = bare.indexOf('\n', end);
      const line = bare.slice(lineStart, lineEnd < 0 ? bare.length : lineEnd);
      if (QUOTES.includes(bare[at - 1] ?? '') && QUOTES.includes(bare[end] ?? '')) continue;
      if (NAMED_AFTER.test(bare.slice(end, end + 120)) || NAMED_BEFORE.test(bare.slice(Math.max(0, at - 120), at))) continue;
      if (isClosedMarkup(token, line, at - lineStart)) continue;
      found.push({ family, token });
    }
  }
  return found;
}

/** `<name>` closed by `</name>` later on its line, or `</name>` opened earlier on it: markup, not a token. */
function isClosedMarkup(token: string, line: string, at: number): boolean {
  const name = /^<\/?([A-Za-z]\w*)>$/.exec(token)?.[1];
  if (!name) return false;
  return token.startsWith('</') ? line.slice(0, at).includes(`<${name}>`) : line.slice(at + token.length).includes(`</${name}>`);
}

/** Special or added tokens anywhere in the text (one end marker at its very end is the stop: see stop-marker.ts). */
export function specialTokens(ctx: Pick<JudgeContext, 'text'>, t: JudgeThresholds): CheckResult {
  const found = leakedSpecialTokens(ctx.text);
  if (found.length > t.maxTokenizerArtifacts) {
    const byFamily = new Map<string, string[]>();
    for (const { family, token } of found) byFamily.set(family, [...(byFamily.get(family) ?? []), token]);
    const detail = [...byFamily].map(([family, tokens]) => `${tokens.length}× ${family} (${[...new Set(tokens)].slice(0, 3).map((x) => JSON.stringify(x)).join(', ')})`).join(', ');
    return result('special-tokens', false, scoreAtMost(found.length, t.maxTokenizerArtifacts + 1, 0), `special tokens leaked into the text: ${detail}`);
  }
  return result('special-tokens', true, 1, 'no special tokens');
}
