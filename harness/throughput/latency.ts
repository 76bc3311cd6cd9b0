import type { TokenStream } from '../engine/engine.ts';
import type { Latency } from '../results/types.ts';
import { percentile } from '../stats/index.ts';

/**
 * Latency figures from the stream's arrival times. Token counts are the engine's (`evalTokens`), never the number
 * of stream chunks: TPOT divides the first-to-last-token span by the engine's count less the first token.
 */
export function latencyOf(stream: TokenStream, evalTokens: number): Latency {
  const times = stream.tokenTimesMs;
  const last = times?.at(-1);
  const tpotMs = times && last !== undefined && stream.firstTokenMs !== null && evalTokens > 1 ? (last - stream.firstTokenMs) / (evalTokens - 1) : null;
  const gaps = times ? times.slice(1).map((t, i) => t - times[i]!) : [];
  return {
    ttftMs: stream.firstTokenMs,
    tpotMs,
    itlMs: gaps.length ? { p50: percentile(gaps, 50), p90: percentile(gaps, 90), p99: percentile(gaps, 99) } : null,
  };
}
