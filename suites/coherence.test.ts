import { assert, describe, inject, it } from 'vitest';
import { printable } from '../harness/reports/printable.ts';
import { verdictPasses } from '../harness/judge/types.ts';
import { REPETITION_WARNING } from '../harness/reports/verdict-cell.ts';
import { excerpt } from './excerpt.ts';

const run = inject('bench');
const rows = new Map(run.rows.map((row) => [row.promptId, row]));
const where = run.environment ? `${run.environment.engine} on ${run.environment.targetLabel} (${run.environment.machine.arch})` : run.project;
const policy = { failOnRepetition: run.failOnRepetition };

/**
 * One test per prompt, named by the prompt: "not word salad", with the judge's reasons when it is. A `repetitive`
 * output (fluent sentences that repeat) passes with a warning annotation unless judge.failOnRepetition is set.
 */
describe(`coherence: ${where}`, () => {
  for (const id of run.promptIds) {
    const row = rows.get(id);
    it(row?.prompt ?? id, async ({ annotate }) => {
      if (!row) assert.fail(`no result for "${id}": the run stopped before reaching it (see ${run.reportDir})`);
      if (row.error) assert.fail(`infrastructure fault, not a quality verdict: ${printable(row.error)}`);
      const detail = `(score ${row.score.toFixed(2)}):\n  - ${printable(row.reasons.join('\n  - '))}\noutput: ${JSON.stringify(excerpt(row.text))}`;
      if (!verdictPasses(row.verdict, policy)) {
        assert.fail(`${row.verdict} output${row.verdict === 'repetitive' ? ' (judge.failOnRepetition is set)' : ''} ${detail}`);
      }
      if (row.verdict === 'repetitive') {
        const warning = `repetitive output: ${REPETITION_WARNING} ${detail}`;
        console.warn(`⚠ ${id}: ${warning}`);
        await annotate(warning, 'warning');
      }
    });
  }
});
