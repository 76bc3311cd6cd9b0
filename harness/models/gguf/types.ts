/**
 * The parts of the GGUF v3 format (ggml's gguf.cpp / gguf-py constants) this writer emits. Numbers are the
 * on-disk enum values; they are part of the file format and never change.
 */

/** Metadata value types (`enum gguf_type`). */
export const GgufValueType = {
  UINT8: 0,
  INT8: 1,
  UINT16: 2,
  INT16: 3,
  UINT32: 4,
  INT32: 5,
  FLOAT32: 6,
  BOOL: 7,
  STRING: 8,
  ARRAY: 9,
  UINT64: 10,
  INT64: 11,
  FLOAT64: 12,
} as const;

/** Tensor element types (`enum ggml_type`) this writer can lay out. */
export const GgmlType = {
  F32: 0,
  F16: 1,
  /** Ternary weights, 2 bits each, 256 per block plus one fp16 scale (66 bytes). */
  TQ2_0: 35,
} as const;
export type GgmlTypeId = (typeof GgmlType)[keyof typeof GgmlType];

export const GGUF_MAGIC = 'GGUF';
export const GGUF_VERSION = 3;
/** Default `general.alignment`: tensor data offsets are multiples of this. */
export const GGUF_DEFAULT_ALIGNMENT = 32;

/** A typed metadata value. Scalars name their width explicitly because GGUF readers check the type. */
export type GgufValue =
  | { type: 'u32'; value: number }
  | { type: 'i32'; value: number }
  | { type: 'u64'; value: bigint }
  | { type: 'f32'; value: number }
  | { type: 'bool'; value: boolean }
  | { type: 'string'; value: string }
  | { type: 'string[]'; value: readonly string[] }
  | { type: 'f32[]'; value: readonly number[] | Float32Array }
  | { type: 'i32[]'; value: readonly number[] | Int32Array };

export interface GgufTensor {
  name: string;
  /** Dimensions innermost-first, as ggml's `ne`: a matrix of `rows` rows of `cols` values is `[cols, rows]`. */
  dims: readonly number[];
  type: GgmlTypeId;
  /** The tensor's bytes, already laid out in `type`'s encoding. */
  data: Uint8Array;
}

export interface GgufFile {
  /** Insertion order is kept in the file, so the same input always yields the same bytes. */
  metadata: ReadonlyArray<readonly [key: string, value: GgufValue]>;
  tensors: readonly GgufTensor[];
}
