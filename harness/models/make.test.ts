import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readGgufFileInfo } from 'node-llama-cpp';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTinyF32Model, makeTinyModels, SUMMARY_FILE, type TinyModelPaths } from './make.ts';

const dirs: string[] = [];
async function make(): Promise<{ paths: TinyModelPaths; ms: number }> {
  const dir = await mkdtemp(join(tmpdir(), 'tiny-make-'));
  dirs.push(dir);
  const started = performance.now();
  const paths = await makeTinyModels(join(dir, 'nested', 'out'));
  return { paths, ms: performance.now() - started };
}
const sha256 = async (path: string) => createHash('sha256').update(await readFile(path)).digest('hex');

afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

describe('makeTinyModels', () => {
  it('writes the same bytes every time, quickly', async () => {
    const first = await make();
    const second = await make();
    for (const key of ['coherent', 'kernelFault', 'loop'] as const) {
      expect(await sha256(first.paths[key])).toBe(await sha256(second.paths[key]));
    }
    expect(new Set(await Promise.all(Object.values(first.paths).map(sha256))).size).toBe(3);
    expect(second.ms).toBeLessThan(2000);
    const summary = JSON.parse(await readFile(join(first.paths.coherent, '..', SUMMARY_FILE), 'utf8'));
    expect(summary.sha256['tiny-bitnet-coherent.gguf']).toBe(await sha256(first.paths.coherent));
  });

  it('writes bitnet-architecture GGUFs with ternary TQ2_0 weights and F32 norms', async () => {
    const { paths } = await make();
    const info = await readGgufFileInfo(paths.coherent, { sourceType: 'filesystem', logWarnings: false });
    expect(info.metadata.general.architecture).toBe('bitnet');
    const bitnet = info.architectureMetadata;
    expect(bitnet.block_count).toBe(1);
    expect(bitnet.attention?.layer_norm_rms_epsilon).toBeCloseTo(1e-5);
    const types = Object.fromEntries(info.tensorInfo!.map((t) => [t.name, t.ggmlType]));
    expect(types['blk.0.ffn_down.weight']).toBe(35); // TQ2_0
    expect(types['token_embd.weight']).toBe(35);
    expect(types['blk.0.attn_sub_norm.weight']).toBe(0); // F32
    expect(types['output.weight']).toBeUndefined(); // tied to the embedding, as in BitNet b1.58
  });

  it('writes an F32 twin of a model for an engine\'s own quantizer: same name, every tensor F32', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tiny-f32-'));
    dirs.push(dir);
    const coherent = await makeTinyF32Model(dir, 'coherent');
    const twin = await makeTinyF32Model(dir, 'kernel-fault');
    expect(coherent).toBe(join(dir, 'tiny-bitnet-coherent-f32.gguf'));
    const info = await readGgufFileInfo(coherent, { sourceType: 'filesystem', logWarnings: false });
    expect(info.metadata.general.name).toBe('tiny-bitnet-coherent');
    expect(info.metadata.general.file_type).toBe(0); // LLAMA_FTYPE_ALL_F32
    expect(new Set(info.tensorInfo!.map((t) => t.ggmlType))).toEqual(new Set([0]));
    expect(await sha256(twin)).not.toBe(await sha256(coherent));
  });
});
