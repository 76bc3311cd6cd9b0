import { assert, describe, inject, it } from 'vitest';
import { snapshotOf } from '../harness/baselines/from-run.ts';
import { compareRun } from '../harness/compare/compare.ts';
import { describeDivergence } from '../harness/compare/divergence.ts';
import { describeRate } from '../harness/compare/rate.ts';
import { excerpt } from './excerpt.ts';

const run = inject('bench');
const baselines = inject('benchBaselines');
const options = inject('benchCompare');
const current = run.environment ? snapshotOf(run, { label: 'this run' }) : undefined;

/**
 * Per prompt and baseline. Against a previous run of this platform: "no regression", failing with the diagnosis
 * (and where the greedy output diverged, or the rate change). Against a platform or simulated baseline the
 * diagnosis is reported as an annotation and never fails: ARM word salad is not a failure of this run.
 */
if (!baselines.length || !current) {
  it.skip('no baselines configured: set "baselines" in bench.config.json or BENCH_BASELINES=a.json,b.json');
}

for (const baseline of current ? baselines : []) {
  const comparison = compareRun(current!, baseline, options);
  const byId = new Map(comparison.prompts.map((p) => [p.promptId, p]));
  describe(`vs ${baseline.label} (${baseline.kind})`, () => {
    for (const id of run.promptIds) {
      const p = byId.get(id);
      const name = p?.prompt ?? id;
      if (baseline.kind === 'previous-run') {
        it(`${name}: no regression against ${baseline.label}`, () => {
          if (!p?.current) assert.fail(`no result for "${id}" in this run (see ${run.reportDir})`);
          const problems: string[] = [];
          if (p.diagnosis.regression) problems.push(p.diagnosis.summary, ...(p.divergence ? [describeDivergence(p.divergence)] : []), `output now: ${JSON.stringify(excerpt(p.current.text))}`);
          if (p.slower) problems.push(`token rate: ${describeRate(p.rate)}${p.rate.note ? ` (${p.rate.note})` : ''}`);
          if (problems.length) assert.fail(problems.join('\n'));
        });
      } else {
        it(`${name}: diagnosis against ${baseline.label}`, async ({ annotate }) => {
          if (!p) return;
          await annotate(`${p.diagnosis.summary}; ${describeRate(p.rate)} (different platform: not gated)`);
        });
      }
    }
  });
}
