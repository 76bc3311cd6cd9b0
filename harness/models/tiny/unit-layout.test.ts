import { describe, expect, it } from 'vitest';
import { arrangeUnits } from './unit-layout.ts';

describe('arrangeUnits', () => {
  const transitions = Array.from({ length: 200 }, (_, i) => ({ from: 1000 + i, to: 1001 + i }));
  const units = arrangeUnits(transitions, [7, 8]);

  it('keeps every transition, in order, and rounds the unit count up to a multiple of 256', () => {
    expect(units.length).toBe(256);
    expect(units.flatMap((u) => (u.from === null ? [] : [u]))).toEqual(transitions);
  });

  it('makes the first half of every group’s last lane, and the spare units, dead units pointing at the run symbols', () => {
    const dead = units.flatMap((u, k) => (u.from === null ? [k] : []));
    const halfLane = (start: number) => Array.from({ length: 16 }, (_, i) => start + i);
    // 200 live units fill 0-95, skip the dead 96-111, fill 112-215; 216-255 are spare.
    const spare = Array.from({ length: 256 - 216 }, (_, i) => 216 + i);
    expect(dead).toEqual([...halfLane(96), ...spare]);
    for (const k of dead) expect([7, 8]).toContain(units[k]!.to);
    expect(() => arrangeUnits(transitions, [])).toThrow(/run symbol/);
  });
});
