import { createGlobalSetup } from '../global-setup.ts';

// The offline demo: a real llama.cpp (built from the npm-shipped source) on the project's tiny coherent model.
export const { setup, teardown } = createGlobalSetup('demo', 'fixtures/configs/demo.json');
