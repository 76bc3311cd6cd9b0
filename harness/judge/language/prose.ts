/**
 * Splits an output into prose and code. Prose checks (dictionary, word order, function words) only read the
 * prose: code is legitimately full of identifiers and symbols. A line is code inside a ``` fence, when indented
 * like a block, or when it is dense with code punctuation.
 */
export interface ProseSplit {
  /** The prose lines, in order. */
  lines: string[];
  /** Share of non-blank lines judged to be code. */
  codeShare: number;
}

const CODE_PUNCT = /[{}();=<>[\]]/g;

export function splitProse(text: string): ProseSplit {
  const lines: string[] = [];
  let inFence = false;
  let code = 0;
  let nonBlank = 0;
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    nonBlank++;
    if (/^\s*```/.test(line)) { inFence = !inFence; code++; continue; }
    if (inFence || looksLikeCode(line)) { code++; continue; }
    lines.push(line);
  }
  return { lines, codeShare: nonBlank ? code / nonBlank : 0 };
}

function looksLikeCode(line: string): boolean {
  if (/^\s*\|.*\|\s*$/.test(line)) return true; // a Markdown table row
  if (/^(\t| {4,})\S/.test(line) && /[(){}=:;[\]]/.test(line)) return true;
  const punct = line.match(CODE_PUNCT)?.length ?? 0;
  return punct >= 3 && punct / line.trim().length >= 0.06;
}
