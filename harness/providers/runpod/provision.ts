import type { Logger } from '../../log.ts';
import { silentLogger } from '../../log.ts';
import type { Target } from '../../targets/target.ts';
import { RunpodClient } from './client.ts';
import { computeChoices, parseRunpodConfig, type RunpodConfigInput } from './config.ts';
import { CostMeter, type CostPhaseName, type CostSummary } from './cost.ts';
import { RunpodAuthError } from './errors.ts';
import { createWithFallback } from './fallback.ts';
import { GraphqlTransport } from './graphql.ts';
import { HttpTransport } from './http.ts';
import { RunpodRest } from './rest.ts';
import { PodGuard } from './guard.ts';
import { generateSshKeyPair } from './keys.ts';
import { podName } from './naming.ts';
import { waitForSsh, type SshConnect } from './readiness.ts';
import { reapOrphans } from './reaper.ts';
import { makeRelease } from './release.ts';
import { describeError, redactingLogger, registerSecret } from './redact.ts';
import { installSignalStop } from './signal-stop.ts';
import { type ComputeChoice, type LeakGuard, leakGuardsText, type RunpodPod } from './types.ts';
import { watchdogArmed, watchdogDockerArgs } from './watchdog.ts';

export interface ProvisionDeps {
  /** Opens the SSH target once the pod maps port 22; the SSH helper's connectSshTarget in production. */
  connect: SshConnect;
  logger?: Logger;
  guard?: PodGuard;
  now?: () => number;
  /** Off only in tests that run several provisions in one process. */
  installSignalHandlers?: boolean;
}

export interface ProvisionedPod {
  pod: RunpodPod;
  choice: ComputeChoice;
  target: Target;
  host: string;
  port: number;
  /** Mark the start of a cost phase (setup, generate …). */
  phase(name: CostPhaseName): void;
  costSoFar(): CostSummary;
  /** Which of the leak guards are armed for this pod (also in costSoFar().leakGuards, and so in the reports). */
  leakGuards: LeakGuard[];
  /** Closes SSH and terminates (or stops) the pod. Idempotent; throws if RunPod refused, after logging. */
  release(): Promise<void>;
}

/** RunPod's terminateAfter takes an ISO date-time (runpodctl: `--terminate-after 2026-04-15T00:00:00Z`). */
export function terminateAfterTime(nowMs: number, budgetSeconds: number): string {
  return new Date(nowMs + budgetSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * Rents a pod, waits until SSH works, and hands back a Target plus the one way to give the pod back.
 * Leak protection, in the order it takes effect:
 *  1. the reaper clears pods earlier runs left behind;
 *  2. signal handlers terminate the pod synchronously on Ctrl-C / SIGTERM;
 *  3. the pod id is written to the state file the moment create returns;
 *  4. any failure before this function returns releases the pod before rethrowing;
 *  5. RunPod itself terminates it at create + budget (terminateAfter, where the create API offers it);
 *  6. the pod's own start command removes it when the time budget is spent (if the image has runpodctl).
 */
export async function provisionRunpodPod(input: RunpodConfigInput, deps: ProvisionDeps): Promise<ProvisionedPod> {
  const config = parseRunpodConfig(input);
  registerSecret(config.apiKey);
  const logger = redactingLogger(deps.logger ?? silentLogger);
  const now = deps.now ?? Date.now;
  const guard = deps.guard ?? new PodGuard();
  const http = new HttpTransport({ apiKey: config.apiKey, logger });
  const client = new RunpodClient(new RunpodRest(http, config.apiUrl), new GraphqlTransport(http, config.graphqlUrl));

  if (config.reapOnStart) {
    try {
      await reapOrphans({ client, guard, logger, now });
    } catch (error) {
      if (error instanceof RunpodAuthError) throw error;
      logger.warn(`RunPod reaper skipped: ${describeError(error)}`);
    }
  }

  const keys = generateSshKeyPair(`bitnet-bench-${config.runId}`);
  const name = podName(config.runId, now(), config.budgetSeconds);
  const uninstallSignals =
    deps.installSignalHandlers === false
      ? () => {}
      : installSignalStop(guard, { apiKey: config.apiKey, apiUrl: config.apiUrl, action: config.onRelease, logger });
  const terminateAfter = config.serverBackstop ? terminateAfterTime(now(), config.budgetSeconds) : null;

  let created: Awaited<ReturnType<typeof createWithFallback>>;
  try {
    created = await createWithFallback(
      client,
      {
        name,
        imageName: config.image,
        containerDiskInGb: config.containerDiskInGb,
        volumeInGb: config.volumeInGb,
        ports: ['22/tcp'],
        terminateAfter,
        env: { PUBLIC_KEY: keys.publicKey, BENCH_RUN_ID: config.runId, BENCH_BUDGET_S: String(config.budgetSeconds) },
        dockerArgs: config.watchdog ? watchdogDockerArgs({ budgetSeconds: config.budgetSeconds, imageStartCommand: config.imageStartCommand }) : '',
      },
      computeChoices(config),
      logger,
    );
  } catch (error) {
    uninstallSignals();
    throw error;
  }
  const { pod, choice } = created;
  // Everything from here to the return is synchronous up to the record, so no signal can slip between
  // RunPod creating the pod and the state file knowing it.
  const meter = new CostMeter(pod.costPerHr ?? 0, 'provision', now);
  let target: Target | null = null;

  const release = makeRelease({
    client,
    guard,
    podId: pod.id,
    action: config.onRelease,
    meter,
    logger,
    target: () => target,
    finally: uninstallSignals,
  });

  try {
    guard.record({ podId: pod.id, name, runId: config.runId, budgetSeconds: config.budgetSeconds, apiUrl: config.apiUrl });
    const ready = await waitForSsh({
      client,
      podId: pod.id,
      connect: deps.connect,
      privateKey: keys.privateKey,
      username: config.sshUsername,
      timeoutMs: config.readyTimeoutSeconds * 1000,
      pollMs: config.readyPollSeconds * 1000,
      logger,
      now,
    });
    target = ready.target;
    if (!pod.costPerHr) {
      const fresh = await client.getPod(pod.id);
      if (fresh?.costPerHr) meter.setCostPerHr(fresh.costPerHr);
    }
    const leakGuards = describeLeakGuards({
      terminateAfter: client.createRoute({ compute: choice, terminateAfter }) === 'graphql' ? terminateAfter : null,
      compute: choice.kind,
      serverBackstop: config.serverBackstop,
      watchdog: config.watchdog ? await watchdogArmed(ready.target).catch(() => false) : 'off',
      signalStop: deps.installSignalHandlers !== false,
      stateFile: guard.stateFile,
    });
    logger.info(`RunPod leak guards for pod ${pod.id}: ${leakGuardsText(leakGuards)}`);
    meter.phase('setup');
    return {
      pod,
      choice,
      target: ready.target,
      host: ready.host,
      port: ready.port,
      phase: (phaseName) => meter.phase(phaseName),
      costSoFar: () => ({ ...meter.summary(), leakGuards }),
      leakGuards,
      release,
    };
  } catch (error) {
    await release().catch((e) => logger.warn(describeError(e)));
    throw error;
  }
}

/** Runs `fn` with a pod and releases it on every path, including throws from `fn`. */
export async function withRunpodPod<T>(input: RunpodConfigInput, deps: ProvisionDeps, fn: (pod: ProvisionedPod) => Promise<T>): Promise<T> {
  const pod = await provisionRunpodPod(input, deps);
  try {
    return await fn(pod);
  } finally {
    await pod.release();
  }
}


function describeLeakGuards(o: {
  terminateAfter: string | null;
  compute: 'gpu' | 'cpu';
  serverBackstop: boolean;
  watchdog: boolean | 'off';
  signalStop: boolean;
  stateFile: string;
}): LeakGuard[] {
  const noServer = !o.serverBackstop
    ? 'off (RUNPOD_SERVER_BACKSTOP=0)'
    : o.compute === 'cpu'
      ? 'not offered for CPU pods: the REST v2 create has no terminate-after field, and GraphQL creates only GPU pods with it'
      : 'not offered';
  return [
    { layer: 'server terminateAfter', armed: o.terminateAfter !== null, detail: o.terminateAfter ? `RunPod terminates it at ${o.terminateAfter}` : noServer },
    {
      layer: 'in-pod watchdog',
      armed: o.watchdog === true,
      detail: o.watchdog === 'off' ? 'off (RUNPOD_WATCHDOG=0)' : o.watchdog ? 'runpodctl found in the pod' : 'no runpodctl in the image, so it cannot act',
    },
    { layer: 'signal/crash stop', armed: o.signalStop, detail: o.signalStop ? 'SIGINT/SIGTERM/SIGHUP and uncaught errors terminate it synchronously' : 'handlers off' },
    { layer: 'state file + reaper', armed: true, detail: o.stateFile },
  ];
}
