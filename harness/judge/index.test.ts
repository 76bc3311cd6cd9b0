import { describe, expect, it } from 'vitest';
import { judge } from './index.ts';

describe('judge (first cut)', () => {
  it('passes plain English and fails a loop', () => {
    expect(judge({ text: 'Paris is the capital and largest city of France, on the Seine.' }).verdict).toBe('coherent');
    expect(judge({ text: '17 + 25 equals '.repeat(30) }).verdict).toBe('degenerate');
    expect(judge({ text: '' }).verdict).toBe('degenerate');
  });
});
