import { createGlobalSetup } from '../global-setup.ts';

// Same suites on a RunPod pod rented for this run and terminated at the end (RUNPOD_API_KEY; see README).
export const { setup, teardown } = createGlobalSetup('runpod', 'bench.config.json', { BENCH_TARGET: 'runpod' });
