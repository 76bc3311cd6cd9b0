import { HarnessError } from '../../errors.ts';

/**
 * microsoft/BitNet commits and the Eddie-Wang1120/llama.cpp fork commit each pins as 3rdparty/llama.cpp. The fork's
 * `llama-cli --version` names only the fork commit (`version: 3947 (406a5036)`), so this table is how a prebuilt
 * folder without git metadata is matched to the BitNet pin.
 */
export const BITNET_FORK_COMMITS: readonly { bitnet: string; fork: string; note: string }[] = [
  { bitnet: '01eb415', fork: '1f86f058', note: 'the harness pin (January 2026)' },
  { bitnet: 'c82b5e6', fork: '406a5036', note: 'October 2024, the newest whose fork commit is archived in full' },
];

const same = (a: string, b: string) => a.length > 0 && b.length > 0 && (a.startsWith(b) || b.startsWith(a));

export function forkCommitOf(bitnetCommit: string): string | undefined {
  return BITNET_FORK_COMMITS.find((c) => same(c.bitnet, bitnetCommit))?.fork;
}

export function bitnetCommitOf(forkCommit: string): string | undefined {
  return BITNET_FORK_COMMITS.find((c) => same(c.fork, forkCommit))?.bitnet;
}

export interface EngineIdentity {
  /** The BitNet commit the folder is (from git, else from the fork commit through the table); `unknown` if neither. */
  bitnetCommit: string;
  /** From `llama-cli --version`, else from the submodule's git; `unknown` if neither. */
  forkCommit: string;
  /** Set when the folder is not (or cannot be shown to be) the configured commit. */
  warning?: string;
}

/**
 * Compares what a prebuilt engine folder is with the configured pin. A mismatch is a warning when the pin is the
 * default (the user pointed engine.dir at a build and may not care), and an error when engine.commit was set
 * explicitly (the user asked for that commit and would get another).
 */
export function checkEngineCommit(found: { dir: string; forkCommit: string; bitnetGitCommit?: string }, pin: { commit: string; commitFromConfig: boolean }): EngineIdentity {
  const forkCommit = found.forkCommit;
  const bitnetCommit = found.bitnetGitCommit || (forkCommit !== 'unknown' && bitnetCommitOf(forkCommit)) || 'unknown';
  const expectedFork = forkCommitOf(pin.commit);
  const forkKnown = forkCommit !== 'unknown';
  const mismatch =
    (found.bitnetGitCommit !== undefined && !same(found.bitnetGitCommit, pin.commit)) || (forkKnown && expectedFork !== undefined && !same(forkCommit, expectedFork));
  const is = `${found.dir} is bitnet.cpp ${bitnetCommit === 'unknown' ? 'at an unlisted commit' : bitnetCommit} (llama.cpp fork ${forkCommit})`;
  if (mismatch) {
    const expected = `the configured engine.commit ${pin.commit}${expectedFork ? ` (fork ${expectedFork})` : ''}`;
    if (pin.commitFromConfig) {
      throw new HarnessError('config', 'check engine commit', `${is}, not ${expected}`, `point engine.dir (BENCH_ENGINE_DIR) at a build of ${pin.commit}, or set engine.commit to ${bitnetCommit === 'unknown' ? 'the commit the folder was built from' : bitnetCommit}`);
    }
    return { bitnetCommit, forkCommit, warning: `${is}, not the pinned ${pin.commit}${expectedFork ? ` (fork ${expectedFork})` : ''}: its results are not comparable with runs of the pin` };
  }
  if (!forkKnown && found.bitnetGitCommit === undefined) {
    return { bitnetCommit, forkCommit, warning: `cannot tell which commit ${found.dir} is: its llama-cli --version names no commit and the folder has no git metadata; it is reported as unverified` };
  }
  if (expectedFork === undefined && found.bitnetGitCommit === undefined) {
    return { bitnetCommit, forkCommit, warning: `cannot check ${found.dir} against engine.commit ${pin.commit}: that commit's fork commit is not listed (known: ${BITNET_FORK_COMMITS.map((c) => `${c.bitnet} ↔ ${c.fork}`).join(', ')})` };
  }
  return { bitnetCommit: bitnetCommit === 'unknown' ? pin.commit : bitnetCommit, forkCommit };
}
