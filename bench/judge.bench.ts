import { bench, describe } from 'vitest';
import { join } from 'node:path';
import { readCorpus } from '../harness/judge/corpus/corpus.ts';
import { judge } from '../harness/judge/index.ts';

/**
 * Target: judging 10 outputs of ~500 tokens takes ≤ 50 ms in total. The outputs are corpus texts (coherent and
 * broken) extended to about 500 words, the size of a seed prompt's generation. `npm run bench:judge` prints
 * the mean time per batch of 10.
 */
// The corpus files the target was first measured on: samples added later do not move the figure.
const BENCH_FILES = ['coherent.jsonl', 'degenerate.jsonl', 'fresh-holdout.jsonl', 'real-world.jsonl', 'tiny-models.jsonl'];
const corpusDir = new URL('../fixtures/judge-corpus/', import.meta.url).pathname;
const samples = BENCH_FILES.flatMap((file) => readCorpus(join(corpusDir, file)))
  .filter((s) => s.text.split(/\s+/).length > 100)
  .filter((_, i) => i % 5 === 0)
  .slice(0, 10)
  .map((s) => {
    let text = s.text;
    while (text.split(/\s+/).length < 500) text += `\n\n${s.text}`;
    return { text: text.split(/(?<=\s)/).slice(0, 500).join(''), prompt: s.prompt };
  });

const judgeAll = () => { for (const s of samples) judge(s); };

describe(`judge ${samples.length} outputs of 500 words`, () => {
  judgeAll(); // load the lexicons outside the measurement
  bench('judge 10 × 500-word outputs', judgeAll, { iterations: 30 });
});

/** Target: a 5 MB text (a runaway generation, or a file passed to `npm run judge`) is judged in under 2 s. */
const coherent = BENCH_FILES.flatMap((file) => readCorpus(join(corpusDir, file))).filter((s) => s.label === 'coherent').map((s) => s.text).join('\n\n');
const fiveMegabytes = coherent.repeat(Math.ceil(5_000_000 / coherent.length)).slice(0, 5_000_000);

describe('judge one 5 MB text', () => {
  bench('judge a 5 MB text', () => { judge({ text: fiveMegabytes }); }, { iterations: 5 });
});
