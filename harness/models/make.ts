import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { planStories } from './tiny/successor-plan.ts';
import { STORIES } from './tiny/stories.ts';
import { tinyModelBytes, TINY_MODEL_VARIANTS, type TinyModelVariant } from './tiny/variants.ts';

export interface TinyModelPaths {
  coherent: string;
  kernelFault: string;
  loop: string;
}

const FILE_NAMES: Record<TinyModelVariant, string> = {
  coherent: 'tiny-bitnet-coherent.gguf',
  'kernel-fault': 'tiny-bitnet-kernel-fault.gguf',
  loop: 'tiny-bitnet-loop.gguf',
};
export const SUMMARY_FILE = 'tiny-models.json';

/**
 * Writes the three tiny BitNet-architecture models (and a JSON summary of their vocabulary and texts) to
 * `outDir`, creating it if needed. Deterministic: the same code writes the same bytes every time.
 */
export async function makeTinyModels(outDir: string): Promise<TinyModelPaths> {
  await mkdir(outDir, { recursive: true });
  const hashes: Record<string, string> = {};
  for (const variant of TINY_MODEL_VARIANTS) {
    const bytes = tinyModelBytes(variant);
    hashes[FILE_NAMES[variant]] = createHash('sha256').update(bytes).digest('hex');
    await writeFile(join(outDir, FILE_NAMES[variant]), bytes);
  }
  await writeFile(join(outDir, SUMMARY_FILE), `${JSON.stringify(summary(hashes), null, 2)}\n`);
  return {
    coherent: join(outDir, FILE_NAMES.coherent),
    kernelFault: join(outDir, FILE_NAMES['kernel-fault']),
    loop: join(outDir, FILE_NAMES.loop),
  };
}

/**
 * Writes one tiny model with its ternary matrices as F32 (`tiny-bitnet-<variant>-f32.gguf`): the same numbers as
 * the TQ2_0 file, for an engine's own quantizer to start from (bitnet.cpp: `llama-quantize … I2_S`).
 */
export async function makeTinyF32Model(outDir: string, variant: TinyModelVariant): Promise<string> {
  await mkdir(outDir, { recursive: true });
  const path = join(outDir, FILE_NAMES[variant].replace(/\.gguf$/, '-f32.gguf'));
  await writeFile(path, tinyModelBytes(variant, undefined, 'f32'));
  return path;
}

function summary(sha256: Record<string, string>) {
  const plan = planStories(STORIES);
  const { tokens } = plan.vocab;
  return {
    note: 'Tiny test models made by bitnet-coherence-bench. NOT BitNet b1.58 weights; see docs/tiny-models.md.',
    sha256,
    vocabularySize: tokens.length,
    stories: STORIES.map((story, i) => ({
      id: story.id,
      prompt: story.prompt,
      coherentContinuation: story.continuation,
      continuationTokens: plan.stories[i]!.chunkTokens.map((id) => tokens[id]),
    })),
  };
}
