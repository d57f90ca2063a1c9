// Which ranged answers the stand-in drops halfway (faults.dropEvery / faults.dropRandom).
//
// dropEvery N: every Nth ranged answer, but never the same range three times in a row (a client
// that tries three times gets through). dropRandom p: each ranged answer independently with
// probability p, from a seeded generator, with no such mercy: the same range can fail any
// number of times in a row, as on a really bad network.

export interface DropFaults {
  dropEvery: number;
  /** probability in [0, 1) of dropping each ranged answer; 0 = off */
  dropRandom: number;
  /** seed of dropRandom's generator (a run is repeatable) */
  dropSeed: number;
}

/** mulberry32: a small seeded generator, good enough to decide drops. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface DropDecider {
  /** drop this ranged answer? (`rangeKey` names the file and range) */
  shouldDrop(rangeKey: string, faults: DropFaults): boolean;
  /** forget the state (new fault settings) */
  reset(seed: number): void;
}

export function createDropDecider(seed = 1): DropDecider {
  let rangedAnswers = 0;
  const droppedRanges = new Map<string, number>();
  let random = mulberry32(seed);
  return {
    shouldDrop(rangeKey, faults) {
      rangedAnswers++;
      if (faults.dropRandom > 0) return random() < faults.dropRandom;
      const before = droppedRanges.get(rangeKey) ?? 0;
      if (faults.dropEvery > 0 && rangedAnswers % faults.dropEvery === 0 && before < 2) {
        droppedRanges.set(rangeKey, before + 1);
        return true;
      }
      droppedRanges.delete(rangeKey);
      return false;
    },
    reset(s) {
      rangedAnswers = 0;
      droppedRanges.clear();
      random = mulberry32(s);
    },
  };
}
