import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gguf, GGUFValueType } from '@huggingface/gguf';
import { readGgufFileInfo } from 'node-llama-cpp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packTq2_0, ternaryMatrix } from './tq2_0.ts';
import { GgmlType, type GgufFile } from './types.ts';
import { writeGguf } from './writer.ts';

/** Written by our writer, read back by two independent readers (@huggingface/gguf and node-llama-cpp's). */
const f32Data = new Uint8Array(new Float32Array([1.5, -2, 3, 0.25, 5]).buffer); // 20 bytes: forces padding
const ternary = ternaryMatrix(2, 256, 0.5);
ternary.values[3] = 1;
ternary.values[300] = -1;
const file: GgufFile = {
  metadata: [
    ['general.architecture', { type: 'string', value: 'bitnet' }],
    ['test.u32', { type: 'u32', value: 4_000_000_000 }],
    ['test.i32', { type: 'i32', value: -7 }],
    ['test.u64', { type: 'u64', value: 2n ** 40n }],
    ['test.f32', { type: 'f32', value: 1e-5 }],
    ['test.bool', { type: 'bool', value: true }],
    ['test.unicode', { type: 'string', value: '\u2581Paris, café' }],
    ['test.strings', { type: 'string[]', value: ['<s>', '\u2581a', ''] }],
    ['test.floats', { type: 'f32[]', value: [0, -1, 0.5] }],
    ['test.ints', { type: 'i32[]', value: [1, -2, 3] }],
  ],
  tensors: [
    { name: 'a.weight', dims: [5], type: GgmlType.F32, data: f32Data },
    { name: 'b.weight', dims: [256, 2], type: GgmlType.TQ2_0, data: packTq2_0(ternary) },
  ],
};

let dir: string;
let path: string;
let bytes: Uint8Array;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gguf-writer-'));
  path = join(dir, 'test.gguf');
  bytes = writeGguf(file);
  await writeFile(path, bytes);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('writeGguf', () => {
  it('writes a GGUF v3 header and typed metadata that @huggingface/gguf reads back', async () => {
    const { metadata, typedMetadata } = await gguf(path, { allowLocalFile: true, typedMetadata: true });
    expect(metadata.version).toBe(3);
    expect(metadata.tensor_count).toBe(2n);
    expect(metadata.kv_count).toBe(10n);
    const t = typedMetadata as unknown as Record<string, { value: unknown; type: number; subType?: number }>;
    expect(t['test.u32']).toEqual({ value: 4_000_000_000, type: GGUFValueType.UINT32 });
    expect(t['test.i32']).toEqual({ value: -7, type: GGUFValueType.INT32 });
    expect(t['test.u64']).toEqual({ value: 2n ** 40n, type: GGUFValueType.UINT64 });
    expect(t['test.f32']!.type).toBe(GGUFValueType.FLOAT32);
    expect(t['test.f32']!.value).toBeCloseTo(1e-5, 10);
    expect(t['test.bool']).toEqual({ value: true, type: GGUFValueType.BOOL });
    expect(t['test.unicode']).toEqual({ value: '\u2581Paris, café', type: GGUFValueType.STRING });
    expect(t['test.strings']).toEqual({ value: ['<s>', '\u2581a', ''], type: GGUFValueType.ARRAY, subType: GGUFValueType.STRING });
    expect(t['test.floats']).toEqual({ value: [0, -1, 0.5], type: GGUFValueType.ARRAY, subType: GGUFValueType.FLOAT32 });
    expect(t['test.ints']).toEqual({ value: [1, -2, 3], type: GGUFValueType.ARRAY, subType: GGUFValueType.INT32 });
  });

  it('lists tensors innermost-first, with data 32-byte aligned where the tensor info says', async () => {
    const info = await readGgufFileInfo(path, { sourceType: 'filesystem', logWarnings: false });
    expect(info.version).toBe(3);
    const tensors = info.tensorInfo!;
    expect(tensors.map((t) => [t.name, t.dimensions.map(Number), t.ggmlType])).toEqual([
      ['a.weight', [5], GgmlType.F32],
      ['b.weight', [256, 2], GgmlType.TQ2_0],
    ]);
    expect(info.infoEndOffset! % 32).toBe(0);
    for (const [i, t] of tensors.entries()) {
      const at = Number(t.fileOffset);
      expect(at % 32).toBe(0);
      expect(bytes.subarray(at, at + file.tensors[i]!.data.length)).toEqual(file.tensors[i]!.data);
    }
    // 20 bytes of F32 data are padded to 32 before the TQ2_0 tensor; the file ends padded too.
    expect(Number(tensors[1]!.offset)).toBe(32);
    expect(bytes.length).toBe(info.infoEndOffset! + 32 + 2 * 66 + 28);
  });

  it('is a pure function of its input', () => {
    expect(writeGguf(file)).toEqual(bytes);
  });

  it('rejects tensors it cannot lay out, saying what is wrong', () => {
    const bad = (tensor: GgufFile['tensors'][number]) => () => writeGguf({ metadata: [], tensors: [tensor] });
    expect(bad({ name: 'x', dims: [5], type: GgmlType.F32, data: new Uint8Array(16) })).toThrow(/x: data is 16 bytes.*need 20/);
    expect(bad({ name: 'y', dims: [100, 2], type: GgmlType.TQ2_0, data: new Uint8Array(0) })).toThrow(/multiple of 256/);
    expect(bad({ name: 'z', dims: [0], type: GgmlType.F32, data: new Uint8Array(0) })).toThrow(/positive integer/);
    const twice = { name: 'd', dims: [1], type: GgmlType.F32, data: new Uint8Array(4) };
    expect(() => writeGguf({ metadata: [], tensors: [twice, twice] })).toThrow(/appears twice/);
  });
});
