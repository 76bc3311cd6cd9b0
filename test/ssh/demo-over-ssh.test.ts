import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunRecord } from '../../harness/results/types.ts';
import { runVitestProject } from '../support/run-vitest.ts';
import { startSshd, type TestSshd } from '../support/sshd.ts';

/**
 * The `ssh` project end to end against a real OpenSSH server on loopback: the engine and tiny model are copied
 * over SFTP, the same suites run there, and the verdicts and outputs equal those of the local target.
 */
let sshd: TestSshd;
let scratch: string;
beforeAll(async () => {
  sshd = await startSshd();
  scratch = mkdtempSync(join(tmpdir(), 'bench-ssh-demo-'));
});
afterAll(async () => sshd?.stop());

const sshEnv = () => ({
  BENCH_CONFIG: 'fixtures/configs/demo.json',
  BENCH_SSH_HOST: sshd.host,
  BENCH_SSH_PORT: String(sshd.port),
  BENCH_SSH_USER: sshd.username,
  BENCH_SSH_KEY: sshd.privateKeyPath,
  BENCH_SSH_FINGERPRINT: sshd.hostKeyFingerprint,
  BENCH_WORK_DIR: join(scratch, 'remote-work'),
});
const runRecord = (reportsDir: string): RunRecord => JSON.parse(readFileSync(join(reportsDir, 'latest', 'run.json'), 'utf8'));

describe('ssh project on a real sshd', () => {
  it('runs the demo through the SSH target with the same verdicts and outputs as the local target', async () => {
    const local = await runVitestProject('demo');
    const remote = await runVitestProject('ssh', sshEnv());
    expect(remote.status, remote.output).toBe(0);
    const [l, r] = [runRecord(local.reportsDir), runRecord(remote.reportsDir)];
    expect(r.environment).toMatchObject({ target: 'ssh', targetLabel: `ssh ${sshd.username}@${sshd.host}:${sshd.port}`, engine: 'llama.cpp' });
    expect(r.environment!.modelFile.startsWith(join(scratch, 'remote-work'))).toBe(true);
    expect(r.rows.map((row) => [row.promptId, row.verdict, row.text])).toEqual(l.rows.map((row) => [row.promptId, row.verdict, row.text]));
    expect(existsSync(join(remote.reportsDir, 'latest', 'bitnet_coherent_results.txt'))).toBe(true);
  });

  it('a prompt full of shell metacharacters reaches the engine byte for byte and executes nothing', async () => {
    const marker = join(scratch, 'pwned');
    const hostile = `The capital of France is'; touch ${marker} #$(touch ${marker})\`touch ${marker}\`\n"naïve" café — 東京 ${'$'}HOME`;
    const prompts = join(scratch, 'hostile.json');
    writeFileSync(prompts, JSON.stringify({ name: 'hostile', prompts: [{ id: 'hostile', text: hostile }] }));
    const remote = await runVitestProject('ssh', { ...sshEnv(), BENCH_PROMPTS: prompts, BENCH_N_PREDICT: '8' });
    const run = runRecord(remote.reportsDir);
    expect(run.status, remote.output).toBe('complete');
    expect(run.rows[0]).toMatchObject({ prompt: hostile, promptEchoed: true });
    expect(existsSync(marker)).toBe(false);
  });
});
