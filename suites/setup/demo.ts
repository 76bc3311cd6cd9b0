import { createGlobalSetup } from '../global-setup.ts';

// The offline demo: a real llama.cpp (built from the npm-shipped source) on the project's tiny coherent model.
// ./bench.config.json is not used here, but an invalid one is refused rather than silently ignored.
export const { setup, teardown } = createGlobalSetup('demo', 'fixtures/configs/demo.json', {}, { ignoredConfig: 'bench.config.json' });
