import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectSshTarget, type SshTarget } from '../../harness/targets/ssh.ts';
import { startSshd, type TestSshd } from '../support/sshd.ts';

/**
 * Arguments and file names that would run something if they ever reached the remote shell unquoted.
 * The "payload" only ever touches a marker in a temp dir; the test checks it was never created and that
 * every argument arrived byte for byte.
 */
describe('ssh target: hostile arguments and file names reach the program unchanged and run nothing', () => {
  let sshd: TestSshd;
  let target: SshTarget;
  let scratch: string;
  let marker: string;
  let hostile: string[];

  beforeAll(async () => {
    sshd = await startSshd();
    scratch = await mkdtemp(join(tmpdir(), 'bench-ssh-inject-'));
    marker = join(scratch, 'pwned');
    hostile = [
      `'; touch ${marker} #`,
      `$(touch ${marker})`,
      `\`touch ${marker}\``,
      `"; touch ${marker}; echo "`,
      `\\'; touch ${marker}; '`,
      `x\ntouch ${marker}\n`,
      '$HOME ${PATH} $((1+1)) $0',
      'é 日本語 ✓ \u{1F600}',
      "'",
      '',
      '-n',
      '* ? [a-z] ~ !! &&|| ; > /dev/null',
    ];
    target = await connectSshTarget({ ...sshd, hostKey: { fingerprint: sshd.hostKeyFingerprint } });
  });
  afterAll(async () => {
    await target?.close();
    await sshd?.stop();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  it('passes each argument byte for byte (printf %s\\0 echoes them back)', async () => {
    const result = await target.exec({ argv: ['printf', '%s\\0', ...hostile] });
    expect(result.exitCode).toBe(0);
    expect(result.stdout.split('\0').slice(0, -1)).toEqual(hostile);
    expect(existsSync(marker)).toBe(false);
  });

  it('passes hostile environment values and a hostile working folder unchanged', async () => {
    const cwd = join(scratch, `'; touch ${marker} #`);
    await target.writeFile(join(cwd, '.keep'), '');
    const env = Object.fromEntries(hostile.map((value, i) => [`VALUE_${i}`, value]));
    const printAll = `printf '%s\\0' "$PWD" ${hostile.map((_, i) => `"$VALUE_${i}"`).join(' ')}`;
    const result = await target.exec({ argv: ['sh', '-c', printAll], cwd, env });
    expect(result.stdout.split('\0').slice(0, -1)).toEqual([cwd, ...hostile]);
    expect(existsSync(marker)).toBe(false);
  });

  it('writes and cats files whose names and contents are hostile', async () => {
    const files = hostile.map((text, i) => join(scratch, `${i}-${text.replaceAll('/', '_').replaceAll('\n', '_')}`));
    for (const [i, file] of files.entries()) await target.writeFile(file, hostile[i]!);
    const result = await target.exec({ argv: ['sh', '-c', 'for f; do cat -- "$f"; printf "\\0"; done', 'sh', ...files] });
    expect(result.exitCode).toBe(0);
    expect(result.stdout.split('\0').slice(0, -1)).toEqual(hostile);
    expect((await target.readFile(files[0]!)).toString('utf8')).toBe(hostile[0]);
    expect(existsSync(marker)).toBe(false);
  });
});
