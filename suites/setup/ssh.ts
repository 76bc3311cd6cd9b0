import { createGlobalSetup } from '../global-setup.ts';

// Same suites on a host reached over SSH: BENCH_SSH_HOST / BENCH_SSH_USER / BENCH_SSH_KEY (or bench.config.json).
export const { setup, teardown } = createGlobalSetup('ssh', 'bench.config.json', { BENCH_TARGET: 'ssh' });
