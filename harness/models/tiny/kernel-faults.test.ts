import { describe, expect, it } from 'vitest';
import { fromF16Bits } from '../gguf/f16.ts';
import { packTq2_0, ternaryMatrix } from '../gguf/tq2_0.ts';
import { misorderTq2_0Unpacking } from './kernel-faults.ts';

/** Values as ggml's reference dequantizer reads them (lane l of a byte = bits 2l). */
function dequantize(bytes: Uint8Array): number[] {
  const out: number[] = [];
  for (let b = 0; b < bytes.length / 66; b++) {
    const d = fromF16Bits(bytes[b * 66 + 64]! | (bytes[b * 66 + 65]! << 8));
    for (let j = 0; j < 64; j += 32)
      for (let l = 0; l < 4; l++) for (let m = 0; m < 32; m++) out.push((((bytes[b * 66 + j + m]! >> (2 * l)) & 3) - 1) * d);
  }
  return out;
}

describe('misorderTq2_0Unpacking', () => {
  it('moves each weight one 32-value lane on (the last lane wraps to the first), scale unchanged', () => {
    const m = ternaryMatrix(1, 256, 2);
    m.values[5] = 1; // lane 0 of the first half → lane 1
    m.values[96 + 7] = -1; // lane 3 → wraps to lane 0
    m.values[128 + 64 + 1] = 1; // second half, lane 2 → lane 3
    const seen = dequantize(misorderTq2_0Unpacking(packTq2_0(m)));
    const nonZero = seen.flatMap((v, i) => (v === 0 ? [] : [[i, v]]));
    expect(nonZero).toEqual([
      [7, -2],
      [32 + 5, 2],
      [128 + 96 + 1, 2],
    ]);
  });

  it('leaves its input alone and refuses partial blocks', () => {
    const packed = packTq2_0(ternaryMatrix(1, 256));
    const copy = packed.slice();
    misorderTq2_0Unpacking(packed);
    expect(packed).toEqual(copy);
    expect(() => misorderTq2_0Unpacking(new Uint8Array(65))).toThrow(/whole number of TQ2_0 blocks/);
  });
});
