import { defineConfig } from 'vitest/config';
import { junitFile } from './harness/reports/junit.ts';
import { BenchSequencer } from './suites/setup/sequencer.ts';

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
    // JUnit for CI test panels; the bench's teardown copies it into the run folder as junit.xml.
    // Reporters given on the command line (e.g. --reporter=blob for shards) replace these.
    reporters: ['default', ['junit', { outputFile: junitFile(), suiteName: 'bitnet-coherence-bench' }]],
    // --shard splits the bench's prompts, not its suite files (see suites/setup/sequencer.ts)
    sequence: { sequencer: BenchSequencer },
    projects: [
      benchProject('x86'),
      benchProject('ssh'),
      benchProject('demo'),
      benchProject('runpod'),
      {
        test: {
          name: 'unit',
          include: ['harness/**/*.test.ts', 'test/**/*.test.ts'],
          globalSetup: ['test/setup/build-engine.ts'],
          benchmark: { include: ['bench/**/*.bench.ts'] },
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
