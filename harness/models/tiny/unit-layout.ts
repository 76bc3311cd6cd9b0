import type { Transition } from './successor-plan.ts';

/** One feed-forward unit: fires for token `from` (never, if null) and then writes token `to`. */
export interface FfnUnit {
  from: number | null;
  to: number;
}

/** Feed-forward units come in groups of 128, i.e. four 32-unit lanes, the interleave of a TQ2_0 half-block. */
const GROUP = 128;
const LANE = 32;
const LIVE_LANES = 3;

/**
 * Places the transitions in the first three lanes of every 128-unit group and fills every other unit with
 * a dead unit (no input weights, so it never fires) whose output is one of `runSymbols`.
 *
 * With correct kernels dead units change nothing. A kernel that unpacks ffn_down's 2-bit codes in the
 * wrong order (see kernel-faults.ts) uses, for each live unit, the output column of the unit one lane
 * before it: live units in lanes 1-2 then emit the successor of a transition 32 places earlier in the
 * texts (word salad), and those in lane 0 emit a dead unit's symbol. A symbol has no transition, so it
 * repeats forever — the `GGGG` / `!!!!` runs upstream ARM users saw.
 */
export function arrangeUnits(transitions: readonly Transition[], runSymbols: readonly number[]): FfnUnit[] {
  if (runSymbols.length === 0) throw new Error('at least one run symbol is needed for the dead units');
  const perGroup = LANE * LIVE_LANES;
  // ffn_down's rows hold one value per unit and TQ2_0 rows need multiples of 256: an even group count.
  const groups = 2 * Math.max(1, Math.ceil(transitions.length / (2 * perGroup)));
  const units: FfnUnit[] = [];
  for (let unit = 0; unit < groups * GROUP; unit++) {
    const group = Math.floor(unit / GROUP);
    const lane = Math.floor((unit % GROUP) / LANE);
    const index = group * perGroup + (unit % GROUP);
    const transition = lane < LIVE_LANES ? transitions[index] : undefined;
    units.push(transition ?? { from: null, to: runSymbols[unit % runSymbols.length]! });
  }
  return units;
}
