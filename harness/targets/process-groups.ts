/**
 * Process groups this process started (each local command runs detached, as the leader of its own group, so a
 * timeout can kill the program *and* whatever it started — an engine behind a wrapper script). Detached groups no
 * longer get the terminal's Ctrl-C, so the harness kills the ones still running when it exits or is signalled.
 */
const live = new Set<number>();
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** SIGKILL to every process of the group led by `pid`; false when the group is already gone. */
export function killGroup(pid: number): boolean {
  try {
    process.kill(-pid, 'SIGKILL');
    return true;
  } catch {
    return false;
  }
}

export function trackGroup(pid: number): void {
  if (live.size === 0) {
    process.on('exit', killLiveGroups);
    for (const signal of SIGNALS) process.on(signal, onSignal);
  }
  live.add(pid);
}

export function untrackGroup(pid: number): void {
  if (!live.delete(pid) || live.size > 0) return;
  process.off('exit', killLiveGroups);
  for (const signal of SIGNALS) process.off(signal, onSignal);
}

function killLiveGroups(): void {
  for (const pid of live) killGroup(pid);
  live.clear();
}

/**
 * Kills the groups, then lets the signal do what it would have done: when this is the only listener (listening
 * disables Node's default of dying), the listeners are removed and the signal raised again; otherwise the other
 * listeners (the bench's report-writing handler) decide.
 */
function onSignal(signal: NodeJS.Signals): void {
  const alone = process.listenerCount(signal) === 1;
  killLiveGroups();
  process.off('exit', killLiveGroups);
  for (const s of SIGNALS) process.off(s, onSignal);
  if (alone) process.kill(process.pid, signal);
}
