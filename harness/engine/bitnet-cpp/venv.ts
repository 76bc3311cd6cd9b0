import { posix } from 'node:path';
import { HarnessError } from '../../errors.ts';
import type { Target } from '../../targets/target.ts';
import { ask, run } from './setup.ts';

/** The harness's own Python: a virtual environment in its work folder on the target. */
export interface PythonEnv {
  dir: string;
  /** `<dir>/bin/python`: every Python step of the build runs with it, and pip only ever runs as `<python> -m pip`. */
  python: string;
}

export const VENV_STEP = 'create Python environment';

/**
 * Creates (or reuses) `<workDir>/venv` with `python3 -m venv`. System Python is never installed into: Debian 12 and
 * Ubuntu 24.04 refuse that anyway (PEP 668, "externally-managed-environment"), and on RunPod's PyTorch images it
 * would downgrade the image's own packages. Debian splits venv's pip bootstrap (ensurepip) into python3.X-venv;
 * without it the error names the exact package to apt-install.
 */
export async function ensureVenv(target: Target, dir = posix.join(target.workDir, 'venv')): Promise<{ env: PythonEnv; created: boolean }> {
  const env = { dir, python: posix.join(dir, 'bin', 'python') };
  if ((await ask(target, VENV_STEP, [env.python, '-m', 'pip', '--version'])).exitCode === 0) return { env, created: false };
  // --clear: a half-made folder from an earlier failed attempt (no pip in it) is made again, not trusted.
  const created = await target.exec({ argv: ['python3', '-m', 'venv', '--clear', dir], timeoutMs: 5 * 60_000 });
  if (created.exitCode !== 0) {
    const output = `${created.stderr}\n${created.stdout}`;
    if (/ensurepip is not\s+available|No module named '?(venv|ensurepip)/.test(output)) {
      const version = (await ask(target, VENV_STEP, ['python3', '-c', 'import sys; print("%d.%d" % sys.version_info[:2])'])).stdout.trim();
      const pkg = /^\d+\.\d+$/.test(version) ? `python${version}-venv` : 'python3-venv';
      throw new HarnessError(
        'infrastructure',
        VENV_STEP,
        `python3${version ? ` ${version}` : ''} on ${target.label} cannot create a virtual environment: its venv/ensurepip module is not installed`,
        `install it, then rerun: apt-get install -y ${pkg} (Debian/Ubuntu; python3-venv pulls in the default version's). The harness installs nothing into system Python.`,
      );
    }
    const tail = output.trim().split('\n').slice(-4).join('\n  ');
    throw new HarnessError('infrastructure', VENV_STEP, `\`python3 -m venv ${dir}\` exited with ${created.signal ?? created.exitCode}:\n  ${tail}`, 'read the output above; rerun after fixing it');
  }
  await run(target, VENV_STEP, { argv: [env.python, '-m', 'pip', '--version'] });
  return { env, created: true };
}

/** The one place the harness runs pip: always the venv's own interpreter, never a system one. */
export async function pipInstall(target: Target, env: PythonEnv, step: string, args: string[], signal?: AbortSignal): Promise<void> {
  await run(target, step, { argv: [env.python, '-m', 'pip', 'install', '--disable-pip-version-check', '--no-input', ...args], timeoutMs: 30 * 60_000 }, signal);
}
