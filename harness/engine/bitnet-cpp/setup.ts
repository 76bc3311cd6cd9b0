import { posix } from 'node:path';
import type { EngineConfig } from '../../config/schema.ts';
import { HarnessError } from '../../errors.ts';
import type { CommandResult, CommandSpec, MachineInfo, Target } from '../../targets/target.ts';
import type { EngineContext } from '../engine.ts';
import { looksOffline } from '../network.ts';
import { TOOL_TIMEOUT_MS, timedOutAfter } from '../timeouts.ts';
import { MAD_SOURCE, patchMadSource } from './patches.ts';

type BitnetConfig = Extract<EngineConfig, { kind: 'bitnet.cpp' }>;

/** Where the model lands in the checkout: the layout upstream's README and run_inference.py use. */
export const MODEL_DIR = 'models/BitNet-b1.58-2B-4T';

export const OFFLINE_HINT =
  'this step needs the network. Either point the harness at what it would fetch — engine.dir (BENCH_ENGINE_DIR) at a bitnet.cpp checkout already built (build/bin/llama-cli) and engine.modelPath (BENCH_MODEL_PATH) at ggml-model-i2_s.gguf — or run the offline demo: npx vitest run --project=demo';

/**
 * Runs a setup command; a failure becomes a HarnessError naming the step, and network failures say so. A spec
 * without its own bound gets the tool bound (TOOL_TIMEOUT_MS): no setup step waits forever.
 */
export async function run(target: Target, step: string, given: CommandSpec, signal?: AbortSignal): Promise<CommandResult> {
  const spec = { ...given, timeoutMs: given.timeoutMs ?? TOOL_TIMEOUT_MS };
  const result = await target.exec(spec, {}, signal);
  if (result.exitCode === 0) return result;
  if (result.timedOut) throw timedOut(target, step, spec);
  const output = `${result.stderr}\n${result.stdout}`.trim();
  const tail = output.split('\n').slice(-4).join('\n  ');
  if (looksOffline(output)) throw new HarnessError('infrastructure', step, `no network on ${target.label}:\n  ${tail}`, OFFLINE_HINT);
  throw new HarnessError('infrastructure', step, `\`${spec.argv.join(' ')}\` exited with ${result.signal ?? result.exitCode}:\n  ${tail}`, 'read the output above; rerun after fixing it — finished steps are skipped');
}

/** A setup command that hit its bound: an infrastructure fault naming the step, never a quality result. */
function timedOut(target: Target, step: string, spec: CommandSpec): HarnessError {
  return new HarnessError('infrastructure', step, `\`${spec.argv.join(' ')}\` ${timedOutAfter(spec.timeoutMs ?? 0)} on ${target.label}`, 'the command hung or the machine is overloaded; rerun — finished steps are skipped');
}

/**
 * A quick question to the target (a tool's `--version`, `test -e`, `wc -c`), bounded like every other tool call
 * (TOOL_TIMEOUT_MS): its exit status is the answer, but a hang (a stalled mount, a binary stuck on a lock) fails
 * the step by name instead of holding the run.
 */
export async function ask(target: Target, step: string, argv: string[]): Promise<CommandResult> {
  const spec = { argv, timeoutMs: TOOL_TIMEOUT_MS };
  const result = await target.exec(spec);
  if (result.timedOut) throw timedOut(target, step, spec);
  return result;
}

export function checkCpu(machine: MachineInfo, cfg: BitnetConfig, warn: (m: string) => void): void {
  const problems = [
    !/^(x86_64|amd64)$/i.test(machine.arch) && `${machine.arch} is not x86_64 (bitnet.cpp's ARM NEON kernels produce word salad: upstream #348, #411, #468, #585, #600, #610)`,
    /^(x86_64|amd64)$/i.test(machine.arch) && !machine.flags.avx2 && `${machine.cpuModel} has no AVX2 (bitnet.cpp's I2_S kernels print garbage without it: upstream #547, #243)`,
  ].filter((p): p is string => Boolean(p));
  if (problems.length === 0) return;
  if (cfg.cpuCheck === 'warn') return warn(`CPU check: ${problems.join('; ')} — running anyway (engine.cpuCheck = "warn")`);
  throw new HarnessError('infrastructure', 'check CPU', problems.join('; '), 'use an x86_64 host with AVX2 (e.g. a RunPod pod: BENCH_TARGET=runpod), or set engine.cpuCheck to "warn" to record this platform\'s output as a baseline');
}

export async function requireTools(target: Target, step: string, tools: string[]): Promise<void> {
  const missing: string[] = [];
  for (const tool of tools) if ((await ask(target, step, [tool, '--version'])).exitCode !== 0) missing.push(tool);
  if (missing.length) throw new HarnessError('infrastructure', step, `missing on ${target.label}: ${missing.join(', ')}`, `install them (Debian/Ubuntu: apt-get install -y ${missing.map((t) => (t === 'python3' ? 'python3 python3-venv' : t)).join(' ')})`);
}

export async function exists(target: Target, step: string, path: string): Promise<boolean> {
  return (await ask(target, step, ['test', '-e', path])).exitCode === 0;
}

export function cloneStepName(cfg: BitnetConfig): string {
  return `clone ${cfg.repo.replace(/^https:\/\/github\.com\//, '').replace(/\.git$/, '')}@${cfg.commit}`;
}

/** Clone pinned with submodules; an existing checkout at the right commit is kept. */
export async function checkoutPinned(ctx: EngineContext, cfg: BitnetConfig, dir: string): Promise<'skipped' | void> {
  const { target } = ctx;
  const step = cloneStepName(cfg);
  if (await exists(target, step, posix.join(dir, '.git'))) {
    const head = await run(target, step, { argv: ['git', '-C', dir, 'rev-parse', 'HEAD'] });
    if (head.stdout.trim().startsWith(cfg.commit)) return 'skipped';
    throw new HarnessError('infrastructure', step, `${dir} is checked out at ${head.stdout.trim().slice(0, 12)}, not the pinned ${cfg.commit}`, `remove ${dir} to let the harness clone it again, or check out ${cfg.commit} there`);
  }
  await run(target, step, { argv: ['git', 'clone', '--recurse-submodules', cfg.repo, dir], timeoutMs: 30 * 60_000 });
  await run(target, step, { argv: ['git', '-C', dir, '-c', 'advice.detachedHead=false', 'checkout', cfg.commit], timeoutMs: 10 * 60_000 });
  await run(target, step, { argv: ['git', '-C', dir, 'submodule', 'update', '--init', '--recursive'], timeoutMs: 30 * 60_000 });
}

export async function applyClangFix(target: Target, dir: string): Promise<'skipped' | void> {
  const file = posix.join(dir, MAD_SOURCE);
  const { text, changed } = patchMadSource((await target.readFile(file)).toString('utf8'));
  if (!changed) return 'skipped';
  await target.writeFile(file, text);
}

export async function fileSize(target: Target, step: string, path: string): Promise<number | undefined> {
  // `wc -c` is the one size query Linux and macOS spell alike (stat's flags differ); it follows symlinks.
  const result = await ask(target, step, ['wc', '-c', path]);
  const bytes = Number(result.stdout.trim().split(/\s+/)[0]);
  return result.exitCode === 0 && Number.isSafeInteger(bytes) ? bytes : undefined;
}
