import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunpodClient } from '../../harness/providers/runpod/client.ts';
import { GraphqlTransport } from '../../harness/providers/runpod/graphql.ts';
import { provisionRunpodPod } from '../../harness/providers/runpod/provision.ts';
import { describeError, redact, registerSecret } from '../../harness/providers/runpod/redact.ts';
import type { SshConnect } from '../../harness/providers/runpod/readiness.ts';
import { startRunpodTestEnv, testConfig, type RunpodTestEnv } from '../support/runpod-test-env.ts';
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
  it('redacts a GraphQL error that echoes the Authorization header', async () => {
    const client = new RunpodClient(new GraphqlTransport({ apiKey: env.apiKey, url: env.fake.url, logger }));
    env.fake.inject({ graphqlError: 'bad request; you sent authorization={auth}' });
    const error = await caught(client.listPods());
    expect(error.message).toContain('[REDACTED]');
    expect(error.message).not.toContain(env.apiKey);
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
    env.fake.inject({ graphqlError: 'denied for {auth}' });
    const result = await runStopScript([pod.id]);
    observe(result.stdout);
    observe(result.stderr);
    // First try refused (and the echo redacted), second try succeeded.
    expect(result.status).toBe(0);
    expect(result.stdout.trim()).toBe(`ok ${pod.id}`);
    expect(env.fake.pods.get(pod.id)!.desiredStatus).toBe('TERMINATED');

    const wrong = await runStopScript(['nosuchpod0000']);
    observe(wrong.stdout);
    expect(wrong.status).toBe(1);
    expect(wrong.stdout).toContain('fail nosuchpod0000');
  });
});

/** Async here (the fake API lives in this process and must keep answering); the signal path uses spawnSync. */
function runStopScript(podIds: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [STOP_SCRIPT, ...podIds], {
    env: { PATH: process.env.PATH, RUNPOD_API_KEY: env.apiKey, RUNPOD_API_URL: env.fake.url },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve) => child.once('close', (status) => resolve({ status, stdout, stderr })));
}
