import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EngineOutputError } from '../errors.ts';
import { parseTimings } from './timings.ts';
import { extractContinuation } from './transcript.ts';

const fixture = (name: string) => readFileSync(join(import.meta.dirname, '../../fixtures/transcripts', name), 'utf8');
const ok = { exitCode: 0, signal: null };

describe('parseTimings', () => {
  it('reads llama_print_timings (2023–24)', () => {
    expect(parseTimings(fixture('llama-print-timings.stderr.txt'), ok)).toEqual({
      loadMs: 812.43, promptEvalMs: 311.02, promptTokens: 6, promptTokensPerSecond: 19.29,
      evalMs: 98765.43, evalTokens: 499, tokensPerSecond: 5.05, totalMs: 99210.55,
    });
  });

  it("reads llama_perf_context_print (bitnet.cpp's fork, recorded) and does not take prompt eval for eval", () => {
    const t = parseTimings(fixture('bitnet-perf-context.stderr.txt'), ok);
    expect(t).toMatchObject({ loadMs: 257.82, promptEvalMs: 3.83, promptTokens: 2, evalMs: 2.35, evalTokens: 35, tokensPerSecond: 14906.3, totalMs: 7.07 });
    expect(t.promptTokensPerSecond).toBe(521.78);
  });

  it('reads common_perf_print behind a log prefix, and `inf` as no rate (not Infinity, not NaN)', () => {
    const t = parseTimings(fixture('common-perf-print.stderr.txt'), ok);
    expect(t).toMatchObject({ loadMs: 18.35, promptEvalMs: 0.25, promptTokens: 2, promptTokensPerSecond: 7905.14, evalMs: 0, evalTokens: 1, totalMs: 0.84 });
    expect(t.tokensPerSecond).toBeNull();
  });

  it('a truncated or crashed run is a clear EngineOutputError, never zeros or NaN', () => {
    const error = (() => { try { parseTimings(fixture('crashed.stderr.txt'), { exitCode: null, signal: 'SIGSEGV' }); } catch (e) { return e; } })();
    expect(error).toBeInstanceOf(EngineOutputError);
    expect((error as Error).message).toMatch(/no prompt eval time and eval time line \(killed by SIGSEGV\); last stderr lines: .*n_predict = 500/);
  });

  it('derives a rate from count and ms when the rate is missing', () => {
    const text = 'llama_perf_context_print: prompt eval time = 100.00 ms / 5 tokens\nllama_perf_context_print:        eval time = 2000.00 ms / 10 runs';
    expect(parseTimings(text, ok)).toMatchObject({ tokensPerSecond: 5, promptTokensPerSecond: 50 });
  });
});

describe('extractContinuation', () => {
  it('removes the echoed prompt (after a detokenizer space) and keeps the continuation verbatim', () => {
    const t = extractContinuation(fixture('llama-print-timings.stdout.txt'), 'The capital of France is');
    expect(t).toEqual({ text: ' Paris. It is located in the north of the country, on the river Seine, and is known for the Eiffel Tower.', promptEchoed: true, endOfText: false });
  });

  it('notes [end of text] and strips it', () => {
    const t = extractContinuation(fixture('bitnet-perf-context.stdout.txt'), 'Microsoft Corporation is an American multinational');
    expect(t.endOfText).toBe(true);
    expect(t.promptEchoed).toBe(true);
    expect(t.text).toBe(' technology company based in Redmond, Washington. It was founded by Bill Gates and Paul Allen in 1975 and is best known for the Windows operating system, the Office suite and the Azure cloud platform. Today it employs more than two hundred thousand people around the world.');
  });

  it('keeps what a killed run printed, without an end of text', () => {
    expect(extractContinuation(fixture('crashed.stdout.txt'), 'The human brain contains approximately')).toEqual({ text: ' 86 billion neurons, connected by trillions', promptEchoed: true, endOfText: false });
    expect(extractContinuation(fixture('common-perf-print.stdout.txt'), 'The capital of France is')).toEqual({ text: ' Paris,', promptEchoed: true, endOfText: false });
  });

  it('keeps all of stdout when the prompt was not echoed', () => {
    expect(extractContinuation('GGGGGGGG', 'The capital of France is')).toEqual({ text: 'GGGGGGGG', promptEchoed: false, endOfText: false });
  });
});
