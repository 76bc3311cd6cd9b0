import type { Transition } from './successor-plan.ts';

/** One feed-forward unit: fires for token `from` (never, if null) and then writes token `to`. */
export interface FfnUnit {
  from: number | null;
  to: number;
}

/** Units come in groups of 128: four 32-unit lanes, the interleave of one TQ2_0 half-block. */
const GROUP = 128;
const LANE = 32;
/** Dead units per group: the first half of the last lane. */
const DEAD_LANE = 3;
const DEAD_PER_GROUP = 16;

const isDead = (unit: number): boolean => Math.floor((unit % GROUP) / LANE) === DEAD_LANE && unit % LANE < DEAD_PER_GROUP;

/**
 * Places the transitions, in order, on the live units and makes the rest dead units: no input weights
 * (they never fire) and an output that is one of `runSymbols`. Dead units are the first 16 units of the
 * last lane of every 128-unit group, plus any spare units at the end (the count is a multiple of 256,
 * because ffn_down's TQ2_0 rows hold one value per unit).
 *
 * With correct kernels dead units change nothing. A kernel that unpacks ffn_down's 2-bit codes in the
 * wrong order (kernel-faults.ts) uses, for each unit, the output column of the unit one lane before it in
 * the same group: the successor of a transition about 32 places away in the texts, i.e. word salad, until
 * the walk reads a dead unit's column and emits a symbol. A symbol has no transition, so it then repeats
 * forever — the `GGGG` / `!!!!` runs users of bitnet.cpp's broken ARM kernels saw.
 */
export function arrangeUnits(transitions: readonly Transition[], runSymbols: readonly number[]): FfnUnit[] {
  if (runSymbols.length === 0) throw new Error('at least one run symbol is needed for the dead units');
  const units: FfnUnit[] = [];
  let next = 0;
  while (next < transitions.length || units.length % 256 !== 0) {
    const unit = units.length;
    const transition = isDead(unit) ? undefined : transitions[next++];
    units.push(transition ?? { from: null, to: runSymbols[unit % runSymbols.length]! });
  }
  return units;
}
