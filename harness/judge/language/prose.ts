/**
 * Splits an output into prose and code. Prose checks (dictionary, word order, function words) only read the
 * prose: code is legitimately full of identifiers and symbols. A line is code inside a ``` fence, when indented
 * like a block, when it is dense with code punctuation, or when it belongs to a Markdown table.
 */
export interface ProseSplit {
  /** The prose lines, in order. */
  lines: string[];
  /** Share of non-blank lines judged to be code. */
  codeShare: number;
}

const CODE_PUNCT = /[{}();=<>[\]]/g;
const SPEAKER_TAG = /^\s*<[^<>\s]{1,30}>\s*/;
/**
 * HTML formatting tags and character entities an answer renders with (`<br/>`, `<p>`, `</li>`, `&nbsp;`, `&#39;`):
 * markup, not words. Only tags of HTML text formatting: `<s>`, `<unk>`, `<|im_end|>` are tokenizer tokens, left
 * for the special-token check to see.
 */
const HTML_MARKUP = /<\/?(?:br|p|li|ul|ol|b|i|u|em|strong|div|span|h[1-6]|code|pre|hr|sup|sub|table|thead|tbody|tr|td|th|blockquote|small|mark|del|ins|a|img)(?:\s[^<>]*)?\/?>|&(?:nbsp|amp|lt|gt|quot|apos|mdash|ndash|hellip|rsquo|lsquo|rdquo|ldquo|#\d{1,6}|#x[\da-f]{1,6});/gi;
/** A prose line as read: markup removed (a tag between two words separates them). */
const withoutMarkup = (line: string) => line.replace(SPEAKER_TAG, '').replace(HTML_MARKUP, ' ');

export function splitProse(text: string): ProseSplit {
  const all = text.split('\n');
  // Inside a JSON array ("[" on a line of its own), a line holding one quoted string is an item, not prose.
  const jsonArray = all.some((line) => /^\s*\[\s*$/.test(line));
  const table = tableRows(all);
  const lines: string[] = [];
  let inFence = false;
  let code = 0;
  let nonBlank = 0;
  all.forEach((line, i) => {
    if (!line.trim()) return;
    nonBlank++;
    if (/^\s*```/.test(line)) { inFence = !inFence; code++; return; }
    // A chat log's speaker tag ("<link_0> oh") and HTML formatting are markup, not words: a line is judged without
    // them (its brackets would make a sentence with `<br/>` in it look like code); a line of markup only is code.
    const read = withoutMarkup(line);
    if (inFence || table.has(i) || !read.trim() || looksLikeCode(read) || (jsonArray && /^\s*"[^"]*",?\s*$/.test(line))) { code++; return; }
    lines.push(read);
  });
  return { lines, codeShare: nonBlank ? code / nonBlank : 0 };
}

const isPipeRow = (line: string) => /^\s*\|.*\|\s*$/.test(line);
const cellsOf = (line: string) => line.trim().replace(/^\||\|$/g, '').split('|');
const isDelimiterRow = (line: string) => isPipeRow(line) && cellsOf(line).every((c) => /^\s*:?-+:?\s*$/.test(c));

/**
 * Markdown (GFM) tables: a header row, a delimiter row with as many cells (`|---|:--|`), then body rows. Lines
 * merely framed by pipes are not a table: broken tokenizers produce `|-|re|re|` junk that must stay prose.
 */
function tableRows(lines: readonly string[]): Set<number> {
  const rows = new Set<number>();
  for (let i = 1; i < lines.length; i++) {
    const header = lines[i - 1] ?? '';
    if (!isDelimiterRow(lines[i] ?? '') || !isPipeRow(header) || cellsOf(header).length !== cellsOf(lines[i] ?? '').length) continue;
    rows.add(i - 1);
    for (let j = i; j < lines.length && isPipeRow(lines[j] ?? ''); j++) rows.add(j);
  }
  return rows;
}

/** Code keywords start code lines in lower case; English sentences start with a capital. */
const CODE_START = /^\s*(?:def|class|return|import|from|elif|else|if|for|while|try|except|finally|with|function|const|let|var|public|private|protected|static|fn|func|package|using|#include|#define)\b/;
/** A shell command as answers write them ("pip install numpy scipy", "$ git clone …"). */
const SHELL_COMMAND = /^\s*(?:\$\s+)?(?:sudo\s+)?(?:pip3?|npm|npx|yarn|pnpm|apt(?:-get)?|brew|git|docker|kubectl|curl|wget|cargo|go|conda|make|cmake)\s+[\w-]+/;
/** JSON members (`"key": …`) and lines of brackets only (`},`, `]`). */
const DATA_LINE = /^\s*(?:"[\w .-]+"\s*:\s*(?:["{[\d-]|true|false|null)|[[\]{}(),;]+\s*$)/;

function looksLikeCode(line: string): boolean {
  if (/^(\t| {4,})\S/.test(line) && /[(){}=:;[\]]/.test(line)) return true;
  if (DATA_LINE.test(line) || SHELL_COMMAND.test(line)) return true;
  if (CODE_START.test(line) && (/^(\t| {2,})\S/.test(line) || /[:;{}]\s*$|[=()[\]]/.test(line))) return true;
  const punct = line.match(CODE_PUNCT)?.length ?? 0;
  // Code opens what it closes; a run of "}`" in text is tokenizer junk, not a program.
  const open = line.match(/[({[]/g)?.length ?? 0;
  const close = line.match(/[)}\]]/g)?.length ?? 0;
  if (Math.abs(open - close) > Math.max(2, (open + close) / 2)) return false;
  return punct >= 3 && punct / line.trim().length >= 0.06;
}
