import { describe, expect, it } from 'vitest';
import { patchMadSource } from './patches.ts';

describe('patchMadSource (clang fix for ggml-bitnet-mad.cpp)', () => {
  const original = ['void f(const int8_t * y) {', '    int8_t * y_col = y + col * by;', '    const int8_t * x_col = x;', '}'].join('\n');

  it('makes y_col const and nothing else', () => {
    const { text, changed } = patchMadSource(original);
    expect(changed).toBe(true);
    expect(text.split('\n')[1]).toBe('    const int8_t * y_col = y + col * by;');
    expect(text.split('\n').filter((l, i) => l !== original.split('\n')[i])).toHaveLength(1);
  });

  it('is idempotent', () => {
    const once = patchMadSource(original).text;
    expect(patchMadSource(once)).toEqual({ text: once, changed: false });
  });
});
