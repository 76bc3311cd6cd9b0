import type { Logger } from '../log.ts';

/**
 * Wall time per step, grouped into phases (provision, engine setup, model download, build, model load, generate,
 * throughput repetitions, report, teardown), so every report
 * shows where the time — and on a pod, the money — went. A failed step is recorded with its message: the
 * reports folder of a run that died says which step it died in.
 */
export type PhaseName = 'provision' | 'engine-setup' | 'model-download' | 'build' | 'load' | 'generate' | 'throughput' | 'report' | 'teardown';

export interface StepRecord {
  phase: PhaseName;
  step: string;
  startedAt: string;
  ms: number;
  status: 'ok' | 'skipped' | 'failed';
  detail?: string;
}

export class PhaseRecorder {
  readonly steps: StepRecord[] = [];
  constructor(private readonly log: Logger) {}

  /** Runs one step, logging its start and duration. `fn` may return 'skipped' when the work was already done. */
  async step<T>(phase: PhaseName, step: string, fn: () => Promise<T>): Promise<T> {
    const startedAt = new Date().toISOString();
    const t0 = performance.now();
    this.log.info(`${phase}: ${step} …`);
    try {
      const result = await fn();
      const status = result === 'skipped' ? 'skipped' : 'ok';
      const ms = performance.now() - t0;
      this.steps.push({ phase, step, startedAt, ms, status });
      this.log.info(`${phase}: ${step} ${status === 'skipped' ? 'already done, skipped' : 'done'} (${formatMs(ms)})`);
      return result;
    } catch (error) {
      this.steps.push({ phase, step, startedAt, ms: performance.now() - t0, status: 'failed', detail: (error as Error).message });
      throw error;
    }
  }

  /** Seconds spent per phase, in first-seen order. */
  totals(): { phase: PhaseName; seconds: number }[] {
    const byPhase = new Map<PhaseName, number>();
    for (const s of this.steps) byPhase.set(s.phase, (byPhase.get(s.phase) ?? 0) + s.ms / 1000);
    return [...byPhase].map(([phase, seconds]) => ({ phase, seconds }));
  }

  failedStep(): StepRecord | undefined {
    return this.steps.find((s) => s.status === 'failed');
  }
}

export function formatMs(ms: number): string {
  return ms < 1000 ? `${ms.toFixed(0)} ms` : ms < 120_000 ? `${(ms / 1000).toFixed(1)} s` : `${(ms / 60_000).toFixed(1)} min`;
}
