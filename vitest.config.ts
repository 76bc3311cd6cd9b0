import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
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
