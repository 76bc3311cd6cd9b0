import type { LeakGuard } from './types.ts';

/** Phases a pod's time is split into for the cost report. */
export type CostPhaseName = 'provision' | 'setup' | 'generate' | 'teardown' | (string & {});

export interface CostPhase {
  name: string;
  seconds: number;
  dollars: number;
}

export interface CostSummary {
  phases: CostPhase[];
  totalSeconds: number;
  totalDollars: number;
  costPerHr: number;
  /** Which leak guards were armed for the pod, e.g. `server terminateAfter armed (…)`; set by provisioning. */
  leakGuards?: LeakGuard[];
}

/**
 * RunPod bills pods by the second at `costPerHr`. The meter runs from pod creation to terminate, and
 * `phase(name)` closes the current phase and opens the next, so the report can say e.g. that the
 * image pull cost more than the generation.
 */
export class CostMeter {
  private readonly closed: { name: string; ms: number }[] = [];
  private current: { name: string; startedAt: number } | null;
  private stoppedAt: number | null = null;

  constructor(
    private costPerHr: number,
    firstPhase: CostPhaseName = 'provision',
    private readonly now: () => number = Date.now,
  ) {
    this.current = { name: firstPhase, startedAt: now() };
  }

  /** RunPod states the price only once the pod exists; set it then. */
  setCostPerHr(costPerHr: number): void {
    this.costPerHr = costPerHr;
  }

  phase(name: CostPhaseName): void {
    if (this.stoppedAt !== null) return;
    const at = this.now();
    if (this.current) this.closed.push({ name: this.current.name, ms: at - this.current.startedAt });
    this.current = { name, startedAt: at };
  }

  /** The pod is gone; no more time accrues. Idempotent. */
  stop(): void {
    if (this.stoppedAt !== null) return;
    this.stoppedAt = this.now();
    if (this.current) this.closed.push({ name: this.current.name, ms: this.stoppedAt - this.current.startedAt });
    this.current = null;
  }

  summary(): CostSummary {
    const spans = [...this.closed];
    if (this.current) spans.push({ name: this.current.name, ms: this.now() - this.current.startedAt });
    // Merge repeated phases (e.g. a reconnect goes back to "setup") into one line each.
    const byName = new Map<string, number>();
    for (const s of spans) byName.set(s.name, (byName.get(s.name) ?? 0) + s.ms);
    const phases = [...byName].map(([name, ms]) => ({ name, seconds: ms / 1000, dollars: this.dollars(ms) }));
    const totalMs = spans.reduce((sum, s) => sum + s.ms, 0);
    return {
      phases,
      totalSeconds: totalMs / 1000,
      totalDollars: this.dollars(totalMs),
      costPerHr: this.costPerHr,
    };
  }

  private dollars(ms: number): number {
    return (this.costPerHr * ms) / 3_600_000;
  }
}

export function formatCost(summary: CostSummary): string {
  const parts = summary.phases.map((p) => `${p.name} ${p.seconds.toFixed(0)} s $${p.dollars.toFixed(4)}`);
  return `RunPod cost: $${summary.totalDollars.toFixed(4)} for ${summary.totalSeconds.toFixed(0)} s at $${summary.costPerHr.toFixed(3)}/hr (${parts.join(', ')})`;
}
