import { brill } from 'brill';

/**
 * Which letter sequences do English words contain? Counts of letter trigrams (word start and end marked `^` and
 * `$`) over the lexicon's 89,539 words (npm `brill`). A word holding a trigram that no English word holds
 * ("withjyoursmectets": `thj`, `hjy`) is not an English word however it is cut: glued or invented by a broken
 * sampler. Measured on Hunspell's English words that Brill lacks (docs/judge.md): 1.8% of real words of 5+ letters
 * have such a trigram somewhere (1.4% of those of 8+ letters inside), against 10–14% of German and Dutch words.
 * Built on first use (~95 ms on a loaded machine).
 */
let trigrams: Map<string, number> | undefined;

function build(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const word of Object.keys(brill)) {
    const marked = `^${word.toLowerCase()}$`;
    if (!/^\^[a-z]+\$$/.test(marked)) continue;
    for (let i = 0; i + 3 <= marked.length; i++) {
      const g = marked.slice(i, i + 3);
      counts.set(g, (counts.get(g) ?? 0) + 1);
    }
  }
  return counts;
}

/**
 * The trigrams of a lower-case a–z word seen in fewer than `below` English words (1: never), e.g. ['hjy', 'thj'].
 * Words with other letters (accents, other scripts) are not judged: the model knows only English spelling.
 */
export function rareTrigrams(word: string, below = 1): string[] {
  const lower = word.toLowerCase();
  if (!/^[a-z]+$/.test(lower)) return [];
  trigrams ??= build();
  const marked = `^${lower}$`;
  const rare: string[] = [];
  for (let i = 0; i + 3 <= marked.length; i++) {
    const g = marked.slice(i, i + 3);
    if ((trigrams.get(g) ?? 0) < below) rare.push(g);
  }
  return rare;
}
