import { createGlobalSetup } from '../global-setup.ts';

// The main job: bench.config.json when present (or $BENCH_CONFIG), else the embedded seed defaults on this machine.
export const { setup, teardown } = createGlobalSetup('x86', 'bench.config.json');
