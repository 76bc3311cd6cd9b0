import { defineConfig } from 'vitest/config';

/** A benchmark project: the same suites on a target chosen by its global setup. */
const benchProject = (name: string) => ({
  test: {
    name,
    include: ['suites/**/*.test.ts'],
    globalSetup: [`suites/setup/${name}.ts`],
    testTimeout: 10_000,
  },
});

export default defineConfig({
  test: {
    projects: [
      benchProject('x86'),
      benchProject('ssh'),
      benchProject('demo'),
      {
        test: {
          name: 'unit',
          include: ['harness/**/*.test.ts', 'test/**/*.test.ts'],
          benchmark: { include: ['bench/**/*.bench.ts'] },
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
