import { describe, expect, it } from 'vitest';
import { tinyModelBytes } from '../tiny/variants.ts';
import { readGgufMetadataPrefix } from './read-metadata.ts';
import { writeGguf } from './writer.ts';

describe('readGgufMetadataPrefix', () => {
  it('reads the scalar metadata of a whole GGUF, skipping the vocabulary arrays', () => {
    const meta = readGgufMetadataPrefix(tinyModelBytes('coherent'));
    expect(meta).toMatchObject({ version: 3, complete: true });
    expect(meta.values.get('general.name')).toBe('tiny-bitnet-coherent');
    expect(meta.values.get('general.architecture')).toBe('bitnet');
    expect(meta.values.get('general.file_type')).toBe(37);
    expect(meta.values.get('tokenizer.ggml.add_bos_token')).toBe(true);
    expect(meta.values.get('tokenizer.ggml.add_space_prefix')).toBe(true);
    expect(meta.values.has('tokenizer.ggml.tokens')).toBe(false);
  });

  it('from a prefix, returns the keys before the cut and says it is incomplete', () => {
    const meta = readGgufMetadataPrefix(tinyModelBytes('kernel-fault').subarray(0, 300));
    expect(meta.complete).toBe(false);
    expect(meta.values.get('general.name')).toBe('tiny-bitnet-kernel-fault');
    expect(meta.values.has('tokenizer.ggml.eos_token_id')).toBe(false);
  });

  it('reads every scalar width the writer emits, and refuses what is not a GGUF', () => {
    const bytes = writeGguf({ metadata: [['a.u64', { type: 'u64', value: 2n ** 40n }], ['a.f32', { type: 'f32', value: 0.5 }], ['a.i32', { type: 'i32', value: -7 }]], tensors: [] });
    expect(Object.fromEntries(readGgufMetadataPrefix(bytes).values)).toEqual({ 'a.u64': 2n ** 40n, 'a.f32': 0.5, 'a.i32': -7 });
    expect(() => readGgufMetadataPrefix(new TextEncoder().encode('not a 1.19 GB model'))).toThrow(/not a GGUF file/);
  });
});
