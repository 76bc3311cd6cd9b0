import { rm } from 'node:fs/promises';
import { buildError } from './errors.ts';
import { runProcess, tail } from './run-process.ts';

/** The commit a git bundle's HEAD points at: the cache key of the build. */
export async function bundleCommit(bundlePath: string): Promise<string> {
  const result = await runProcess('git', ['bundle', 'list-heads', bundlePath]);
  const commit = /^([0-9a-f]{40}) HEAD$/m.exec(result.stdout)?.[1] ?? /^([0-9a-f]{40}) /m.exec(result.stdout)?.[1];
  if (result.exitCode !== 0 || !commit) {
    throw buildError(
      `${bundlePath} is not a readable git bundle: ${tail(result.stderr || result.stdout, 5)}`,
      'reinstall node-llama-cpp with `npm ci`; the file may be truncated',
    );
  }
  return commit;
}

export interface SourceTree {
  dir: string;
  /** Short commit as `git rev-parse --short` prints it; llama.cpp's cmake embeds the same in the build info. */
  shortCommit: string;
  /** Commit count, llama.cpp's "build number" (1 for node-llama-cpp's squashed bundle). */
  buildNumber: number;
}

/** Clones the bundle into `dir` (replacing whatever an interrupted run left there) at the bundle's HEAD. */
export async function cloneBundle(bundlePath: string, dir: string): Promise<SourceTree> {
  await rm(dir, { recursive: true, force: true });
  const clone = await runProcess('git', ['-c', 'advice.detachedHead=false', 'clone', '--quiet', bundlePath, dir]);
  if (clone.exitCode !== 0) {
    throw buildError(`git clone of ${bundlePath} failed: ${tail(clone.stderr, 5)}`, 'check free disk space in the cache folder');
  }
  return openSourceTree(dir);
}

/** Reads commit and build number of an already cloned tree. */
export async function openSourceTree(dir: string): Promise<SourceTree> {
  const shortCommit = (await git(dir, ['rev-parse', '--short', 'HEAD'])).trim();
  const buildNumber = Number((await git(dir, ['rev-list', '--count', 'HEAD'])).trim());
  return { dir, shortCommit, buildNumber };
}

async function git(dir: string, args: string[]): Promise<string> {
  const result = await runProcess('git', ['-C', dir, ...args]);
  if (result.exitCode !== 0) throw buildError(`git ${args.join(' ')} failed in ${dir}: ${tail(result.stderr, 5)}`);
  return result.stdout;
}
