import { join } from 'node:path';
import { cacheDir } from '../cache.ts';
import type { TargetConfig } from '../config/schema.ts';
import { HarnessError } from '../errors.ts';
import type { Logger } from '../log.ts';
import type { PhaseRecorder } from '../run/phases.ts';
import { LocalTarget } from './local.ts';
import { connectSshTarget } from './ssh.ts';
import type { Target } from './target.ts';

/** A provisioned target and how to give it back (close a connection, terminate a pod). */
export interface Lease {
  target: Target;
  release(): Promise<void>;
  /** Dollars per phase for paid targets; absent for free ones. */
  cost?(): unknown;
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
    default:
      throw new HarnessError('infrastructure', 'provision target', `target kind "${cfg.kind}" is not available in this build`, 'use target.kind "local" or "ssh"');
  }
}
