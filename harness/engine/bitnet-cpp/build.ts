import { posix } from 'node:path';
import type { EngineConfig } from '../../config/schema.ts';
import type { MachineInfo } from '../../targets/target.ts';
import { flavours } from '../command.ts';
import type { EngineContext } from '../engine.ts';
import { ask, exists, requireTools, run } from './setup.ts';
import { type PythonEnv, VENV_STEP, ensureVenv, pipInstall } from './venv.ts';

type BitnetConfig = Extract<EngineConfig, { kind: 'bitnet.cpp' }>;

/** What setup_env.py pip-installs, relative to the checkout (its `setup_gguf()`): the fork's own gguf-py, nothing else. */
export const GGUF_PY = '3rdparty/llama.cpp/gguf-py';

/**
 * setup_env.py's kernel generation for BitNet-b1.58-2B-4T at the pinned 01eb415 (`gen_code()`): the 3B model's
 * tile sizes, TL2 on x86_64 and TL1 on arm64. Standard library only.
 */
export function codegenArgv(python: string, arch: string): string[] {
  return /^(aarch64|arm64)$/i.test(arch)
    ? [python, 'utils/codegen_tl1.py', '--model', 'bitnet_b1_58-3B', '--BM', '160,320,320', '--BK', '64,128,64', '--bm', '32,64,32']
    : [python, 'utils/codegen_tl2.py', '--model', 'bitnet_b1_58-3B', '--BM', '160,320,320', '--BK', '96,96,96', '--bm', '32,32,32'];
}

/** setup_env.py's `compile()` at 01eb415, plus the server (older commits do not force it on). */
export function configureArgv(arch: string): string[] {
  const tl = /^(aarch64|arm64)$/i.test(arch) ? '-DBITNET_ARM_TL1=OFF' : '-DBITNET_X86_TL2=OFF';
  return ['cmake', '-B', 'build', tl, '-DCMAKE_C_COMPILER=clang', '-DCMAKE_CXX_COMPILER=clang++', '-DLLAMA_BUILD_SERVER=ON'];
}

/** The binaries the run uses: llama-cli, and llama-server in server mode. */
function buildTargets(mode: BitnetConfig['mode']): string[] {
  return [flavours['bitnet.cpp'].generateBinary, ...(mode === 'server' ? [flavours['bitnet.cpp'].serverBinary] : [])];
}

/** Only the binaries the run uses, on every core (setup_env.py builds every target, one job at a time). */
export function buildArgv(mode: BitnetConfig['mode'], jobs: number): string[] {
  return ['cmake', '--build', 'build', '--config', 'Release', '-j', String(Math.max(1, jobs)), '--target', ...buildTargets(mode)];
}

/**
 * Builds the checkout the way setup_env.py does, minus setup_env.py. Why not run it (with the venv's python)?
 * - Its last step, prepare_model(), converts a Hugging Face checkpoint with torch/transformers whenever the GGUF
 *   is not in place yet — which is exactly the case while the download runs alongside the build.
 * - It builds every target without `-j`, hides the compiler's output in logs/*.log, and wants the model folder
 *   named after a model it knows (the 2024 fork's setup_env.py does not know BitNet-b1.58-2B-4T at all).
 * The steps it takes before that are run here one by one: gguf-py into the harness's venv (setup_gguf), the
 * kernel codegen (gen_code, standard library only) and CMake (compile). Each is skipped when already done.
 */
export async function buildBitnet(ctx: EngineContext, cfg: BitnetConfig, dir: string, machine: MachineInfo, llamaCli: string, signal?: AbortSignal): Promise<void> {
  const { target, phases } = ctx;
  const step = <T>(name: string, fn: () => Promise<T>) => phases.step('build', name, () => (signal?.throwIfAborted(), fn()));
  let env!: PythonEnv;
  await step(VENV_STEP, async () => {
    const venv = await ensureVenv(target);
    env = venv.env;
    return venv.created ? undefined : 'skipped';
  });
  await step(`pip install ${GGUF_PY} (into the venv)`, async () => {
    if ((await ask(target, `pip install ${GGUF_PY} (into the venv)`, [env.python, '-c', 'import gguf'])).exitCode === 0) return 'skipped';
    await pipInstall(target, env, `pip install ${GGUF_PY}`, [posix.join(dir, GGUF_PY)], signal);
  });
  // What was built with which settings: a rerun with the same ones skips the build, a changed one rebuilds.
  const stamp = posix.join(dir, '.bench-built');
  const binaries = buildTargets(cfg.mode);
  const recipe = JSON.stringify({ commit: cfg.commit, codegen: codegenArgv('python', machine.arch), configure: configureArgv(machine.arch), binaries });
  const buildStep = `build ${binaries.join(' ')}`;
  if ((await exists(target, buildStep, llamaCli)) && (await target.readFile(stamp).then((b) => b.toString('utf8') === recipe, () => false))) {
    await step(buildStep, async () => 'skipped' as const);
    return;
  }
  await step('check cmake and clang', () => requireTools(target, 'check cmake and clang', ['cmake', 'clang']));
  await step('generate kernels (utils/codegen)', async () => void (await run(target, 'generate kernels', { argv: codegenArgv(env.python, machine.arch), cwd: dir, timeoutMs: 10 * 60_000 }, signal)));
  await step('cmake configure', async () => void (await run(target, 'cmake configure', { argv: configureArgv(machine.arch), cwd: dir, timeoutMs: 10 * 60_000 }, signal)));
  await step(buildStep, async () => void (await run(target, buildStep, { argv: buildArgv(cfg.mode, machine.cores), cwd: dir, timeoutMs: 90 * 60_000 }, signal)));
  await target.writeFile(stamp, recipe);
}
