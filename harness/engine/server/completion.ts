import type { GenerationConfig, Prompt } from '../../config/schema.ts';
import { EngineFaultError, EngineOutputError } from '../../errors.ts';
import type { EngineTimings } from '../../results/types.ts';
import type { GenerateOptions, Generation } from '../engine.ts';
import { PROMPT_TOO_LONG as CLI_PROMPT_TOO_LONG, promptRefused } from '../engine-fault.ts';
import { clipLine, tailInline } from '../output-tail.ts';
import { generationTimeoutMs, timedOutAfter } from '../timeouts.ts';
import type { RunningServer } from './server-process.ts';

/** The parts of llama-server's `/completion` stream the harness reads. */
interface CompletionEvent {
  content?: string;
  tokens?: number[];
  stop?: boolean;
  prompt?: string;
  stop_type?: string;
  stopped_eos?: boolean;
  timings?: { prompt_n: number; prompt_ms: number; prompt_per_second: number; predicted_n: number; predicted_ms: number; predicted_per_second: number };
  error?: unknown;
}

/**
 * One prompt through a running llama-server's streaming `/completion`. Greedy settings travel in the request;
 * `cache_prompt: false` so no timing ever comes from a prompt the server still had cached. Each stream event's
 * arrival is stamped; the engine's own counts and times come from the final event's `timings`.
 */
export async function generateViaServer(server: RunningServer, prompt: Prompt, gen: GenerationConfig, options: GenerateOptions = {}): Promise<Generation> {
  const request = { prompt: prompt.text, n_predict: gen.nPredict, temperature: gen.temperature, stream: true, cache_prompt: false, ignore_eos: options.ignoreEos ?? false };
  const timeoutMs = generationTimeoutMs(gen);
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = AbortSignal.any([timeout, ...(options.signal ? [options.signal] : [])]);
  const chunkTimesMs: number[] = [];
  const tokenTimesMs: number[] = [];
  const lines: string[] = [];
  let text = '';
  let final: CompletionEvent | undefined;
  const t0 = performance.now();
  const onLine = (line: string) => {
    lines.push(line);
    if (!line.startsWith('data: ')) return;
    const at = performance.now() - t0;
    const event = JSON.parse(line.slice(6)) as CompletionEvent;
    chunkTimesMs.push(at);
    const content = event.content ?? '';
    // The engine says how many tokens each event carries; older servers send one token per event and no array.
    const tokens = event.tokens ? event.tokens.length : content ? 1 : 0;
    for (let i = 0; i < tokens; i++) tokenTimesMs.push(at);
    text += content;
    options.onProgress?.(content);
    if (event.stop) final = event;
  };
  let status: { status: number | null; error?: string };
  try {
    status = await server.transport.postStream('/completion', request, onLine, signal);
  } catch (error) {
    throw await requestFault(server, error, { timedOut: timeout.aborted, callerAborted: options.signal?.aborted ?? false, timeoutMs });
  }
  const wallMs = performance.now() - t0;
  if (!final?.timings) {
    const refusal = lines.map((line) => PROMPT_TOO_LONG.exec(line)?.[0]).find(Boolean) ?? (status.error && PROMPT_TOO_LONG.exec(status.error)?.[0]);
    if (refusal) throw promptRefused('llama-server', refusal, 'the server\'s context');
    if (!server.alive()) throw await requestFault(server, new Error('the stream ended early'), { timedOut: false, callerAborted: false, timeoutMs });
    const got = status.error ?? `HTTP ${status.status}, ${lines.length} lines, last: ${lines.at(-1)?.slice(0, 200) ?? '(none)'}`;
    throw new EngineOutputError(`llama-server's stream has no final event with timings (${got}); server log: ${tailInline(server.log(), 3, '(empty)')}`, 'the request was cut short or rejected; it is retried');
  }
  const endOfText = final.stop_type === 'eos' || final.stopped_eos === true;
  const promptEchoed = typeof final.prompt === 'string' && final.prompt.includes(prompt.text);
  const body = lines.join('\n');
  return {
    transcript: { text: text.replace(/\n+$/, ''), promptEchoed, endOfText },
    timings: serverTimings(final.timings),
    argv: server.argv,
    stdout: body,
    stderr: '',
    wallMs,
    chunkTimesMs,
    stream: { firstTokenMs: tokenTimesMs[0] ?? null, tokenTimesMs },
  };
}

/** After a failed request, how long to wait to learn whether the server died (its exit is reaped asynchronously). */
const EXIT_NOTICE_MS = 2_000;

/** llama-server's words when a request cannot fit its context (its error event or HTTP 400 body), and the CLI's. */
const PROMPT_TOO_LONG = new RegExp(`exceeds the available context size[^"]*|exceed_context_size_error|${CLI_PROMPT_TOO_LONG.source}`);

/**
 * Why a request failed, for the engine layer: a timeout (the server is stopped, since its one slot is still busy
 * with the request; the next prompt starts a new one), a server that died (it is restarted), or the caller's abort,
 * which is passed on as it is.
 */
async function requestFault(server: RunningServer, error: unknown, how: { timedOut: boolean; callerAborted: boolean; timeoutMs: number }): Promise<unknown> {
  if (how.callerAborted && !how.timedOut) return error;
  const log = tailInline(server.log(), 2, '(empty)');
  if (how.timedOut) {
    await server.stop();
    return new EngineFaultError(`llama-server request ${timedOutAfter(how.timeoutMs)}; server log: ${log}`, { retryable: true, hint: 'the server stalled, or this machine is far slower than 1 token/s: if it is only slow, raise generation.timeoutSeconds' });
  }
  // A refused connection can arrive before this process has seen the server's exit: give that a moment.
  const exit = await server.exit(EXIT_NOTICE_MS);
  if (exit) return new EngineFaultError(`llama-server died during the request (${exit}); server log: ${log}`, { retryable: true, hint: 'it is started again for the next attempt; if it keeps dying, run it by hand: ' + server.argv.join(' '), cause: error });
  return new EngineFaultError(`llama-server request failed: ${clipLine((error as Error).message)}; server log: ${log}`, { retryable: true, hint: 'the prompt is retried', cause: error });
}

/**
 * llama-server's `timings` in the perf print's shape. Load time is not per request (the model was loaded once, at
 * server start; the run's phases show it), so it is null here.
 */
export function serverTimings(t: NonNullable<CompletionEvent['timings']>): EngineTimings {
  const rate = (x: number) => (Number.isFinite(x) && x > 0 ? x : null);
  return {
    loadMs: null,
    promptEvalMs: t.prompt_ms,
    promptTokens: t.prompt_n,
    promptTokensPerSecond: rate(t.prompt_per_second),
    evalMs: t.predicted_ms,
    evalTokens: t.predicted_n,
    tokensPerSecond: rate(t.predicted_per_second),
    totalMs: t.prompt_ms + t.predicted_ms,
  };
}
