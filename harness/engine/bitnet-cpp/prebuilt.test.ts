import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HarnessError } from '../../errors.ts';
import { tinyModelBytes } from '../../models/tiny/variants.ts';
import { LocalTarget } from '../../targets/local.ts';
import { modelNameOf, requireServerBinary } from './prebuilt.ts';

const work = mkdtempSync(join(tmpdir(), 'bitnet-prebuilt-'));
const target = new LocalTarget(work);
const failure = (promise: Promise<unknown>) => promise.then(() => undefined, (e: unknown) => e as HarnessError);

describe('a prebuilt bitnet.cpp folder', () => {
  it('names the model by its GGUF general.name, read on the target from the first bytes only', async () => {
    const model = join(work, 'renamed.gguf');
    writeFileSync(model, tinyModelBytes('kernel-fault'));
    expect(await modelNameOf(target, model)).toBe('tiny-bitnet-kernel-fault');
    const notGguf = join(work, 'ggml-model-i2_s.gguf');
    writeFileSync(notGguf, 'not a 1.19 GB model');
    const error = await failure(modelNameOf(target, notGguf));
    expect(error).toBeInstanceOf(HarnessError);
    expect(error!.describe()).toMatch(/read model metadata failed: .*ggml-model-i2_s\.gguf: not a GGUF file/);
  });

  it('server mode without build/bin/llama-server says which BitNet commits build it and how to build it', async () => {
    const binDir = join(work, 'BitNet', 'build', 'bin');
    mkdirSync(binDir, { recursive: true });
    const error = await failure(requireServerBinary(target, binDir, 'c82b5e6'));
    expect(error!.kind).toBe('config');
    expect(error!.describe()).toMatch(/llama-server does not exist: setup_env\.py builds llama-server only from microsoft\/BitNet commits of May 2025 on \(this folder is c82b5e6\)\nWhat to do: set engine\.mode to "process", or build the server in .*BitNet: cmake -B build -DLLAMA_BUILD_SERVER=ON/);
    writeFileSync(join(binDir, 'llama-server'), '');
    await expect(requireServerBinary(target, binDir, 'c82b5e6')).resolves.toBeUndefined();
  });
});
