import { describe, expect, it } from 'vitest';
import { indexProfiles, nearestProfiles } from './channelNeighbours';
import { seededRandom } from './random';

const RATIO = 0.36;

/** Brute force over all pairs: the reference the pruned search must agree with. */
function bruteForce(A: Float64Array, B: Float64Array, d: number, P: number, kb: number) {
  let first = Infinity,
    second = Infinity,
    best = -1;
  for (let ka = 0; ka < d; ka++) {
    let distance = 0;
    for (let p = 0; p < P; p++) distance += (A[ka * P + p]! - B[kb * P + p]!) ** 2;
    if (distance < first) {
      second = first;
      first = distance;
      best = ka;
    } else if (distance < second) second = distance;
  }
  return { best, distinctive: first <= RATIO * second };
}

describe('nearestProfiles', () => {
  it('agrees with brute force on the ratio test and, when it passes, on the best match', () => {
    const random = seededRandom(3);
    const d = 300,
      P = 12;
    // One dominant coordinate, as the persistent channel level is in real profiles: keys then prune hard.
    const A = Float64Array.from({ length: d * P }, (_, i) => (random() * 2 - 1) * (i % P === 0 ? 8 : 1));
    // B: a third near-copies of A's channels (shuffled), a third slightly noisier, a third unrelated.
    const B = new Float64Array(d * P);
    for (let kb = 0; kb < d; kb++) {
      const source = (kb * 7) % d,
        noise = [0.01, 0.3, NaN][kb % 3]!;
      for (let p = 0; p < P; p++) {
        B[kb * P + p] = Number.isNaN(noise)
          ? (random() * 2 - 1) * (p === 0 ? 8 : 1)
          : A[source * P + p]! + noise * (random() - 0.5);
      }
    }
    const nearest = nearestProfiles(indexProfiles(A, B, d, P), new Int32Array(d).keys(), RATIO);
    let distinctiveCount = 0;
    for (let kb = 0; kb < d; kb++) {
      const reference = bruteForce(A, B, d, P, kb);
      const distinctive = nearest.bestDistance[kb]! <= RATIO * nearest.secondDistance[kb]!;
      expect(distinctive).toBe(reference.distinctive);
      if (reference.distinctive) {
        distinctiveCount++;
        expect(nearest.best[kb]).toBe(reference.best);
      }
    }
    expect(distinctiveCount).toBeGreaterThan(d / 3); // the near-copies at least
  });

  // Two dimensions; far-off fillers along x make x the principal axis. b sits at the origin.
  function decide(c1: [number, number], c2: [number, number]) {
    const fillers = Array.from({ length: 20 }, (_, i) => [(i % 2 ? 1 : -1) * (20 + 2 * i), 0]);
    const A = Float64Array.from([c1, c2, ...fillers.slice(0, 18)].flat());
    const B = Float64Array.from([[0, 0], ...fillers.slice(0, 19)].flat());
    const nearest = nearestProfiles(indexProfiles(A, B, 20, 2), [0], RATIO);
    return { best: nearest.best[0], distinctive: nearest.bestDistance[0]! <= RATIO * nearest.secondDistance[0]! };
  }

  it('keeps scanning past the first candidate while a closer one could still exist', () => {
    // c1 is scanned first (same key) at distance² 1; c2 lies further along x but closer (0.49).
    expect(decide([0, 1], [0.7, 0])).toEqual({ best: 1, distinctive: false });
    // c1 at 0.1, c2 at 0.16: too close a runner-up, so not distinctive.
    expect(decide([0, Math.sqrt(0.1)], [0.4, 0])).toEqual({ best: 0, distinctive: false });
    // c1 at 0.01, c2 at 0.49: distinctive.
    expect(decide([0, 0.1], [0.7, 0])).toEqual({ best: 0, distinctive: true });
  });

  it('leaves channels it was not asked about unmatched', () => {
    const A = Float64Array.from({ length: 40 }, (_, i) => i),
      B = A.slice();
    const nearest = nearestProfiles(indexProfiles(A, B, 10, 4), [2, 5], RATIO);
    expect(Array.from(nearest.best)).toEqual([-1, -1, 2, -1, -1, 5, -1, -1, -1, -1]);
  });
});
