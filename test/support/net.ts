import { spawnSync } from 'node:child_process';

/**
 * Whether this process may create an empty network namespace (`unshare -n`, root or user namespaces). A command
 * run inside one has no route anywhere — not even loopback is up — so "offline" tests send no traffic at all.
 */
export const canIsolateNetwork: boolean = spawnSync('unshare', ['-n', 'true']).status === 0;
