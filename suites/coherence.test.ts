import { assert, describe, inject, it } from 'vitest';
import { printable } from '../harness/reports/printable.ts';
import { excerpt } from './excerpt.ts';

const run = inject('bench');
const rows = new Map(run.rows.map((row) => [row.promptId, row]));
const where = run.environment ? `${run.environment.engine} on ${run.environment.targetLabel} (${run.environment.machine.arch})` : run.project;

/** One test per prompt, named by the prompt: "not word salad", with the judge's reasons when it is. */
describe(`coherence: ${where}`, () => {
  for (const id of run.promptIds) {
    const row = rows.get(id);
    it(row?.prompt ?? id, () => {
      if (!row) assert.fail(`no result for "${id}": the run stopped before reaching it (see ${run.reportDir})`);
      if (row.error) assert.fail(`infrastructure fault, not a quality verdict: ${printable(row.error)}`);
      if (row.verdict !== 'coherent') {
        assert.fail(`degenerate output (score ${row.score.toFixed(2)}):\n  - ${printable(row.reasons.join('\n  - '))}\noutput: ${JSON.stringify(excerpt(row.text))}`);
      }
    });
  }
});
