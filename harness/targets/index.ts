import { join } from 'node:path';
import { cacheDir } from '../cache.ts';
import type { TargetConfig } from '../config/schema.ts';
import type { Logger } from '../log.ts';
import type { PhaseRecorder } from '../run/phases.ts';
import { provisionRunpodPod, runpodConfigFromEnv, type CostSummary } from '../providers/runpod/index.ts';
import { LocalTarget } from './local.ts';
import { relabel } from './relabel.ts';
import { connectSshTarget } from './ssh.ts';
import type { Target } from './target.ts';

/** A provisioned target and how to give it back (close a connection, terminate a pod). */
export interface Lease {
  target: Target;
  release(): Promise<void>;
  /** Marks the start of a billed phase (setup, generate, teardown) on paid targets. */
  phase?(name: 'setup' | 'generate' | 'teardown'): void;
  /** Seconds and dollars per phase for paid targets; absent for free ones. */
  cost?(): CostSummary;
}

export async function provisionTarget(cfg: TargetConfig, ctx: { log: Logger; phases: PhaseRecorder; runId: string }): Promise<Lease> {
  switch (cfg.kind) {
    case 'local': {
      const target = new LocalTarget(cfg.workDir ?? join(cacheDir(), 'work'));
      return { target, release: () => target.close() };
    }
    case 'ssh': {
      const target = await connectSshTarget(
        {
          host: cfg.host,
          port: cfg.port,
          username: cfg.username,
          privateKeyPath: cfg.privateKeyPath,
          agent: cfg.privateKeyPath ? undefined : process.env.SSH_AUTH_SOCK,
          hostKey: { fingerprint: cfg.hostKeyFingerprint, knownHostsFile: cfg.knownHostsFile },
          readyTimeoutMs: cfg.readyTimeoutMs,
          workDir: cfg.workDir,
        },
        ctx.log,
      );
      return { target, release: () => target.close() };
    }
    case 'runpod': {
      const { kind: _, workDir, ...settings } = cfg;
      const pod = await provisionRunpodPod(runpodConfigFromEnv(ctx.runId, process.env, settings), {
        // Readiness polls and retries by itself; each attempt is one quick handshake. A pod's host key cannot be
        // known in advance, so it is trusted on first use in a file of this run only (RunPod reuses addresses).
        connect: (o) =>
          connectSshTarget(
            { ...o, workDir, readyTimeoutMs: 10_000, connectRetry: { attempts: 1, initialDelayMs: 0, maxDelayMs: 0 }, hostKey: { knownHostsFile: join(cacheDir(), 'runpod', `known_hosts-${ctx.runId}`) } },
            ctx.log,
          ),
        logger: ctx.log,
      });
      const what = pod.choice.kind === 'gpu' ? pod.choice.gpuTypeId : pod.choice.instanceId;
      return {
        target: relabel(pod.target, 'runpod', `runpod ${pod.pod.id} (${what}, ${pod.choice.cloudType})`),
        release: () => pod.release(),
        phase: (name) => pod.phase(name),
        cost: () => pod.costSoFar(),
      };
    }
  }
}
