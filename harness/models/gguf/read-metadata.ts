import { GGUF_MAGIC, GgufValueType } from './types.ts';

/** Scalar and string metadata of a GGUF, read from the start of the file; arrays (the vocabulary) are skipped. */
export interface GgufMetadataPrefix {
  version: number;
  values: Map<string, string | number | bigint | boolean>;
  /** False when `bytes` ended before the last metadata entry: later keys were not seen. */
  complete: boolean;
}

const SCALAR_BYTES: Partial<Record<number, number>> = {
  [GgufValueType.UINT8]: 1, [GgufValueType.INT8]: 1, [GgufValueType.BOOL]: 1,
  [GgufValueType.UINT16]: 2, [GgufValueType.INT16]: 2,
  [GgufValueType.UINT32]: 4, [GgufValueType.INT32]: 4, [GgufValueType.FLOAT32]: 4,
  [GgufValueType.UINT64]: 8, [GgufValueType.INT64]: 8, [GgufValueType.FLOAT64]: 8,
};

class Truncated extends Error {}

/**
 * Reads the metadata entries found in the first bytes of a GGUF (v2/v3). Enough for `general.name`, which
 * converters write among the first keys, without reading a 1.2 GB model: a remote target sends only a prefix.
 * Throws when the bytes are not a GGUF at all.
 */
export function readGgufMetadataPrefix(bytes: Uint8Array): GgufMetadataPrefix {
  if (bytes.length < 4 || new TextDecoder().decode(bytes.subarray(0, 4)) !== GGUF_MAGIC) throw new Error('not a GGUF file (no "GGUF" magic at the start)');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 4;
  const need = (n: number) => {
    if (at + n > bytes.length) throw new Truncated();
    const start = at;
    at += n;
    return start;
  };
  const u32 = () => view.getUint32(need(4), true);
  const u64 = () => view.getBigUint64(need(8), true);
  const str = () => {
    const length = Number(u64());
    return new TextDecoder().decode(bytes.subarray(need(length), at));
  };
  const scalar = (type: number): string | number | bigint | boolean => {
    switch (type) {
      case GgufValueType.UINT8: return view.getUint8(need(1));
      case GgufValueType.INT8: return view.getInt8(need(1));
      case GgufValueType.BOOL: return view.getUint8(need(1)) !== 0;
      case GgufValueType.UINT16: return view.getUint16(need(2), true);
      case GgufValueType.INT16: return view.getInt16(need(2), true);
      case GgufValueType.UINT32: return view.getUint32(need(4), true);
      case GgufValueType.INT32: return view.getInt32(need(4), true);
      case GgufValueType.FLOAT32: return view.getFloat32(need(4), true);
      case GgufValueType.UINT64: return view.getBigUint64(need(8), true);
      case GgufValueType.INT64: return view.getBigInt64(need(8), true);
      case GgufValueType.FLOAT64: return view.getFloat64(need(8), true);
      case GgufValueType.STRING: return str();
      default: throw new Error(`GGUF metadata value type ${type} is unknown`);
    }
  };
  const values = new Map<string, string | number | bigint | boolean>();
  let version = 0;
  try {
    version = u32();
    if (version < 2) throw new Error(`GGUF version ${version} is not supported (v2 and v3 are)`);
    u64(); // tensor count
    const count = Number(u64());
    for (let i = 0; i < count; i++) {
      const key = str();
      const type = u32();
      if (type !== GgufValueType.ARRAY) {
        values.set(key, scalar(type));
        continue;
      }
      const itemType = u32();
      const items = Number(u64());
      if (itemType === GgufValueType.STRING) for (let j = 0; j < items; j++) need(Number(u64()));
      else if (SCALAR_BYTES[itemType]) need(items * SCALAR_BYTES[itemType]!);
      else throw new Error(`GGUF metadata ${key}: arrays of type ${itemType} are not supported`);
    }
  } catch (error) {
    if (error instanceof Truncated) return { version, values, complete: false };
    throw error;
  }
  return { version, values, complete: true };
}
