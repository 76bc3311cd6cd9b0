import { expectedLanguage, isForeignParagraph, TRANSLATION_CUE, type ExpectedLanguage } from './language/prompt-language.ts';
import { splitProse } from './language/prose.ts';
import { tokenize, type Token } from './language/tokens.ts';
import type { JudgeInput } from './types.ts';

/** What every check reads, computed once per output. */
export interface JudgeContext {
  input: JudgeInput;
  text: string;
  /** All tokens of the output (code included). */
  tokens: Token[];
  /** Every run of letters/digits and every run of one other non-space character, as written: what loops are found in. */
  rawTokens: string[];
  /** Tokens of each prose line (code lines left out), one array per line. */
  proseLines: Token[][];
  /** The prose lines as written (what the tokens of proseLines came from). */
  proseText: string[];
  /** Prose word tokens, in order. */
  proseWords: Token[];
  codeShare: number;
  /** The output stops mid-sentence (token limit): its last word may be cut. */
  truncated: boolean;
  /** Set on the context of one ~50-word window of a longer text: sentence-level searches were done on the whole. */
  window?: boolean;
  /** Scripts and language the prompt allows; English-only checks stand aside for other languages. */
  language: ExpectedLanguage;
}

/** `language` may be passed when it is already known (the windows of one output share their prompt's). */
export function buildContext(input: JudgeInput, known?: ExpectedLanguage): JudgeContext {
  const text = input.text;
  const prose = splitProse(text);
  // The language is the prose's: code is Latin whatever language its introduction is written in.
  const language = known ?? expectedLanguage(input.prompt, prose.lines.length ? prose.lines.join('\n') : text);
  // A window (`known` language) is cut from prose that was already filtered.
  const lines = language.english && !known ? withoutTranslatedParagraphs(prose.lines, input.prompt) : prose.lines;
  const proseLines = lines.map(tokenize);
  return {
    input,
    text,
    tokens: tokenize(text),
    rawTokens: text.match(/[\p{L}\p{M}\p{N}]+|([^\s\p{L}\p{M}\p{N}])\1*/gu) ?? [],
    proseLines,
    proseText: lines,
    proseWords: proseLines.flat().filter((t) => t.kind === 'word'),
    codeShare: prose.codeShare,
    truncated: !/[.!?"'”)\]}`*:]\s*$/.test(text),
    language,
  };
}

/**
 * An English answer that says it translates ("Here is the French translation:") or is asked to holds whole
 * paragraphs in that language: like code, they are left out of the English checks. Paragraphs only: a switch inside
 * a paragraph is a fault, and so is a foreign paragraph nobody asked for.
 */
function withoutTranslatedParagraphs(lines: string[], prompt: string | undefined): string[] {
  if (lines.length < 2 || !(TRANSLATION_CUE.test(prompt ?? '') || lines.some((l) => TRANSLATION_CUE.test(l)))) return lines;
  const kept = lines.filter((l) => !isForeignParagraph(l));
  return kept.length ? kept : lines;
}
