import { describe, expect, it } from 'vitest';
import { HarnessError } from '../../errors.ts';
import { checkEngineCommit } from './fork-commits.ts';

const dir = '/opt/BitNet';
const pinned = { commit: '01eb415', commitFromConfig: false };

describe('checkEngineCommit (a prebuilt engine folder against the pin)', () => {
  it('accepts the pinned fork commit from --version, with or without git metadata', () => {
    expect(checkEngineCommit({ dir, forkCommit: '1f86f058' }, pinned)).toEqual({ bitnetCommit: '01eb415', forkCommit: '1f86f058' });
    expect(checkEngineCommit({ dir, forkCommit: '1f86f05', bitnetGitCommit: '01eb415' }, pinned)).toEqual({ bitnetCommit: '01eb415', forkCommit: '1f86f05' });
    expect(checkEngineCommit({ dir, forkCommit: '406a5036' }, { commit: 'c82b5e6', commitFromConfig: true })).toEqual({ bitnetCommit: 'c82b5e6', forkCommit: '406a5036' });
  });

  it('warns loudly when the folder is another commit than the default pin, naming both', () => {
    const id = checkEngineCommit({ dir, forkCommit: '406a5036' }, pinned);
    expect(id.bitnetCommit).toBe('c82b5e6');
    expect(id.warning).toBe('/opt/BitNet is bitnet.cpp c82b5e6 (llama.cpp fork 406a5036), not the pinned 01eb415 (fork 1f86f058): its results are not comparable with runs of the pin');
    expect(checkEngineCommit({ dir, forkCommit: 'abcdef12' }, pinned).warning).toMatch(/is bitnet\.cpp at an unlisted commit \(llama\.cpp fork abcdef12\), not the pinned 01eb415/);
    expect(checkEngineCommit({ dir, forkCommit: '1f86f058', bitnetGitCommit: 'fffffff' }, pinned).warning).toMatch(/is bitnet\.cpp fffffff .*not the pinned 01eb415/);
  });

  it('refuses the folder when engine.commit was set explicitly and disagrees', () => {
    const error = (() => { try { checkEngineCommit({ dir, forkCommit: '406a5036' }, { commit: '01eb415', commitFromConfig: true }); } catch (e) { return e; } })() as HarnessError;
    expect(error).toBeInstanceOf(HarnessError);
    expect(error.kind).toBe('config');
    expect(error.describe()).toMatch(/check engine commit failed: \/opt\/BitNet is bitnet\.cpp c82b5e6 .*not the configured engine\.commit 01eb415 \(fork 1f86f058\)\nWhat to do: .*or set engine\.commit to c82b5e6/);
  });

  it('says when nothing tells which commit the folder is, or the pin is not in the table', () => {
    expect(checkEngineCommit({ dir, forkCommit: 'unknown' }, pinned)).toMatchObject({ bitnetCommit: 'unknown', warning: expect.stringMatching(/cannot tell which commit \/opt\/BitNet is/) });
    expect(checkEngineCommit({ dir, forkCommit: '406a5036' }, { commit: '1234567', commitFromConfig: true }).warning).toMatch(/cannot check \/opt\/BitNet against engine\.commit 1234567: .*known: 01eb415 ↔ 1f86f058, c82b5e6 ↔ 406a5036/);
  });
});
