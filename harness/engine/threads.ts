import type { MachineInfo } from '../targets/target.ts';

/** More threads than this rarely help a 2B model's token rate, and each one costs a spinning core. */
export const MAX_DEFAULT_THREADS = 4;

export interface ThreadChoice {
  threads: number;
  /** Set when the threads asked for exceed the target's physical cores: the console and every report carry it. */
  warning?: string;
}

/**
 * Threads for the engine: `generation.threads` when set, else min(4, physical cores). More threads than physical
 * cores is allowed (someone may want to measure exactly that) but never silent: the real fork ran 2.09 tok/s with
 * `-t 4` against 304 tok/s with `-t 2` on a 2-core machine, so such a run measures oversubscription, not the engine.
 */
export function chooseThreads(requested: number | undefined, machine: Pick<MachineInfo, 'cores' | 'physicalCores' | 'hostname'>): ThreadChoice {
  const physical = machine.physicalCores || machine.cores || 1;
  if (requested === undefined) return { threads: Math.min(MAX_DEFAULT_THREADS, physical) };
  if (requested <= physical) return { threads: requested };
  return {
    threads: requested,
    warning: `generation.threads = ${requested} exceeds the ${physical} physical core${physical === 1 ? '' : 's'} of ${machine.hostname}: the threads contend for cores and the token rate measures that, not the engine (leave generation.threads unset for min(${MAX_DEFAULT_THREADS}, physical cores))`,
  };
}
