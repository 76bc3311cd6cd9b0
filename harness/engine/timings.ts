import { EngineOutputError } from '../errors.ts';
import type { EngineTimings } from '../results/types.ts';
import { tailInline } from './output-tail.ts';

/**
 * Reads the engine's perf print. Three prefixes are seen in the wild, with the same body:
 *   llama_print_timings:        (llama.cpp 2023–24)
 *   llama_perf_context_print:   (late 2024; bitnet.cpp's fork)
 *   common_perf_print:          (mainline since late 2025, behind a log prefix like `0.00.103.740 I `)
 * `prompt eval time` and `eval time` are told apart by the whole label, never by a substring.
 */
const TIMING_LINE =
  /(?:llama_print_timings|llama_perf_context_print|common_perf_print):\s+(load|prompt eval|eval|total|sample|sampling) time\s*=\s*([\d.]+)\s*ms(?:\s*\/\s*(\d+)\s*(?:runs|tokens))?(?:\s*\(\s*(?:[\d.]+|inf|-?nan)\s*ms per token,\s*([\d.]+|inf|-?nan)\s*tokens per second\))?/i;

interface Line {
  ms: number;
  count?: number;
  rate?: number | null;
}

export function parseTimingLines(text: string): Map<string, Line> {
  const found = new Map<string, Line>();
  for (const line of text.split(/\r?\n/)) {
    const m = TIMING_LINE.exec(line);
    if (!m) continue;
    const [, label, ms, count, rate] = m;
    // The last print wins: a perf print can appear twice when the engine prints on exit as well.
    found.set(label!.toLowerCase(), { ms: Number(ms), count: count === undefined ? undefined : Number(count), rate: rate === undefined ? undefined : parseRate(rate) });
  }
  return found;
}

function parseRate(raw: string): number | null {
  const n = Number(raw);
  return Number.isFinite(n) ? n : null; // `inf` (a one-token eval) and `nan` are not rates
}

/** Throws EngineOutputError when the eval line is missing: a run cut short must be retried, never read as zero. */
export function parseTimings(stderr: string, context: { exitCode: number | null; signal: string | null }): EngineTimings {
  const lines = parseTimingLines(stderr);
  const evalLine = lines.get('eval');
  const promptLine = lines.get('prompt eval');
  if (!evalLine || !promptLine) {
    const missing = [!promptLine && 'prompt eval time', !evalLine && 'eval time'].filter(Boolean).join(' and ');
    const how = context.signal ? `killed by ${context.signal}` : `exit code ${context.exitCode}`;
    throw new EngineOutputError(`the engine's output has no ${missing} line (${how}); last stderr lines: ${tailInline(stderr, 3, '(stderr empty)')}`, 'the run was cut short or crashed; it is retried, and if it keeps failing, run the engine command from the log by hand');
  }
  const rate = (line: Line) => (line.rate !== undefined ? line.rate : line.count && line.ms > 0 ? (line.count * 1000) / line.ms : null);
  return {
    loadMs: lines.get('load')?.ms ?? null,
    promptEvalMs: promptLine.ms,
    promptTokens: promptLine.count ?? 0,
    promptTokensPerSecond: rate(promptLine),
    evalMs: evalLine.ms,
    evalTokens: evalLine.count ?? 0,
    tokensPerSecond: rate(evalLine),
    totalMs: lines.get('total')?.ms ?? null,
  };
}
