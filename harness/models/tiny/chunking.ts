/** SentencePiece's space marker: a space in text is this character in a vocabulary piece. */
export const SPACE_MARKER = '\u2581';

export function toPieceText(text: string): string {
  return text.replaceAll(' ', SPACE_MARKER);
}

/** The words of a piece text, each keeping its leading space marker: "▁a▁b" → ["▁a", "▁b"]. */
export function splitWords(pieceText: string): string[] {
  return pieceText.split(new RegExp(`(?=${SPACE_MARKER})`, 'u')).filter((w) => w.length > 0);
}

/**
 * Splits every continuation into chunks of whole words such that no chunk text occurs twice across all
 * continuations (nor equals a name in `taken`). The coherent model maps each token to one successor, so a
 * token used twice would make the chain ambiguous; repeated words like "▁the" therefore join their
 * neighbours ("▁the▁same") until the chunk is new. Chunks stay as short as uniqueness allows, so each
 * continuation yields many tokens.
 */
export function chunkContinuations(continuations: readonly string[], taken: ReadonlySet<string> = new Set()): string[][] {
  const used = new Set(taken);
  return continuations.map((continuation, index) => {
    const words = splitWords(toPieceText(continuation));
    const chunks: string[] = [];
    let i = 0;
    while (i < words.length) {
      let chunk = words[i++]!;
      while (used.has(chunk) && i < words.length) chunk += words[i++]!;
      if (used.has(chunk)) {
        // The tail repeats an earlier chunk even at full length: glue it to the previous chunk instead.
        const previous = chunks.pop();
        if (previous === undefined) throw new Error(`continuation ${index} repeats an earlier continuation entirely`);
        used.delete(previous);
        chunk = previous + chunk;
        if (used.has(chunk)) throw new Error(`continuation ${index}: cannot split "${chunk}" into unique chunks`);
      }
      used.add(chunk);
      chunks.push(chunk);
    }
    return chunks;
  });
}
