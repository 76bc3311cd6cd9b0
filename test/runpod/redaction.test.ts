import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provisionRunpodPod } from '../../harness/providers/runpod/provision.ts';
import { describeError, redact, registerSecret } from '../../harness/providers/runpod/redact.ts';
import type { SshConnect } from '../../harness/providers/runpod/readiness.ts';
import { fakeClient, startRunpodTestEnv, testConfig, type RunpodTestEnv } from '../support/runpod-test-env.ts';
import { captureLogger, caught, observe, scanForSecretsAfterAll } from '../support/secret-scan.ts';
import { connectWithSsh2 } from '../support/ssh2-connect.ts';

const STOP_SCRIPT = fileURLToPath(new URL('../../harness/providers/runpod/stop-pods.mjs', import.meta.url));
const logger = captureLogger();
const privateKeys: string[] = [];
let env: RunpodTestEnv;

beforeAll(async () => {
  env = await startRunpodTestEnv();
});
afterAll(() => env.close());
scanForSecretsAfterAll(() => [env.apiKey, ...privateKeys]);

describe('redact', () => {
  it('masks registered secrets, bearer tokens, api_key query values and private key blocks', () => {
    const key = 'rpa_REGISTEREDKEY1234567890';
    registerSecret(key);
    expect(redact(`key=${key}.`)).toBe('key=[REDACTED].');
    expect(redact('authorization: Bearer abcdefghijklmnop')).toBe('authorization: Bearer [REDACTED]');
    expect(redact('POST https://api.runpod.io/graphql?api_key=unregistered123&x=1')).toBe('POST https://api.runpod.io/graphql?api_key=[REDACTED]&x=1');
    expect(redact('-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n-----END OPENSSH PRIVATE KEY-----')).toBe('[REDACTED]');
    expect(describeError(new TypeError('fetch failed', { cause: new Error(`connect to ?api_key=${key}`) }))).not.toContain(key);
  });
});

describe('nothing the provider prints or throws holds a secret', () => {
  it('redacts a REST problem or a GraphQL error that echoes the Authorization header', async () => {
    const client = fakeClient(env, logger);
    env.fake.inject({ status: 409, detail: 'conflict; you sent authorization={auth}' });
    const rest = await caught(client.listPods());
    expect(rest.message).toContain('conflict; you sent authorization=Bearer [REDACTED]');
    expect(rest.message).not.toContain(env.apiKey);

    env.fake.inject({ graphqlError: 'bad request; you sent authorization={auth}' });
    const spec = { name: 'bitnet-bench-r-c1-b60', imageName: 'img', containerDiskInGb: 20, volumeInGb: 0, ports: ['22/tcp'], env: {} };
    const graphql = await caught(client.createPod({ ...spec, terminateAfter: '2026-12-02T03:00:00Z', compute: { kind: 'gpu', gpuTypeId: 'NVIDIA RTX A5000', cloudType: 'SECURE' } }));
    expect(graphql.message).toContain('[REDACTED]');
    expect(graphql.message).not.toContain(env.apiKey);
  });

  it('keeps the key out of the state file, the pod record, the cost summary and SSH attempts', async () => {
    const seenKeys: SshConnect = async (options) => {
      privateKeys.push(options.privateKey);
      return connectWithSsh2(options);
    };
    const pod = await provisionRunpodPod(testConfig(env), { connect: seenKeys, logger, guard: env.guard, installSignalHandlers: false });
    try {
      const stateFile = readFileSync(env.guard.stateFile, 'utf8');
      observe(stateFile);
      observe(JSON.stringify(pod.pod));
      observe(JSON.stringify(pod.costSoFar()));
      observe(pod.target.label);
      // The private key is never sent to RunPod: only the public half is in the create request.
      const create = env.fake.operations('podFindAndDeployOnDemand').at(-1)!;
      observe(JSON.stringify(create.input));
      expect(JSON.stringify(create.input)).toContain('ssh-ed25519 ');
    } finally {
      await pod.release();
    }
  });

  it('the signal-path stop script takes the key from env and never prints it', async () => {
    const pod = env.fake.addPod('bitnet-bench-x-c1-b60');
    env.fake.inject({ status: 409, detail: 'denied for {auth}' });
    const result = await runStopScript([pod.id]);
    observe(result.stdout);
    observe(result.stderr);
    // First try refused (and the echo redacted), second try succeeded.
    expect(result.status).toBe(0);
    expect(result.stdout.trim()).toBe(`ok ${pod.id}`);
    expect(env.fake.pods.get(pod.id)!.status).toBe('TERMINATED');

    // A pod RunPod no longer has (404) is already where the script wants it.
    const gone = await runStopScript(['nosuchpod0000']);
    expect(gone.stdout.trim()).toBe('ok nosuchpod0000');

    const other = env.fake.addPod('bitnet-bench-y-c1-b60');
    const wrong = await runStopScript([other.id], 'rpa_NOTTHEKEY00000000000');
    observe(wrong.stdout);
    expect(wrong.status).toBe(1);
    expect(wrong.stdout.trim()).toMatch(new RegExp(`^fail ${other.id} HTTP 401 `));
    expect(env.fake.pods.get(other.id)!.status).toBe('RUNNING');
    await runStopScript([other.id]);
  });
});

/** Async here (the fake API lives in this process and must keep answering); the signal path uses spawnSync. */
function runStopScript(podIds: string[], apiKey = env.apiKey): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [STOP_SCRIPT, ...podIds], {
    env: { PATH: process.env.PATH, RUNPOD_API_KEY: apiKey, RUNPOD_API_URL: env.fake.url },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve) => child.once('close', (status) => resolve({ status, stdout, stderr })));
}
