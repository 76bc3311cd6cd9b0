import { TQ2_0_BLOCK_BYTES } from '../gguf/tensor-size.ts';

/**
 * The weights a SIMD kernel effectively multiplies with when its TQ2_0 unpacking loop starts one shift
 * late: the 2-bit code stored for lane l of a byte (bits 2l, lane = values m+32l of a 128-value half) is
 * used for lane l+1 mod 4, so each weight lands 32 or 96 columns from where it belongs. Block scales are
 * untouched. Writing these bytes into the twin model lets a correct engine show the faulty kernel's
 * output; it is a pure function of the bytes, so the twin is as deterministic as the coherent model.
 */
export function misorderTq2_0Unpacking(packed: Uint8Array): Uint8Array {
  if (packed.length % TQ2_0_BLOCK_BYTES !== 0) throw new Error(`${packed.length} bytes is not a whole number of TQ2_0 blocks`);
  const out = packed.slice();
  for (let base = 0; base < out.length; base += TQ2_0_BLOCK_BYTES) {
    const scaleAt = base + TQ2_0_BLOCK_BYTES - 2;
    for (let i = base; i < scaleAt; i++) out[i] = ((out[i]! << 2) | (out[i]! >> 6)) & 0xff;
  }
  return out;
}
