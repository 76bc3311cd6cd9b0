import type { BenchConfig, GenerationConfig } from '../config/schema.ts';
import type { PreparedEngine } from '../engine/engine.ts';
import { EngineOutputError } from '../errors.ts';
import type { Logger } from '../log.ts';
import type { Repetition, ThroughputMeasurement } from '../results/types.ts';
import { latencyOf } from './latency.ts';
import { sampleStats } from './sample-stats.ts';

type ThroughputConfig = BenchConfig['throughput'];

/**
 * llama-bench's method on the harness's engine: one fixed prompt, exactly `nPredict` tokens (end-of-text
 * ignored, so every repetition does the same work), `warmup` untimed runs, then `repetitions` timed ones.
 * The figures are the engine's own; a repetition without timings is logged and left out (n says how many counted).
 */
export async function measureThroughput(engine: PreparedEngine, cfg: ThroughputConfig, gen: GenerationConfig, log: Logger, signal?: AbortSignal): Promise<ThroughputMeasurement> {
  const prompt = { id: 'throughput-workload', text: cfg.workload.prompt };
  const workloadGen = { ...gen, nPredict: cfg.workload.nPredict };
  const repetitions: Repetition[] = [];
  for (let i = 0; i < cfg.warmup + cfg.repetitions; i++) {
    const warm = i < cfg.warmup;
    try {
      const g = await engine.generate(prompt, workloadGen, { ignoreEos: true, signal });
      if (!warm) repetitions.push({ timings: g.timings, latency: latencyOf(g.stream, g.timings.evalTokens), wallMs: g.wallMs });
      log.info(`throughput ${warm ? 'warm-up' : `repetition ${i - cfg.warmup + 1}/${cfg.repetitions}`}: ${g.timings.tokensPerSecond?.toFixed(2) ?? 'n/a'} tok/s, ${g.timings.evalTokens} tokens`);
    } catch (error) {
      if (!(error instanceof EngineOutputError)) throw error;
      log.warn(`throughput ${warm ? 'warm-up' : 'repetition'} ${i + 1} had no usable timings: ${error.message}`);
    }
  }
  const c = cfg.confidence;
  const of = (pick: (r: Repetition) => number | null) => sampleStats(repetitions.map(pick), c);
  return {
    mode: engine.mode,
    workload: { prompt: prompt.text, nPredict: workloadGen.nPredict, promptTokens: repetitions[0]?.timings.promptTokens ?? 0 },
    warmup: cfg.warmup,
    planned: cfg.repetitions,
    repetitions,
    tokensPerSecond: of((r) => r.timings.tokensPerSecond),
    promptTokensPerSecond: of((r) => r.timings.promptTokensPerSecond),
    ttftMs: of((r) => r.latency.ttftMs),
    tpotMs: of((r) => r.latency.tpotMs),
  };
}
