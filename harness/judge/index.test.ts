import { describe, expect, it } from 'vitest';
import { judge, judgeThresholdsSchema } from './index.ts';

describe('judge', () => {
  it('passes plain English and fails a loop and empty output', () => {
    expect(judge({ text: 'Paris is the capital and largest city of France, on the Seine.' }).verdict).toBe('coherent');
    expect(judge({ text: '17 + 25 equals '.repeat(30) }).verdict).toBe('degenerate');
    expect(judge({ text: '' }).verdict).toBe('degenerate');
  });

  it('names the failed checks in its reasons and scores below 0.5 when degenerate', () => {
    const v = judge({ text: 'the of Paris in and a blue which fork running them table of the to in the of a' });
    expect(v.reasons.some((r) => r.startsWith('word-order: word salad'))).toBe(true);
    expect(v.score).toBeLessThan(0.5);
    expect(v.checks.every((c) => c.pass === c.score >= 0.5)).toBe(true);
  });

  it('takes threshold overrides and validates them with the schema defaults', () => {
    const text = 'Row, row, row your boat, gently down the stream. Merrily, merrily, merrily, merrily, life is but a dream.';
    expect(judge({ text }).verdict).toBe('coherent');
    expect(judge({ text }, { maxLoopCoverage: 0, minLoopSpanTokens: 2 }).verdict).toBe('degenerate');
    expect(judgeThresholdsSchema.parse({}).maxLoopCoverage).toBe(0.3);
    expect(() => judgeThresholdsSchema.parse({ maxLoopCoverage: 2 })).toThrow();
  });
});

describe('judge: checkable answers of the seed prompts apply without an explicit expect', () => {
  const offTopic = ' a great way to keep your garden healthy during the winter months, because the soil stays moist and the roots are protected from frost.';
  it('fails a fluent continuation that ignores a seed prompt with a checkable answer', () => {
    const v = judge({ text: offTopic, prompt: 'The capital of France is' });
    expect(v.verdict).toBe('degenerate');
    expect(v.reasons.join()).toMatch(/expectation: does not answer the prompt: contains none of 'Paris'/);
  });

  it('leaves prompts without a checkable answer, and unknown prompts, to the other checks', () => {
    expect(judge({ text: offTopic, prompt: 'Water is composed of hydrogen and oxygen' }).verdict).toBe('coherent');
    expect(judge({ text: offTopic, prompt: 'My favourite hobby is' }).verdict).toBe('coherent');
  });

  it('an explicit expect wins over the seed set', () => {
    expect(judge({ text: ' Lyon, of course.', prompt: 'The capital of France is', expect: { containsAny: ['Lyon'] } }).verdict).toBe('coherent');
  });
});
