import { GgmlType, type GgmlTypeId } from './types.ts';

/** Values per TQ2_0 block (ggml's QK_K) and bytes per block: 256 two-bit values plus an fp16 scale. */
export const TQ2_0_BLOCK_VALUES = 256;
export const TQ2_0_BLOCK_BYTES = TQ2_0_BLOCK_VALUES / 4 + 2;

/** Bytes a tensor of `dims` (innermost-first) occupies in `type`; throws when the shape cannot be stored. */
export function tensorByteSize(name: string, dims: readonly number[], type: GgmlTypeId): number {
  if (dims.length === 0 || dims.length > 4) throw new Error(`tensor ${name}: needs 1 to 4 dimensions, got ${dims.length}`);
  for (const d of dims) {
    if (!Number.isInteger(d) || d < 1) throw new Error(`tensor ${name}: dimension ${d} is not a positive integer`);
  }
  const count = dims.reduce((a, b) => a * b, 1);
  switch (type) {
    case GgmlType.F32:
      return count * 4;
    case GgmlType.F16:
      return count * 2;
    case GgmlType.TQ2_0: {
      const rowLength = dims[0]!;
      if (rowLength % TQ2_0_BLOCK_VALUES !== 0) {
        throw new Error(`tensor ${name}: TQ2_0 rows must hold a multiple of ${TQ2_0_BLOCK_VALUES} values, got ${rowLength}`);
      }
      return (count / TQ2_0_BLOCK_VALUES) * TQ2_0_BLOCK_BYTES;
    }
  }
}
