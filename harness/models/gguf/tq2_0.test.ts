import { describe, expect, it } from 'vitest';
import { fromF16Bits, toF16Bits } from './f16.ts';
import { dequantizeTq2_0, packTq2_0, ternaryMatrix } from './tq2_0.ts';

/** A transcription of ggml-quants.c `dequantize_row_tq2_0`, the reference our packing must agree with. */
function ggmlDequantizeTq2_0(bytes: Uint8Array, count: number): number[] {
  const out: number[] = [];
  for (let block = 0; block < count / 256; block++) {
    const qs = bytes.subarray(block * 66, block * 66 + 64);
    const d = fromF16Bits(bytes[block * 66 + 64]! | (bytes[block * 66 + 65]! << 8));
    for (let j = 0; j < 64; j += 32) {
      for (let l = 0; l < 4; l++) {
        for (let m = 0; m < 32; m++) out.push((((qs[j + m]! >> (l * 2)) & 3) - 1) * d);
      }
    }
  }
  return out;
}

describe('packTq2_0', () => {
  it('round-trips through ggml’s reference dequantizer, scale included', () => {
    const m = ternaryMatrix(3, 512, 0.75);
    for (let i = 0; i < m.values.length; i++) m.values[i] = ((i * 7919) % 3) - 1;
    const packed = packTq2_0(m);
    expect(packed.length).toBe((3 * 512 * 66) / 256);
    expect(ggmlDequantizeTq2_0(packed, m.values.length)).toEqual(Array.from(m.values, (v) => v * 0.75));
  });

  it('dequantizes exactly as ggml’s reference does, for any bytes (also a kernel-fault twin’s)', () => {
    const bytes = new Uint8Array(2 * 66);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 37 + 11) & 0xff;
    bytes.set([0x00, 0x3a], 64); // scale 0.75
    bytes.set([0x00, 0xc0], 130); // scale -2
    expect(Array.from(dequantizeTq2_0(bytes))).toEqual(ggmlDequantizeTq2_0(bytes, 512));
    expect(() => dequantizeTq2_0(new Uint8Array(65))).toThrow(/not a whole number of TQ2_0 blocks/);
  });

  it('rejects rows that are not whole blocks and values that are not ternary', () => {
    expect(() => packTq2_0(ternaryMatrix(1, 100))).toThrow(/multiple of 256/);
    const m = ternaryMatrix(1, 256);
    m.values[5] = 2;
    expect(() => packTq2_0(m)).toThrow(/value 2 at index 5 is not ternary/);
  });
});

describe('fp16 scale bits', () => {
  it('encodes the usual scales exactly', () => {
    expect(toF16Bits(1)).toBe(0x3c00);
    expect(toF16Bits(-2)).toBe(0xc000);
    expect(toF16Bits(0.5)).toBe(0x3800);
    expect(toF16Bits(65504)).toBe(0x7bff);
    expect(fromF16Bits(toF16Bits(0.1))).toBeCloseTo(0.1, 3);
  });

  it('refuses values a half cannot hold as a normal number', () => {
    expect(() => toF16Bits(70000)).toThrow(/not a normal fp16/);
    expect(() => toF16Bits(1e-6)).toThrow(/not a normal fp16/);
  });
});
