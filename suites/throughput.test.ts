import { assert, describe, inject, it } from 'vitest';

const run = inject('bench');
const { minTokensPerSecond: min, maxTokensPerSecond: max } = run.throughputBounds;

/** Token rate per prompt within the configured bounds (the seed expects 2–10 tok/s for BitNet 2B on a CPU). */
describe(`throughput: ${min} ≤ tok/s${max ? ` ≤ ${max}` : ''}`, () => {
  for (const row of run.rows) {
    it(row.prompt, () => {
      if (row.error) assert.fail(`no timings: ${row.error}`);
      const rate = row.timings.tokensPerSecond;
      if (rate === null) assert.fail(`the engine reported no measurable eval rate (${row.timings.evalTokens} tokens in ${row.timings.evalMs} ms)`);
      if (rate < min) assert.fail(`${rate.toFixed(2)} tok/s is below the minimum ${min} tok/s (${row.timings.evalTokens} tokens in ${(row.timings.evalMs / 1000).toFixed(1)} s)`);
      if (max !== undefined && rate > max) assert.fail(`${rate.toFixed(2)} tok/s is above the maximum ${max} tok/s — suspiciously fast; is the model the right one?`);
    });
  }
});
