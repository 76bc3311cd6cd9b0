import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { PodGuard } from '../../harness/providers/runpod/guard.ts';
import { FakeRunpod, type FakeRunpodOptions } from './fake-runpod.ts';
import { scanForSecretsAfterAll } from './secret-scan.ts';

/** A key shaped like RunPod's (`rpa_` + 40 chars), fresh per test file, so a leak scan can find it. */
export function fakeApiKey(): string {
  return `rpa_${randomBytes(20).toString('hex').toUpperCase()}`;
}

export interface RunpodTestEnv {
  apiKey: string;
  fake: FakeRunpod;
  cacheDir: string;
  guard: PodGuard;
  close(): Promise<void>;
}

export async function startRunpodTestEnv(options: Partial<FakeRunpodOptions> = {}, apiKey = fakeApiKey()): Promise<RunpodTestEnv> {
  const fake = await new FakeRunpod({ apiKey, ...options }).start();
  const cacheDir = mkdtempSync(join(tmpdir(), 'bench-runpod-cache-'));
  const guard = new PodGuard(join(cacheDir, 'runpod', 'live-pods.json'));
  return {
    apiKey,
    fake,
    cacheDir,
    guard,
    async close() {
      await fake.stop();
      rmSync(cacheDir, { recursive: true, force: true });
    },
  };
}

/**
 * For a test file whose tests each rent from a fresh fake RunPod: the returned function starts one, adds its key
 * to the file's secret scan, and closes it after the test.
 */
export function useRunpodTestEnv(): (options?: Partial<FakeRunpodOptions>) => Promise<RunpodTestEnv> {
  const keys: string[] = [];
  let env: RunpodTestEnv | undefined;
  afterEach(async () => {
    await env?.close();
    env = undefined;
  });
  scanForSecretsAfterAll(() => keys);
  return async (options = {}) => {
    env = await startRunpodTestEnv(options);
    keys.push(env.apiKey);
    return env;
  };
}

/** Fast settings for provisioning against the fake. */
export function testConfig(env: RunpodTestEnv, extra: Record<string, unknown> = {}) {
  return {
    apiKey: env.apiKey,
    apiUrl: env.fake.url,
    runId: 'test-run',
    readyPollSeconds: 0.05,
    readyTimeoutSeconds: 20,
    ...extra,
  };
}
