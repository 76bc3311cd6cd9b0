import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { PodGuard, isProcessAlive } from '../../harness/providers/runpod/guard.ts';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { computeChoices, parseRunpodConfig, runpodConfigFromEnv } from '../../harness/providers/runpod/config.ts';
import { CostMeter, formatCost } from '../../harness/providers/runpod/cost.ts';
import { ConfigError } from '../../harness/errors.ts';
import { GqlEnum, gqlLiteral } from '../../harness/providers/runpod/gql-literal.ts';
import { parsePodName, podName } from '../../harness/providers/runpod/naming.ts';
import { watchdogDockerArgs } from '../../harness/providers/runpod/watchdog.ts';
import { parse, valueFromASTUntyped, type OperationDefinitionNode, type FieldNode } from 'graphql';

describe('CostMeter', () => {
  it('splits held time into phases at costPerHr', () => {
    let t = 0;
    const meter = new CostMeter(0.36, 'provision', () => t);
    t = 120_000; // 2 min provisioning
    meter.phase('setup');
    t = 720_000; // 10 min build
    meter.phase('generate');
    t = 1_080_000; // 6 min generating
    meter.phase('teardown');
    t = 1_090_000;
    meter.stop();
    t = 9_999_999; // time after stop is not billed
    const s = meter.summary();
    expect(s.phases).toEqual([
      { name: 'provision', seconds: 120, dollars: 0.012 },
      { name: 'setup', seconds: 600, dollars: 0.06 },
      { name: 'generate', seconds: 360, dollars: expect.closeTo(0.036, 10) },
      { name: 'teardown', seconds: 10, dollars: expect.closeTo(0.001, 10) },
    ]);
    expect(s.totalSeconds).toBe(1090);
    expect(s.totalDollars).toBeCloseTo(0.109, 10);
    expect(formatCost(s)).toBe('RunPod cost: $0.1090 for 1090 s at $0.360/hr (provision 120 s $0.0120, setup 600 s $0.0600, generate 360 s $0.0360, teardown 10 s $0.0010)');
  });

  it('merges a phase entered twice and counts the open phase so far', () => {
    let t = 0;
    const meter = new CostMeter(3.6, 'setup', () => t);
    t = 1000;
    meter.phase('generate');
    t = 2000;
    meter.phase('setup');
    t = 5000;
    expect(meter.summary().phases).toEqual([
      { name: 'setup', seconds: 4, dollars: expect.closeTo(0.004, 10) },
      { name: 'generate', seconds: 1, dollars: expect.closeTo(0.001, 10) },
    ]);
  });
});

describe('gqlLiteral', () => {
  it('renders values graphql-js parses back to the same data', () => {
    const input = { name: 'a "quoted"\\ name\n', n: 3, ok: true, none: null, cloud: new GqlEnum('SECURE'), env: [{ key: 'K', value: 'v\u0001' }], skip: undefined };
    const doc = parse(`mutation { x(input: ${gqlLiteral(input)}) }`);
    const field = (doc.definitions[0] as OperationDefinitionNode).selectionSet.selections[0] as FieldNode;
    expect(valueFromASTUntyped(field.arguments![0]!.value)).toEqual({ name: input.name, n: 3, ok: true, none: null, cloud: 'SECURE', env: [{ key: 'K', value: 'v\u0001' }] });
  });

  it('refuses what is not GraphQL', () => {
    expect(() => gqlLiteral({ 'bad-key': 1 })).toThrow(/field name/);
    expect(() => new GqlEnum('A B')).toThrow(/enum/);
    expect(() => gqlLiteral(Number.NaN)).toThrow(/finite/);
  });
});

describe('pod names', () => {
  it('round-trip run id, creation time and budget', () => {
    const name = podName('Run 2026/11/27 #3', 1_764_000_000_500, 5400);
    expect(name).toBe('bitnet-bench-run-2026-11-27-3-c1764000000-b5400');
    expect(parsePodName(name)).toEqual({ runId: 'run-2026-11-27-3', createdAtMs: 1_764_000_000_000, budgetSeconds: 5400 });
    expect(parsePodName('bitnet-bench-nobudget')).toBeNull();
    expect(parsePodName('someone-else')).toBeNull();
  });
});

describe('in-pod watchdog', () => {
  it('checks for runpodctl, sleeps the budget, removes (else stops) the pod, and still runs the image start script', () => {
    const args = watchdogDockerArgs({ budgetSeconds: 3600, imageStartCommand: '/start.sh' });
    expect(args).toBe(
      `bash -c '(command -v runpodctl >/dev/null 2>&1 || { echo "bench-watchdog: runpodctl not found, not armed"; exit 0; }; echo "bench-watchdog: armed for 3600 s"; sleep 3600; runpodctl remove pod "$RUNPOD_POD_ID" || runpodctl stop pod "$RUNPOD_POD_ID") >/tmp/bench-watchdog.log 2>&1 & exec /start.sh'`,
    );
    expect(() => watchdogDockerArgs({ budgetSeconds: 0, imageStartCommand: '/start.sh' })).toThrow(/positive/);
    expect(() => watchdogDockerArgs({ budgetSeconds: 60, imageStartCommand: "x'; rm -rf /" })).toThrow(/quotes/);
  });

  it('is a command bash runs: the watchdog fires after the budget with the pod id', () => {
    // Run the same command locally with stand-ins for runpodctl and the image's start script on PATH.
    const bin = mkdtempSync(join(tmpdir(), 'bench-watchdog-'));
    writeFileSync(join(bin, 'runpodctl'), '#!/bin/sh\necho "runpodctl $*"\nexit 1\n', { mode: 0o755 });
    writeFileSync(join(bin, 'fake-start'), '#!/bin/sh\necho started\nsleep 3\n', { mode: 0o755 });
    const args = watchdogDockerArgs({ budgetSeconds: 1, imageStartCommand: 'fake-start' });
    const script = args.replace(/^bash -c '/, '').replace(/'$/, '').replace('>/tmp/bench-watchdog.log 2>&1 &', '&');
    const result = spawnSync('bash', ['-c', script], {
      env: { PATH: `${bin}:${process.env.PATH}`, RUNPOD_POD_ID: 'pod123' },
      encoding: 'utf8',
      timeout: 10_000,
    });
    rmSync(bin, { recursive: true, force: true });
    expect(result.stdout.split('\n').filter(Boolean).sort()).toEqual(['bench-watchdog: armed for 1 s', 'runpodctl remove pod pod123', 'runpodctl stop pod pod123', 'started'].sort());
  });

  it('without runpodctl in the image, says it is not armed, sleeps nothing, and the image still starts', () => {
    const bin = mkdtempSync(join(tmpdir(), 'bench-watchdog-'));
    writeFileSync(join(bin, 'fake-start'), '#!/bin/sh\necho started\n', { mode: 0o755 });
    const script = watchdogDockerArgs({ budgetSeconds: 3600, imageStartCommand: 'fake-start' }).replace(/^bash -c '/, '').replace(/'$/, '').replace('>/tmp/bench-watchdog.log 2>&1 &', '&');
    // PATH without runpodctl: only the stand-in start script, plus the shell's own tools.
    const result = spawnSync('bash', ['-c', `${script}; wait`], { env: { PATH: `${bin}:/usr/bin:/bin`, RUNPOD_POD_ID: 'pod123' }, encoding: 'utf8', timeout: 10_000 });
    rmSync(bin, { recursive: true, force: true });
    expect(result.stdout.split('\n').filter(Boolean).sort()).toEqual(['bench-watchdog: runpodctl not found, not armed', 'started']);
  });
});

describe('RunPod configuration', () => {
  it('reads RUNPOD_* variables and orders compute choices type by type, cloud by cloud', () => {
    const config = runpodConfigFromEnv('r1', {
      RUNPOD_API_KEY: 'rpa_0123456789abcdef',
      RUNPOD_COMPUTE: 'cpu',
      RUNPOD_CPU_INSTANCES: 'cpu5c-8-16, cpu3c-8-16',
      RUNPOD_BUDGET_S: '1800',
      RUNPOD_ON_RELEASE: 'stop',
    });
    expect(config).toMatchObject({ compute: 'cpu', budgetSeconds: 1800, onRelease: 'stop', containerDiskInGb: 20, watchdog: true, serverBackstop: true });
    // CPU pods: Secure Cloud only by default (REST cannot ask for a public IP on Community Cloud).
    expect(computeChoices(config)).toEqual([
      { kind: 'cpu', instanceId: 'cpu5c-8-16', cloudType: 'SECURE' },
      { kind: 'cpu', instanceId: 'cpu3c-8-16', cloudType: 'SECURE' },
    ]);
    const gpu = parseRunpodConfig({ apiKey: 'rpa_0123456789abcdef', runId: 'r' });
    expect(computeChoices(gpu)).toEqual([
      { kind: 'gpu', gpuTypeId: 'NVIDIA GeForce RTX 4090', cloudType: 'COMMUNITY' },
      { kind: 'gpu', gpuTypeId: 'NVIDIA GeForce RTX 4090', cloudType: 'SECURE' },
    ]);
  });

  it('keeps CPU pods within the CPU flavours\' disk limit and on Secure Cloud, naming the limit', () => {
    const env = { RUNPOD_API_KEY: 'rpa_0123456789abcdef', RUNPOD_COMPUTE: 'cpu' };
    expect(() => runpodConfigFromEnv('r', { ...env, RUNPOD_CONTAINER_DISK_GB: '40' })).toThrow(
      'containerDiskInGb: CPU pods accept at most 20 GB of container disk, got 40: set RUNPOD_CONTAINER_DISK_GB to 20 or less',
    );
    expect(runpodConfigFromEnv('r', { ...env, RUNPOD_CONTAINER_DISK_GB: '20' }).containerDiskInGb).toBe(20);
    expect(() => runpodConfigFromEnv('r', { ...env, RUNPOD_CLOUD_TYPES: 'COMMUNITY' })).toThrow(/cannot request a public IP on Community Cloud: set RUNPOD_CLOUD_TYPES=SECURE/);
    expect(() => runpodConfigFromEnv('r', { ...env, RUNPOD_CPU_INSTANCES: 'cpu3c-6-12' })).toThrow(/power of two/);
    // A GPU pod may have more disk.
    expect(runpodConfigFromEnv('r', { RUNPOD_API_KEY: env.RUNPOD_API_KEY, RUNPOD_CONTAINER_DISK_GB: '40' }).containerDiskInGb).toBe(40);
  });

  it('takes RUNPOD_API_URL as the REST base and RUNPOD_GRAPHQL_URL for GraphQL, as runpodctl v2 does', () => {
    const key = { RUNPOD_API_KEY: 'rpa_0123456789abcdef' };
    expect(runpodConfigFromEnv('r', key)).toMatchObject({ apiUrl: 'https://api.runpod.io', graphqlUrl: 'https://api.runpod.io/graphql' });
    expect(runpodConfigFromEnv('r', { ...key, RUNPOD_API_URL: 'http://127.0.0.1:9', RUNPOD_GRAPHQL_URL: 'http://127.0.0.1:9/graphql' })).toMatchObject({
      apiUrl: 'http://127.0.0.1:9',
      graphqlUrl: 'http://127.0.0.1:9/graphql',
    });
    // The old meaning of RUNPOD_API_URL here, and runpodctl's v1 default, are refused with what to set instead.
    expect(() => runpodConfigFromEnv('r', { ...key, RUNPOD_API_URL: 'https://api.runpod.io/graphql' })).toThrow(/put a GraphQL URL in RUNPOD_GRAPHQL_URL/);
    expect(() => runpodConfigFromEnv('r', { ...key, RUNPOD_API_URL: 'https://rest.runpod.io/v1' })).toThrow(/REST v1, retired on 2026-11-15/);
  });

  it('says what to fix, without echoing the key', () => {
    expect(() => runpodConfigFromEnv('r', {})).toThrow(ConfigError);
    const key = 'rpa_SECRETSECRETSECRET';
    try {
      runpodConfigFromEnv('r', { RUNPOD_API_KEY: key, RUNPOD_CLOUD_TYPES: 'CHEAP', RUNPOD_BUDGET_S: 'soon' });
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message).toContain('RUNPOD_BUDGET_S must be a number');
    }
    try {
      runpodConfigFromEnv('r', { RUNPOD_API_KEY: key, RUNPOD_CLOUD_TYPES: 'CHEAP' });
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message).toMatch(/cloudTypes\.0/);
      expect((error as Error).message).not.toContain(key);
    }
  });
});

describe('PodGuard state file', () => {
  it('records, replaces, filters to this process, forgets, and survives a torn file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-guard-'));
    try {
      const guard = new PodGuard(join(dir, 'runpod', 'live-pods.json'));
      expect(guard.list()).toEqual([]);
      guard.record({ podId: 'a', name: 'n1', runId: 'r', budgetSeconds: 60, apiUrl: 'u' });
      guard.record({ podId: 'a', name: 'n2', runId: 'r', budgetSeconds: 60, apiUrl: 'u' });
      guard.record({ podId: 'b', name: 'n3', runId: 'r', budgetSeconds: 60, apiUrl: 'u', pid: 999_999_999 });
      expect(guard.list().map((p) => `${p.podId}:${p.name}`)).toEqual(['a:n2', 'b:n3']);
      expect(guard.mine().map((p) => p.podId)).toEqual(['a']);
      expect(statSync(guard.stateFile).mode & 0o777).toBe(0o600);
      guard.forget('a');
      expect(guard.list().map((p) => p.podId)).toEqual(['b']);
      writeFileSync(guard.stateFile, '{"pods": [');
      expect(guard.list()).toEqual([]);
      expect(isProcessAlive(process.pid)).toBe(true);
      expect(isProcessAlive(999_999_999)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
