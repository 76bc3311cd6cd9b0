import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { BenchConfig } from '../config/schema.ts';
import { ConfigError, HarnessError } from '../errors.ts';

/**
 * Checked before anything is provisioned or rented: a run whose results cannot be written would otherwise spend
 * an hour of pod time and then lose everything to EACCES or ENOSPC.
 */
export function checkReportsWritable(dir: string): void {
  const folder = resolve(dir);
  const probe = join(folder, `.write-check-${process.pid}`);
  try {
    mkdirSync(folder, { recursive: true });
    // a few KiB, so a disk that is already full fails here and not on the first result
    writeFileSync(probe, Buffer.alloc(16 * 1024));
  } catch (error) {
    try {
      rmSync(probe, { force: true });
    } catch {
      // the folder is not there to clean up
    }
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new HarnessError('infrastructure', 'check reports folder', `the reports folder ${folder} is not writable: ${(error as Error).message.replace(/^\w+: /, '')} (${code})`, 'make it writable or free space there, or point BENCH_REPORTS_DIR (config reports.dir) at a writable folder');
  }
  rmSync(probe, { force: true });
}

/**
 * A GGUF path given in the config that is not there: said with what to do, before a build or a provisioning, not
 * as an ENOENT stack from deep in the engine setup.
 */
export function checkModelPath(config: BenchConfig, cwd = process.cwd()): void {
  const engine = config.engine;
  if (engine.kind === 'llama.cpp' && typeof engine.model === 'string' && !existsSync(resolve(cwd, engine.model))) {
    throw new ConfigError(`the model file ${resolve(cwd, engine.model)} does not exist (engine.model / BENCH_LLAMA_MODEL)`, 'point it at an existing .gguf file, or use a generated tiny model: BENCH_LLAMA_MODEL=tiny:coherent');
  }
  if (engine.kind === 'bitnet.cpp' && engine.modelPath && config.target.kind === 'local' && !existsSync(resolve(cwd, engine.modelPath))) {
    throw new ConfigError(`the model file ${resolve(cwd, engine.modelPath)} does not exist (engine.modelPath / BENCH_MODEL_PATH)`, 'point it at an existing ggml-model-i2_s.gguf, or unset it to let the harness download the model');
  }
}
