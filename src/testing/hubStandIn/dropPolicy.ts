// The stand-in's random drop mode (faults.dropRandom). dropEvery N drops every Nth ranged answer but
// never the same range three times in a row, so a client that tries three times always gets
// through; dropRandom p drops each ranged answer independently with probability p, from a seeded
// generator, with no such mercy: one range can fail any number of times in a row, as on a bad network.

import { seededRandom } from '../../core/random.ts';

/** One generator per stats period (a stats reset restarts the sequence) and seed. */
const generators = new WeakMap<object, { seed: number; next: () => number }>();

/** Drop this ranged answer? `period` is the stand-in's current stats object. */
export function dropAtRandom(period: object, faults: { dropRandom: number; dropSeed: number }): boolean {
  if (!(faults.dropRandom > 0)) return false;
  let g = generators.get(period);
  if (!g || g.seed !== faults.dropSeed) {
    g = { seed: faults.dropSeed, next: seededRandom(faults.dropSeed) };
    generators.set(period, g);
  }
  return g.next() < faults.dropRandom;
}
