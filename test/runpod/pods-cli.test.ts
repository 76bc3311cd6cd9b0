import { describe, expect, it } from 'vitest';
import { podName } from '../../harness/providers/runpod/naming.ts';
import { runPodsCli } from '../../harness/providers/runpod/pods-cli.ts';
import { type RunpodTestEnv, useRunpodTestEnv } from '../support/runpod-test-env.ts';
import { captureLogger, observe } from '../support/secret-scan.ts';

const logger = captureLogger();
const startEnv = useRunpodTestEnv();

async function run(argv: string[], e: RunpodTestEnv) {
  const lines: string[] = [];
  const code = await runPodsCli(argv, { RUNPOD_API_KEY: e.apiKey, RUNPOD_API_URL: e.fake.url, BENCH_CACHE_DIR: e.cacheDir }, (l) => lines.push(l), logger);
  lines.forEach(observe);
  return { code, text: lines.join('\n') };
}

describe('npm run runpod:pods', () => {
  it('lists harness pods, exits 3 while one runs, reaps expired ones, and terminates by id', async () => {
    const env = await startEnv({ startSshd: false });
    const expired = env.fake.addPod(podName('old', Date.now() - 10 * 3600_000, 3600));
    const live = env.fake.addPod(podName('live', Date.now(), 3600));
    const other = env.fake.addPod('someone-elses-pod');

    const listed = await run([], env);
    expect(listed.code).toBe(3);
    expect(listed.text).toContain(expired.id);
    expect(listed.text).toContain(live.id);
    expect(listed.text).not.toContain(other.id);
    expect(listed.text).toContain('$0.69/hr');

    const reaped = await run(['--reap'], env);
    expect(reaped.text).toContain('reaper: terminated 1, failed 0, kept 1 live');
    expect(env.fake.pods.get(expired.id)!.status).toBe('TERMINATED');

    const terminated = await run(['--terminate', live.id, '--json'], env);
    expect(terminated.code).toBe(0);
    expect(JSON.parse(terminated.text.split('\n').slice(1).join('\n')).pods).toEqual([]);
    expect(env.fake.pods.get(other.id)!.status).toBe('RUNNING');

    const all = await run(['--all'], env);
    expect(all.text).toContain(other.id);
  });

  it('explains a missing key or a rejected key', async () => {
    const env = await startEnv({ startSshd: false });
    const lines: string[] = [];
    expect(await runPodsCli([], {}, (l) => lines.push(l), logger)).toBe(2);
    expect(lines.join('\n')).toContain('RUNPOD_API_KEY is not set');
    const rejected: string[] = [];
    const code = await runPodsCli([], { RUNPOD_API_KEY: 'rpa_WRONG0000000000', RUNPOD_API_URL: env.fake.url, BENCH_CACHE_DIR: env.cacheDir }, (l) => rejected.push(l), logger);
    rejected.forEach(observe);
    expect(code).toBe(1);
    expect(rejected.join('\n')).toContain('RUNPOD_API_KEY rejected (HTTP 401)');
    // Only GET /v2/pods was asked: the first contact changes nothing.
    expect(env.fake.requests.map((r) => `${r.operation} ${r.status}`)).toEqual(['listPods 401']);
  });

  it('refuses runpodctl\'s old REST v1 URL or a GraphQL URL in RUNPOD_API_URL, saying what to set', async () => {
    for (const [url, message] of [
      ['https://rest.runpod.io/v1', 'REST v1, retired on 2026-11-15: set it to https://api.runpod.io'],
      ['https://api.runpod.io/graphql', 'put a GraphQL URL in RUNPOD_GRAPHQL_URL'],
    ]) {
      const lines: string[] = [];
      expect(await runPodsCli([], { RUNPOD_API_KEY: 'rpa_0123456789abcdef', RUNPOD_API_URL: url }, (l) => lines.push(l), logger)).toBe(2);
      expect(lines.join('\n')).toContain(message);
    }
  });
});
