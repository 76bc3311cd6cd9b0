/**
 * Turns finished runs into judge-corpus samples: `npx tsx harness/judge/corpus/from-runs.ts OUT.jsonl LABEL=RUN_FOLDER …`
 * where LABEL is `coherent`, `repetitive` or `degenerate` (what the model is known to produce, not what the judge said).
 * Used for fixtures/judge-corpus/tiny-models.jsonl: real engine outputs of the three tiny models. Every other
 * sample goes to the holdout split, so real outputs are scored, not only tuned on.
 */
import { writeFileSync } from 'node:fs';
import { readRunFolder } from '../../results/run-folder.ts';
import { loadPromptSet } from '../../config/load.ts';

const [out, ...specs] = process.argv.slice(2);
if (!out || specs.length === 0) {
  console.error('usage: npx tsx harness/judge/corpus/from-runs.ts OUT.jsonl coherent=reports/<run> degenerate=reports/<run> …');
  process.exit(3);
}
const expectations = new Map(loadPromptSet('fixtures/prompts/demo.json').prompts.map((p) => [p.text, p.expect]));
const lines: string[] = [];
for (const spec of specs) {
  const [label, dir] = spec.split('=');
  if ((label !== 'coherent' && label !== 'repetitive' && label !== 'degenerate') || !dir) {
    console.error(`bad argument ${JSON.stringify(spec)}: write coherent=, repetitive= or degenerate=<run folder>`);
    process.exit(3);
  }
  const record = readRunFolder(dir);
  const model = record.environment?.modelName ?? 'unknown-model';
  for (const row of record.rows) {
    const split = lines.length % 2 === 0 ? 'dev' : 'holdout';
    lines.push(JSON.stringify({ id: `${model}-${row.promptId}`, text: row.text, prompt: row.prompt, expect: expectations.get(row.prompt), label, kind: `tiny-model:${model}`, split }));
  }
}
writeFileSync(out, `${lines.join('\n')}\n`);
console.log(`wrote ${lines.length} samples to ${out}`);
