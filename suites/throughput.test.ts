import { assert, describe, inject, it } from 'vitest';
import { describeStats } from '../harness/throughput/sample-stats.ts';

const run = inject('bench');
const { minTokensPerSecond: min, maxTokensPerSecond: max, maxRelativeMarginOfError: maxMoe } = run.throughputBounds;
const bounds = `${min} ≤ tok/s${max ? ` ≤ ${max}` : ''}`;

function checkBounds(rate: number, what: string): void {
  if (rate < min) assert.fail(`${rate.toFixed(2)} tok/s is below the minimum ${min} tok/s (${what})`);
  if (max !== undefined && rate > max) assert.fail(`${rate.toFixed(2)} tok/s is above the maximum ${max} tok/s — suspiciously fast; is the model the right one? (${what})`);
}

/** Token rate per prompt within the configured bounds (the seed expects 2–10 tok/s for BitNet 2B on a CPU). */
describe(`throughput: ${bounds}`, () => {
  for (const row of run.rows) {
    const samples = row.samples ?? [];
    it(samples.length > 1 ? `${row.prompt} (mean of ${samples.length})` : row.prompt, () => {
      if (row.error) assert.fail(`no timings: ${row.error}`);
      const rate = row.timings.tokensPerSecond;
      if (rate === null) assert.fail(`the engine reported no measurable eval rate (${row.timings.evalTokens} tokens in ${row.timings.evalMs} ms)`);
      const mean = samples.length > 1 ? samples.reduce((a, b) => a + b, 0) / samples.length : rate;
      checkBounds(mean, `${row.timings.evalTokens} tokens in ${(row.timings.evalMs / 1000).toFixed(1)} s${samples.length > 1 ? `; samples ${samples.map((s) => s.toFixed(2)).join(', ')}` : ''}`);
    });
  }
});

/** The fixed workload, repeated llama-bench style: mean ± sd and margin of error are in the test names. */
const t = run.throughput;
describe.runIf(t)(`throughput workload tg${t?.workload.nPredict} (${t?.mode} mode): ${t ? describeStats(t.tokensPerSecond, 'tok/s') : ''}`, () => {
  it(`every planned repetition produced engine timings (${t?.repetitions.length}/${t?.planned} after ${t?.warmup} warm-up)`, () => {
    assert.strictEqual(t!.tokensPerSecond.n, t!.planned, `${t!.planned - t!.tokensPerSecond.n} repetitions had no usable timings (see the run log)`);
  });
  it(`every repetition generated exactly ${t?.workload.nPredict} tokens (engine's count)`, () => {
    const counts = t!.repetitions.map((r) => r.timings.evalTokens);
    // process mode's perf print counts the first token with the prompt eval, hence n − 1 there
    const ok = counts.every((c) => c === t!.workload.nPredict || (t!.mode === 'process' && c === t!.workload.nPredict - 1));
    assert.ok(ok, `token counts per repetition: ${counts.join(', ')}`);
  });
  it(`mean eval rate within ${bounds}`, () => {
    if (t!.tokensPerSecond.mean === null) assert.fail('no repetition reported an eval rate');
    checkBounds(t!.tokensPerSecond.mean, `samples ${t!.tokensPerSecond.samples.map((s) => s.toFixed(2)).join(', ')}`);
  });
  it.runIf(maxMoe !== undefined)(`relative margin of error ≤ ${((maxMoe ?? 0) * 100).toFixed(1)} %`, () => {
    const moe = t!.tokensPerSecond.relativeMarginOfError;
    if (moe === null) assert.fail(`no margin of error from ${t!.tokensPerSecond.n} sample(s): configure throughput.repetitions ≥ 2`);
    if (moe > maxMoe!) assert.fail(`±${(moe * 100).toFixed(1)} % exceeds ±${(maxMoe! * 100).toFixed(1)} %: the machine is too noisy for this many repetitions; raise throughput.repetitions or quiet the host`);
  });
});
