import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { RunpodClient } from '../../harness/providers/runpod/client.ts';
import { GraphqlTransport } from '../../harness/providers/runpod/graphql.ts';
import { PodGuard } from '../../harness/providers/runpod/guard.ts';
import { HttpTransport } from '../../harness/providers/runpod/http.ts';
import { RunpodRest } from '../../harness/providers/runpod/rest.ts';
import type { Logger } from '../../harness/log.ts';
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
      // The fake answered something RunPod's OpenAPI document does not allow: every test on it is suspect.
      if (fake.contractViolations.length > 0) throw new Error(`fake RunPod broke the OpenAPI document:\n${fake.contractViolations.join('\n')}`);
      // A request that broke it was answered 422 (or 401 first): code that swallows the error must not hide it.
      const bad = fake.takeBadRequests();
      if (bad.length > 0) throw new Error(`requests to fake RunPod broke the OpenAPI document:\n${bad.map((r) => `${r.operation} → HTTP ${r.status}: ${r.problems.join('; ')}`).join('\n')}`);
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

/** A RunPod client pointed at the fake (REST, plus GraphQL for the create with terminateAfter). */
export function fakeClient(env: RunpodTestEnv, logger?: Logger): RunpodClient {
  const http = new HttpTransport({ apiKey: env.apiKey, logger });
  return new RunpodClient(new RunpodRest(http, env.fake.url), new GraphqlTransport(http, env.fake.graphqlUrl));
}

/** The environment a RunPod run needs to talk to the fake (REST base and GraphQL URL, as runpodctl names them). */
export function fakeRunpodEnv(env: RunpodTestEnv): Record<string, string> {
  return { RUNPOD_API_KEY: env.apiKey, RUNPOD_API_URL: env.fake.url, RUNPOD_GRAPHQL_URL: env.fake.graphqlUrl };
}

/** Fast settings for provisioning against the fake. */
export function testConfig(env: RunpodTestEnv, extra: Record<string, unknown> = {}) {
  return {
    apiKey: env.apiKey,
    apiUrl: env.fake.url,
    graphqlUrl: env.fake.graphqlUrl,
    runId: 'test-run',
    readyPollSeconds: 0.05,
    readyTimeoutSeconds: 20,
    ...extra,
  };
}
