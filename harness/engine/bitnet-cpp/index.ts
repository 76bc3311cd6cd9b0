import { posix } from 'node:path';
import type { EngineConfig } from '../../config/schema.ts';
import { HarnessError } from '../../errors.ts';
import { flavours } from '../command.ts';
import type { Engine, EngineContext, PreparedEngine } from '../engine.ts';
import { preparedEngine } from '../prepared.ts';
import { TOOL_TIMEOUT_MS } from '../timeouts.ts';
import { MODEL_DIR, applyClangFix, checkCpu, checkoutPinned, cloneStepName, exists, fileSize, requireTools, run } from './setup.ts';

type BitnetConfig = Extract<EngineConfig, { kind: 'bitnet.cpp' }>;

/**
 * bitnet.cpp (microsoft/BitNet) on any target, following the seed's manual steps: check the CPU, clone pinned
 * with submodules, apply the clang fix, install requirements, download the pre-converted I2_S GGUF, build with
 * setup_env.py. Every step is skipped when its result is already on the target.
 */
export class BitnetCppEngine implements Engine {
  constructor(private readonly cfg: BitnetConfig) {}

  async prepare(ctx: EngineContext): Promise<PreparedEngine> {
    const { target, phases, log } = ctx;
    const cfg = this.cfg;
    const step = <T>(name: string, fn: () => Promise<T>) => phases.step('engine-setup', name, fn);

    await step('check CPU', async () => checkCpu(await target.describe(), cfg, log.warn));
    const dir = cfg.dir ?? posix.join(target.workDir, 'BitNet');
    const llamaCli = posix.join(dir, 'build/bin', flavours['bitnet.cpp'].generateBinary);
    const prebuilt = cfg.dir !== undefined && (await exists(target, llamaCli));

    if (!prebuilt) {
      // Each tool is checked right before the step that needs it, so an offline machine stops at the first
      // network step (the clone) rather than at a missing compiler it would need only later.
      await step('check git', () => requireTools(target, ['git']));
      await step(cloneStepName(cfg), () => checkoutPinned(ctx, cfg, dir));
      await step('apply clang fix to ggml-bitnet-mad.cpp', () => applyClangFix(target, dir));
      await step('check python3', () => requireTools(target, ['python3']));
      await step('pip install -r requirements.txt', () => this.#pipInstall(ctx, dir));
    }
    const modelPath = cfg.modelPath ?? posix.join(dir, MODEL_DIR, cfg.modelFile);
    await phases.step('model-download', `download ${cfg.modelRepo}`, () => this.#downloadModel(ctx, dir, modelPath));
    await step('verify model size', () => this.#verifyModel(ctx, modelPath));
    if (!prebuilt) {
      await step('check cmake and clang', () => requireTools(target, ['cmake', 'clang']));
      await phases.step('build', 'build (setup_env.py -q i2_s)', () => this.#build(ctx, dir, llamaCli));
    }

    const version = await run(target, 'read engine version', { argv: [llamaCli, '--version'], timeoutMs: TOOL_TIMEOUT_MS });
    const versionLine = `${version.stderr}\n${version.stdout}`.match(/version:.*$/m)?.[0] ?? 'unknown';
    const commit = (await target.exec({ argv: ['git', '-C', dir, 'rev-parse', '--short=7', 'HEAD'] })).stdout.trim() || cfg.commit;
    const info = {
      name: 'bitnet.cpp' as const,
      version: versionLine,
      commit,
      binDir: posix.dirname(llamaCli),
      modelName: 'BitNet-b1.58-2B-4T',
      modelPath,
      modelBytes: (await fileSize(target, modelPath)) ?? 0,
    };
    if (cfg.mode === 'server') {
      // The fork builds build/bin/llama-server next to llama-cli (BitNet's run_inference_server.py uses it).
      await step('check llama-server', async () => {
        if (!(await exists(target, posix.join(info.binDir, flavours['bitnet.cpp'].serverBinary)))) throw new HarnessError('config', 'check llama-server', `${info.binDir}/llama-server does not exist`, 'set engine.mode to "process", or build the fork with its server');
      });
    }
    return preparedEngine(ctx, flavours['bitnet.cpp'], info, cfg.mode);
  }

  async #pipInstall({ target }: EngineContext, dir: string): Promise<'skipped' | void> {
    const stamp = posix.join(dir, '.bench-requirements-installed');
    if (await exists(target, stamp)) return 'skipped';
    await run(target, 'pip install -r requirements.txt', { argv: ['python3', '-m', 'pip', 'install', '-r', 'requirements.txt'], cwd: dir, timeoutMs: 30 * 60_000 });
    await target.writeFile(stamp, new Date().toISOString());
  }

  async #downloadModel({ target }: EngineContext, dir: string, modelPath: string): Promise<'skipped' | void> {
    if (this.cfg.modelPath || (await fileSize(target, modelPath)) === this.cfg.modelBytes) return 'skipped';
    // The pre-converted GGUF, into the folder name setup_env.py expects; never "the first *.gguf" (that can be the f32 file).
    await run(target, `download ${this.cfg.modelRepo}`, {
      argv: ['huggingface-cli', 'download', this.cfg.modelRepo, this.cfg.modelFile, '--local-dir', posix.join(dir, MODEL_DIR)],
      timeoutMs: 60 * 60_000,
    });
  }

  async #verifyModel({ target }: EngineContext, modelPath: string): Promise<void> {
    const size = await fileSize(target, modelPath);
    if (size === undefined) throw new HarnessError('infrastructure', 'verify model size', `${modelPath} does not exist`, 'set engine.modelPath (BENCH_MODEL_PATH) to ggml-model-i2_s.gguf, or let the harness download it');
    if (size !== this.cfg.modelBytes) throw new HarnessError('infrastructure', 'verify model size', `${modelPath} has ${size} bytes, expected ${this.cfg.modelBytes} (${this.cfg.modelFile} of ${this.cfg.modelRepo})`, 'the download is incomplete or the wrong file: delete it and rerun, or set engine.modelBytes if you use another conversion on purpose');
  }

  async #build({ target }: EngineContext, dir: string, llamaCli: string): Promise<'skipped' | void> {
    const stamp = posix.join(dir, '.bench-built');
    if ((await exists(target, stamp)) && (await exists(target, llamaCli))) return 'skipped';
    // setup_env.py reads the model from MODEL_DIR; a model given by path elsewhere is linked in under its expected name.
    const expected = posix.join(dir, MODEL_DIR, this.cfg.modelFile);
    if (this.cfg.modelPath && !(await exists(target, expected))) {
      await run(target, 'link model for setup_env.py', { argv: ['mkdir', '-p', posix.join(dir, MODEL_DIR)] });
      await run(target, 'link model for setup_env.py', { argv: ['ln', '-s', this.cfg.modelPath, expected] });
    }
    await run(target, 'build (setup_env.py -q i2_s)', { argv: ['python3', 'setup_env.py', '-md', MODEL_DIR, '-q', 'i2_s'], cwd: dir, timeoutMs: 60 * 60_000 });
    await target.writeFile(stamp, this.cfg.commit);
  }
}
