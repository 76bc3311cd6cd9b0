/**
 * `npm run judge:eval [-- --split dev|holdout] [--file real-world.jsonl] [--show-holdout-errors]`: scores the judge on the labelled corpus in
 * fixtures/judge-corpus, per split and per kind. The holdout split is for the final score only: its misjudged
 * samples are hidden unless asked for, so nobody tunes on them by accident.
 */
import { parseArgs } from 'node:util';
import { join } from 'node:path';
import { readCorpus, readCorpusDir } from './corpus/corpus.ts';
import { evaluate, formatTally } from './eval.ts';

const { values } = parseArgs({ options: { split: { type: 'string' }, file: { type: 'string' }, 'show-holdout-errors': { type: 'boolean', default: false } } });
const corpusDir = new URL('../../fixtures/judge-corpus/', import.meta.url).pathname;
const corpus = values.file ? readCorpus(join(corpusDir, values.file)) : readCorpusDir(corpusDir);
const samples = corpus.filter((s) => !values.split || s.split === values.split);
const { bySplit, byKind, misjudged } = evaluate(samples);

console.log(`judge eval: ${samples.length} samples from ${corpusDir}\n`);
for (const [split, t] of [...bySplit].sort()) console.log(formatTally(split, t));
console.log('\nper kind:');
for (const [kind, t] of [...byKind].sort()) console.log(formatTally(kind, t));
const shown = misjudged.filter((m) => m.sample.split === 'dev' || values['show-holdout-errors']);
if (shown.length) console.log(`\nmisjudged${values['show-holdout-errors'] ? '' : ' (dev only)'}:`);
for (const { sample, verdict } of shown) {
  console.log(`- ${sample.id} [${sample.label} → ${verdict.verdict}, score ${verdict.score.toFixed(2)}] ${verdict.reasons.join(' | ') || verdict.checks.map((c) => `${c.name}: ${c.reason}`).filter((r) => /salad|loop|fault/.test(r)).join(' | ') || JSON.stringify(sample.text.slice(0, 100))}`);
}
const hidden = misjudged.length - shown.length;
if (hidden) console.log(`\n(${hidden} holdout samples misjudged; --show-holdout-errors to list them)`);
