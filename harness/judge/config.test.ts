import { describe, expect, it } from 'vitest';
import { benchConfigSchema } from '../config/schema.ts';

describe('config: judge.failOnRepetition', () => {
  it('defaults to false, takes true, and still takes threshold overrides beside it', () => {
    expect(benchConfigSchema.parse({ judge: {} }).judge?.failOnRepetition).toBe(false);
    const strict = benchConfigSchema.parse({ judge: { failOnRepetition: true, maxLoopCoverage: 0.4 } }).judge;
    expect(strict).toMatchObject({ failOnRepetition: true, maxLoopCoverage: 0.4 });
  });

  it('rejects a non-boolean and a misspelt key, naming the field', () => {
    const bad = benchConfigSchema.safeParse({ judge: { failOnRepetition: 'yes' } });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(['judge', 'failOnRepetition']);
    expect(benchConfigSchema.safeParse({ judge: { failOnRepetitions: true } }).success).toBe(false);
  });
});
