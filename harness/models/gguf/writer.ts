import { ByteSink } from './byte-sink.ts';
import { tensorByteSize } from './tensor-size.ts';
import {
  GGUF_DEFAULT_ALIGNMENT,
  GGUF_MAGIC,
  GGUF_VERSION,
  GgufValueType,
  type GgufFile,
  type GgufValue,
} from './types.ts';

/**
 * Serialises a GGUF v3 file: header, metadata, tensor infos, padding, then each tensor's data at an offset
 * aligned to `general.alignment` (32 unless the metadata says otherwise). Pure function of its input.
 */
export function writeGguf(file: GgufFile): Uint8Array {
  const alignment = alignmentOf(file);
  const names = new Set<string>();
  for (const t of file.tensors) {
    if (names.has(t.name)) throw new Error(`tensor ${t.name} appears twice; tensor names must be unique`);
    names.add(t.name);
    const expected = tensorByteSize(t.name, t.dims, t.type);
    if (t.data.length !== expected) {
      throw new Error(`tensor ${t.name}: data is ${t.data.length} bytes, but dims [${t.dims}] of type ${t.type} need ${expected}`);
    }
  }

  const out = new ByteSink();
  out.bytes(new TextEncoder().encode(GGUF_MAGIC));
  out.u32(GGUF_VERSION);
  out.u64(file.tensors.length);
  out.u64(file.metadata.length);
  for (const [key, value] of file.metadata) {
    out.string(key);
    writeValue(out, value);
  }

  let offset = 0;
  for (const t of file.tensors) {
    out.string(t.name);
    out.u32(t.dims.length);
    for (const d of t.dims) out.u64(d);
    out.u32(t.type);
    out.u64(offset);
    offset = roundUp(offset + t.data.length, alignment);
  }

  out.padTo(alignment);
  for (const t of file.tensors) {
    out.bytes(t.data);
    out.padTo(alignment);
  }
  return out.toBytes();
}

function alignmentOf(file: GgufFile): number {
  const entry = file.metadata.find(([key]) => key === 'general.alignment');
  if (!entry) return GGUF_DEFAULT_ALIGNMENT;
  const [, value] = entry;
  if (value.type !== 'u32' || value.value < 8 || (value.value & (value.value - 1)) !== 0) {
    throw new Error('general.alignment must be a u32 power of two of at least 8');
  }
  return value.value;
}

function roundUp(n: number, multiple: number): number {
  return Math.ceil(n / multiple) * multiple;
}

function writeValue(out: ByteSink, v: GgufValue): void {
  switch (v.type) {
    case 'u32':
      out.u32(GgufValueType.UINT32);
      out.u32(v.value);
      return;
    case 'i32':
      out.u32(GgufValueType.INT32);
      out.i32(v.value);
      return;
    case 'u64':
      out.u32(GgufValueType.UINT64);
      out.u64(v.value);
      return;
    case 'f32':
      out.u32(GgufValueType.FLOAT32);
      out.f32(v.value);
      return;
    case 'bool':
      out.u32(GgufValueType.BOOL);
      out.u8(v.value ? 1 : 0);
      return;
    case 'string':
      out.u32(GgufValueType.STRING);
      out.string(v.value);
      return;
    case 'string[]':
      arrayHeader(out, GgufValueType.STRING, v.value.length);
      for (const s of v.value) out.string(s);
      return;
    case 'f32[]':
      arrayHeader(out, GgufValueType.FLOAT32, v.value.length);
      for (const x of v.value) out.f32(x);
      return;
    case 'i32[]':
      arrayHeader(out, GgufValueType.INT32, v.value.length);
      for (const x of v.value) out.i32(x);
      return;
  }
}

function arrayHeader(out: ByteSink, elementType: number, count: number): void {
  out.u32(GgufValueType.ARRAY);
  out.u32(elementType);
  out.u64(count);
}
