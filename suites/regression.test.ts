import { assert, describe, inject, it } from 'vitest';
import { snapshotOf } from '../harness/baselines/from-run.ts';
import { describeAgreement, isEarly } from '../harness/compare/agreement.ts';
import { compareRun, failsJudge } from '../harness/compare/compare.ts';
import { describeDivergence } from '../harness/compare/divergence.ts';
import { describeRate, describeRateOn } from '../harness/compare/rate.ts';
import { excerpt } from './excerpt.ts';

const run = inject('bench');
const baselines = inject('benchBaselines');
// judge.failOnRepetition decides, as in the coherence suite, whether a repetitive output counts as failing the judge
const options = { ...inject('benchCompare'), failOnRepetition: run.failOnRepetition };
const current = run.environment ? snapshotOf(run, { label: 'this run' }) : undefined;

/**
 * Per prompt and baseline. Against a previous run of this platform: "no regression", failing with the diagnosis
 * (and where the greedy output diverged, or the rate change). Against a platform or simulated baseline the
 * diagnosis is reported as an annotation and never fails: ARM word salad is not a failure of this run. Against a
 * greedy reference that applies (same engine code, model file, temperature 0), the word-level agreement goes with
 * it; the test fails only when this run both failed the judge and left the reference early — agreement is
 * evidence beside the judge, never a verdict of its own.
 */
if (!baselines.length || !current) {
  it.skip('no baselines configured: set "baselines" in bench.config.json or BENCH_BASELINES=a.json,b.json');
}

for (const baseline of current ? baselines : []) {
  const comparison = compareRun(current!, baseline, options);
  const byId = new Map(comparison.prompts.map((p) => [p.promptId, p]));
  const reference = comparison.reference;
  describe(`vs ${baseline.label} (${baseline.kind})`, () => {
    for (const id of run.promptIds) {
      const p = byId.get(id);
      const name = p?.prompt ?? id;
      const failedJudge = Boolean(p?.current && failsJudge(p.current, options));
      const agreement = p?.agreement ? describeAgreement(p.agreement, reference!.name, failedJudge) : undefined;
      if (baseline.kind === 'previous-run') {
        it(`${name}: no regression against ${baseline.label}`, () => {
          if (!p?.current) assert.fail(`no result for "${id}" in this run (see ${run.reportDir})`);
          const problems: string[] = [];
          if (p.diagnosis.regression) problems.push(p.diagnosis.summary, ...(agreement ? [agreement] : p.divergence ? [describeDivergence(p.divergence)] : []), `output now: ${JSON.stringify(excerpt(p.current.text))}`);
          if (p.slower) problems.push(`token rate: ${describeRate(p.rate)}${p.rate.note ? ` (${p.rate.note})` : ''}`);
          if (problems.length) assert.fail(problems.join('\n'));
        });
      } else if (reference && !reference.mismatch) {
        it(`${name}: agreement with ${reference.name}`, async ({ annotate }) => {
          if (!p?.current || !p.agreement) return;
          const lines = [agreement!, p.diagnosis.summary, describeRateOn(p.rate, baseline.environment.cpu)];
          if (failedJudge && isEarly(p.agreement)) {
            const why = p.current.error ? [`the engine produced no usable output: ${p.current.error}`] : [`judge: ${p.current.verdict} (score ${p.current.score.toFixed(2)})`, ...p.current.reasons.map((r) => `  - ${r}`)];
            assert.fail([...lines, ...why, `output: ${JSON.stringify(excerpt(p.current.text))}`].join('\n'));
          }
          await annotate(`${lines.join('; ')} (different machine: rate not gated)`);
        });
      } else {
        it(`${name}: diagnosis against ${baseline.label}`, async ({ annotate }) => {
          if (!p) return;
          const unused = reference?.mismatch ? `; no agreement figures: ${reference.mismatch}` : '';
          await annotate(`${p.diagnosis.summary}; ${describeRateOn(p.rate, baseline.environment.cpu)} (different platform: not gated)${unused}`);
        });
      }
    }
  });
}
