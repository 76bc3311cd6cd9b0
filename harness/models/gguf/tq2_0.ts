import { fromF16Bits, toF16Bits } from './f16.ts';
import { TQ2_0_BLOCK_BYTES, TQ2_0_BLOCK_VALUES } from './tensor-size.ts';

/**
 * A ternary matrix: `rows` rows of `cols` values, each -1, 0 or +1, all multiplied by `scale`.
 * Row-major, matching ggml's layout of a tensor with dims `[cols, rows]`.
 */
export interface TernaryMatrix {
  rows: number;
  cols: number;
  values: Int8Array;
  scale: number;
}

export function ternaryMatrix(rows: number, cols: number, scale = 1): TernaryMatrix {
  return { rows, cols, values: new Int8Array(rows * cols), scale };
}

/**
 * Packs a ternary matrix into ggml's TQ2_0 blocks (ggml-common.h `block_tq2_0`, ggml-quants.c
 * `quantize_row_tq2_0_ref`): per 256 values, 64 bytes of 2-bit codes then the fp16 scale. Codes are value+1.
 * Within each 128-value half, byte m holds values m, m+32, m+64, m+96 in bits 0-1, 2-3, 4-5, 6-7 — an
 * interleaving that lets SIMD kernels unpack 32 values per shift, and the very thing a broken kernel gets wrong.
 */
export function packTq2_0(matrix: TernaryMatrix): Uint8Array {
  const { rows, cols, values, scale } = matrix;
  if (cols % TQ2_0_BLOCK_VALUES !== 0) throw new Error(`TQ2_0 rows must hold a multiple of 256 values, got ${cols}`);
  if (values.length !== rows * cols) throw new Error(`ternary matrix has ${values.length} values, expected ${rows * cols}`);
  const blocks = (rows * cols) / TQ2_0_BLOCK_VALUES;
  const out = new Uint8Array(blocks * TQ2_0_BLOCK_BYTES);
  const scaleBits = toF16Bits(scale);
  for (let b = 0; b < blocks; b++) {
    const base = b * TQ2_0_BLOCK_BYTES;
    for (let j = 0; j < TQ2_0_BLOCK_VALUES; j++) {
      const v = values[b * TQ2_0_BLOCK_VALUES + j]!;
      if (v < -1 || v > 1) throw new Error(`value ${v} at index ${b * TQ2_0_BLOCK_VALUES + j} is not ternary`);
      const { byte, shift } = tq2_0Position(j);
      out[base + byte]! |= (v + 1) << shift;
    }
    out[base + 64] = scaleBits & 0xff;
    out[base + 65] = scaleBits >> 8;
  }
  return out;
}

/** Where value `j` (0..255) of a block lives: byte index within the 64 code bytes, and bit shift. */
export function tq2_0Position(j: number): { byte: number; shift: number } {
  const half = Math.floor(j / 128);
  const within = j % 128;
  return { byte: half * 32 + (within % 32), shift: 2 * Math.floor(within / 32) };
}

/**
 * The values TQ2_0 bytes stand for (ggml-quants.c `dequantize_row_tq2_0`): code − 1, times the block's scale.
 * Writing a model's weights dequantized as F32 gives an engine the exact numbers the TQ2_0 file holds, e.g. for
 * another quantizer (bitnet.cpp's `llama-quantize … I2_S`) to start from.
 */
export function dequantizeTq2_0(packed: Uint8Array): Float32Array {
  if (packed.length % TQ2_0_BLOCK_BYTES !== 0) throw new Error(`${packed.length} bytes is not a whole number of TQ2_0 blocks`);
  const blocks = packed.length / TQ2_0_BLOCK_BYTES;
  const out = new Float32Array(blocks * TQ2_0_BLOCK_VALUES);
  for (let b = 0; b < blocks; b++) {
    const base = b * TQ2_0_BLOCK_BYTES;
    const scale = fromF16Bits(packed[base + 64]! | (packed[base + 65]! << 8));
    for (let j = 0; j < TQ2_0_BLOCK_VALUES; j++) {
      const { byte, shift } = tq2_0Position(j);
      out[b * TQ2_0_BLOCK_VALUES + j] = (((packed[base + byte]! >> shift) & 3) - 1) * scale;
    }
  }
  return out;
}
