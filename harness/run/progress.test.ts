import { describe, expect, it } from 'vitest';
import { progressReporter } from './progress.ts';

describe('progressReporter', () => {
  it('reports the streamed size at most once per interval', () => {
    const lines: string[] = [];
    let clock = 0;
    const log = { info: (m: string) => lines.push(m), warn() {}, debug() {} };
    const report = progressReporter(log, 'capital-of-france', 10_000, () => clock);
    for (let i = 0; i < 25; i++) {
      clock += 1_000;
      report('abcd');
    }
    expect(lines).toEqual(['  capital-of-france: 40 characters streamed after 10 s', '  capital-of-france: 80 characters streamed after 20 s']);
  });
});
