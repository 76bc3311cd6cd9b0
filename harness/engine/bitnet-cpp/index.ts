import { posix } from 'node:path';
import type { EngineConfig } from '../../config/schema.ts';
import { HarnessError } from '../../errors.ts';
import { flavours } from '../command.ts';
import type { Engine, EngineContext, PreparedEngine } from '../engine.ts';
import { preparedEngine } from '../prepared.ts';
import { buildBitnet } from './build.ts';
import { fetchModel, modelUrl } from './download.ts';
import { checkEngineFolder, modelNameOf, requireServerBinary } from './prebuilt.ts';
import { MODEL_DIR, applyClangFix, checkCpu, checkoutPinned, cloneStepName, exists, fileSize, requireTools, run } from './setup.ts';

type BitnetConfig = Extract<EngineConfig, { kind: 'bitnet.cpp' }>;

/**
 * bitnet.cpp (microsoft/BitNet) on any target, following the seed's manual steps without their traps: check the
 * CPU, clone pinned with submodules, apply the clang fix, then build (venv, gguf-py, codegen, CMake: build.ts) while
 * the pre-converted I2_S GGUF downloads on the target (download.ts) — a pod bills both, so they overlap. Nothing
 * is installed into system Python, nothing needs huggingface-cli. Every step is skipped when its result is already there.
 */
export class BitnetCppEngine implements Engine {
  constructor(private readonly cfg: BitnetConfig) {}

  async prepare(ctx: EngineContext): Promise<PreparedEngine> {
    const { target, phases, log } = ctx;
    const cfg = this.cfg;
    const step = <T>(name: string, fn: () => Promise<T>) => phases.step('engine-setup', name, fn);

    const machine = await target.describe();
    await step('check CPU', async () => checkCpu(machine, cfg, log.warn));
    const dir = cfg.dir ?? posix.join(target.workDir, 'BitNet');
    const llamaCli = posix.join(dir, 'build/bin', flavours['bitnet.cpp'].generateBinary);
    const prebuilt = cfg.dir !== undefined && (await exists(target, 'check engine folder', llamaCli));

    // A model given by path is checked before anything is built for it.
    const nameFromCheck = cfg.modelPath ? await step('verify model size', () => this.#verifyModel(ctx, cfg.modelPath!)) : undefined;
    if (!prebuilt) {
      // Each tool is checked right before the step that needs it, so an offline machine stops at the first
      // network step (the clone) rather than at a missing compiler it would need only later.
      await step('check git', () => requireTools(target, 'check git', ['git']));
      await step(cloneStepName(cfg), () => checkoutPinned(ctx, cfg, dir));
      await step('apply clang fix to ggml-bitnet-mad.cpp', () => applyClangFix(target, dir));
    }
    // python3 runs the downloader and creates the build's venv: standard library only, nothing installed into it.
    if (!prebuilt || !cfg.modelPath) await step('check python3', () => requireTools(target, 'check python3', ['python3']));
    const modelPath = cfg.modelPath ?? posix.join(dir, MODEL_DIR, cfg.modelFile);
    // The download and the build run side by side; the first to fail stops the other.
    const stop = new AbortController();
    const download = phases.step('model-download', `download ${cfg.modelRepo}/${cfg.modelFile}`, async () => {
      if (cfg.modelPath) return 'skipped';
      return fetchModel(target, { url: modelUrl(cfg.modelRepo, cfg.modelFile), dest: modelPath, bytes: cfg.modelBytes, sha256: cfg.modelSha256, log, signal: stop.signal });
    });
    let firstError: unknown;
    const build = prebuilt ? Promise.resolve() : buildBitnet(ctx, cfg, dir, machine, llamaCli, stop.signal);
    await Promise.all([download, build].map((p) => p.catch((error: unknown) => ((firstError ??= error), stop.abort()))));
    if (firstError) throw firstError;

    // A prebuilt folder is not trusted blindly: its commit is checked against the pin, its model named by its own metadata.
    const checked = await step('check engine commit', () => checkEngineFolder(target, log, dir, llamaCli, cfg));
    const info = {
      name: 'bitnet.cpp' as const,
      version: checked.version,
      commit: checked.commit,
      binDir: posix.dirname(llamaCli),
      modelName: nameFromCheck ?? (await step('read model name', () => modelNameOf(target, modelPath))),
      modelPath,
      modelBytes: (await fileSize(target, 'read model size', modelPath)) ?? 0,
      warnings: checked.warnings,
    };
    if (cfg.mode === 'server') await step('check llama-server', () => requireServerBinary(target, info.binDir, checked.commit));
    return preparedEngine(ctx, flavours['bitnet.cpp'], info, cfg.mode);
  }

  /** Returns the model's name when the check had to read it (a model given by path under another file name). */
  async #verifyModel({ target }: EngineContext, modelPath: string): Promise<string | undefined> {
    // Only the published file is held to its published size; another model given by path must at least be a GGUF
    // (read now, before anything is built for it; it is named by its metadata).
    if (this.cfg.modelPath && posix.basename(modelPath) !== this.cfg.modelFile && (await exists(target, 'verify model size', modelPath))) {
      return modelNameOf(target, modelPath);
    }
    const size = await fileSize(target, 'verify model size', modelPath);
    if (size === undefined) throw new HarnessError('infrastructure', 'verify model size', `${modelPath} does not exist`, 'set engine.modelPath (BENCH_MODEL_PATH) to ggml-model-i2_s.gguf, or let the harness download it');
    if (size !== this.cfg.modelBytes) throw new HarnessError('infrastructure', 'verify model size', `${modelPath} has ${size} bytes, expected ${this.cfg.modelBytes} (${this.cfg.modelFile} of ${this.cfg.modelRepo})`, 'the download is incomplete or the wrong file: delete it and rerun, or set engine.modelBytes if you use another conversion on purpose');
    return undefined;
  }
}
