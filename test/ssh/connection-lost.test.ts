import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TargetConnectionLostError } from '../../harness/errors.ts';
import { connectSshTarget, type SshTarget } from '../../harness/targets/ssh.ts';
import { startSshd, type TestSshd } from '../support/sshd.ts';

/** A command that prints a numbered line every 100 ms for a minute. */
const longCommand = { argv: ['sh', '-c', 'i=0; while [ $i -lt 600 ]; do echo "line $i"; i=$((i+1)); sleep 0.1; done'] };

describe('ssh target: the connection drops in the middle of a command', () => {
  let sshd: TestSshd;
  let target: SshTarget;

  beforeEach(async () => {
    sshd = await startSshd();
    target = await connectSshTarget({ ...sshd, hostKey: { fingerprint: sshd.hostKeyFingerprint }, keepaliveIntervalMs: 300, connectRetry: { attempts: 10, initialDelayMs: 100, maxDelayMs: 500 } });
  });
  afterEach(async () => {
    sshd?.kill('SIGCONT'); // in case a test froze it
    await target?.close();
    await sshd?.stop();
  });

  /** Resolves once the command has printed `lines` lines. */
  function runUntilLines(lines: number): { running: Promise<unknown>; printed: Promise<void>; seen: () => string } {
    let output = '';
    let onEnough: () => void;
    const printed = new Promise<void>((resolve) => (onEnough = resolve));
    const running = target.exec(longCommand, { onStdout: (chunk) => ((output += chunk), output.split('\n').length > lines && onEnough()) });
    running.catch(() => undefined); // observed below; avoid an unhandled rejection before the assertion attaches
    return { running, printed, seen: () => output };
  }

  it('rejects with TargetConnectionLostError when the server dies, and the next exec reconnects', async () => {
    const { running, printed, seen } = runUntilLines(3);
    await printed;
    sshd.kill('SIGKILL'); // listener, connection process and the command: the host is gone
    await expect(running).rejects.toBeInstanceOf(TargetConnectionLostError);
    await expect(running).rejects.toThrow(/the SSH connection dropped while running sh/);
    expect(seen()).toMatch(/^line 0\nline 1\nline 2\n/); // what streamed before the drop was delivered

    await sshd.restart();
    const after = await target.exec({ argv: ['echo', 'back'] });
    expect(after).toMatchObject({ exitCode: 0, stdout: 'back\n' });
  });

  it('notices a frozen host through keepalives instead of hanging', async () => {
    const { running, printed } = runUntilLines(2);
    await printed;
    const frozenAt = performance.now();
    sshd.kill('SIGSTOP'); // no FIN, no RST: only keepalives can tell
    await expect(running).rejects.toBeInstanceOf(TargetConnectionLostError);
    expect(performance.now() - frozenAt).toBeLessThan(5_000); // 3 missed keepalives at 300 ms
    sshd.kill('SIGCONT');
    expect((await target.exec({ argv: ['echo', 'thawed'] })).stdout).toBe('thawed\n');
  });

  it('fails every command in flight, not only one', async () => {
    const commands = [runUntilLines(1), runUntilLines(1), runUntilLines(1)];
    await Promise.all(commands.map((c) => c.printed));
    sshd.kill('SIGKILL');
    for (const { running } of commands) await expect(running).rejects.toBeInstanceOf(TargetConnectionLostError);
  });
});
