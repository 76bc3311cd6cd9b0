import { join } from 'node:path';

/**
 * The baselines every run is compared with unless the config says otherwise: published runs of BitNet
 * b1.58-2B-4T with the seed's prompts — the x86 greedy reference (same engine code, model and flags: agreement
 * figures) and the Apple M1 Pro word salad (the ARM kernel fault). Paths are relative to the project root, where
 * they are found whatever the working directory (see baselineFilesOf).
 */
export const defaultBaselines = ['fixtures/baselines/x86-epyc-75f3-trinity-reference.json', 'fixtures/baselines/arm-m1-pro-trinity-word-salad.json'];

/** The harness's own folder: shipped fixtures resolve here when neither the config's folder nor the cwd has them. */
export const projectRoot = join(import.meta.dirname, '..', '..');
