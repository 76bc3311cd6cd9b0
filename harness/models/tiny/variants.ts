import { writeGguf } from '../gguf/writer.ts';
import { bitnetGguf, type PackedTransform, type TernaryFormat } from './bitnet-gguf.ts';
import { misorderTq2_0Unpacking } from './kernel-faults.ts';
import { byteTokenText } from './spm-vocab.ts';
import { STORIES, type Story } from './stories.ts';
import {
  coherentTransitions,
  loopingTransitions,
  planStories,
  type SuccessorPlan,
  type Transition,
} from './successor-plan.ts';
import { arrangeUnits } from './unit-layout.ts';
import { buildWeights } from './weights.ts';

export type TinyModelVariant = 'coherent' | 'kernel-fault' | 'loop';
export const TINY_MODEL_VARIANTS: readonly TinyModelVariant[] = ['coherent', 'kernel-fault', 'loop'];

/**
 * The kernel-fault twin's weights are those a broken kernel effectively computes with: ffn_down's 2-bit
 * codes unpacked in the wrong order (see kernel-faults.ts and unit-layout.ts for what that does).
 */
const applyKernelFault: PackedTransform = (name, packed) =>
  name === 'blk.0.ffn_down.weight' ? misorderTq2_0Unpacking(packed) : packed;

/** Byte tokens the dead units point at: what the kernel-fault twin ends up repeating. */
const RUN_SYMBOL_BYTES = ['G', '!'];

/** The GGUF bytes of one tiny model (TQ2_0, or F32 for an engine's own quantizer). Same stories in, same bytes out. */
export function tinyModelBytes(variant: TinyModelVariant, stories: readonly Story[] = STORIES, format: TernaryFormat = 'tq2_0'): Uint8Array {
  const plan = planStories(stories);
  const runSymbols = RUN_SYMBOL_BYTES.map((c) => plan.vocab.idOf(byteTokenText(c.charCodeAt(0))));
  const weights = buildWeights(plan.vocab.tokens.length, arrangeUnits(storyTransitions(plan, variant), runSymbols));
  const transform = variant === 'kernel-fault' ? applyKernelFault : undefined;
  return writeGguf(bitnetGguf(`tiny-bitnet-${variant}`, plan.vocab, weights, transform, format));
}

function storyTransitions(plan: SuccessorPlan, variant: TinyModelVariant): Transition[] {
  return variant === 'loop' ? loopingTransitions(plan) : coherentTransitions(plan);
}
