import { describe, expect, it } from 'vitest';
import { makeCase } from './cases';
import { depthGrid, matchChannels, MIN_FRACTION_MATCHED, MIN_MATCH_GAIN, MIN_MATCHED_R } from './channelMatch';

const bothRoles = (m: { input: Float32Array[]; post: Float32Array[] }) => [m.input, m.post];

describe('depthGrid', () => {
  it('pairs equal depths index by index and spreads the shallower model over the deeper one', () => {
    expect(depthGrid(3, 3)).toEqual([
      [0, 0],
      [1, 1],
      [2, 2],
    ]);
    expect(depthGrid(5, 3)).toEqual([
      [0, 0],
      [2, 1],
      [4, 2],
    ]);
    expect(depthGrid(1, 4)).toEqual([[0, 0]]);
    expect(depthGrid(0, 4)).toEqual([]);
  });
});

describe('matchChannels', () => {
  it('finds a child whose hidden channels were reordered, and recovers the order', () => {
    const c = makeCase('permuted-channels', { hiddenSize: 1024, layers: 24, seed: 4 });
    const m = matchChannels(bothRoles(c.parent), bothRoles(c.child));
    expect(m.found).toBe(true);
    expect(m.identityPearson).toBeLessThan(0.1);
    expect(m.matchedPearson).toBeGreaterThan(0.99);
    expect(m.fractionMatched).toBeGreaterThan(0.95);
    expect(m.quantileSimilarity).toBeGreaterThan(0.99); // reordering keeps every layer's distribution
    let recovered = 0;
    m.matchOfB.forEach((ka, kb) => {
      if (ka === c.channelSource![kb]) recovered++;
    });
    expect(recovered / 1024).toBeGreaterThan(0.95);
  });

  it('works from one role alone and across depths that differ proportionally', () => {
    const c = makeCase('permuted-channels', { hiddenSize: 1024, layers: 25, seed: 5 });
    expect(matchChannels([c.parent.input], [c.child.input]).found).toBe(true);
    // A child keeping every other layer: the depth grid pairs child t with parent 2t.
    const everyOther = c.child.input.filter((_, l) => l % 2 === 0);
    expect(matchChannels([c.parent.input], [everyOther]).found).toBe(true);
  });

  it('reports no reordering for a plain copy: matched r equals identity r', () => {
    const c = makeCase('fine-tune', { hiddenSize: 1024, layers: 24, seed: 4 });
    const m = matchChannels(bothRoles(c.parent), bothRoles(c.child));
    expect(m.found).toBe(false);
    expect(m.identityPearson).toBeGreaterThan(0.99);
    expect(m.matchedPearson - m.identityPearson).toBeLessThan(MIN_MATCH_GAIN);
  });

  // Calibration of the thresholds: matching unrelated models must stay far below them.
  it.each([
    [1024, 24, 11],
    [1024, 24, 12],
    [2048, 32, 13],
  ])('finds nothing between unrelated models (d=%i, L=%i, seed %i)', (hiddenSize, layers, seed) => {
    const c = makeCase('unrelated', { hiddenSize, layers, seed });
    const m = matchChannels(bothRoles(c.parent), bothRoles(c.child));
    expect(m.found).toBe(false);
    expect(m.fractionMatched).toBeLessThan(MIN_FRACTION_MATCHED / 5);
    expect(Math.abs(m.identityPearson)).toBeLessThan(0.05);
    expect(m.quantileSimilarity).toBeLessThan(0.99);
  });

  it('does not call a continued-pretraining child (drifted, not reordered) permuted', () => {
    const c = makeCase('continued-pretraining', { hiddenSize: 1024, layers: 24, seed: 4 });
    const m = matchChannels(bothRoles(c.parent), bothRoles(c.child));
    expect(m.found).toBe(false);
    expect(m.identityPearson).toBeGreaterThan(0.8);
  });

  it('still finds a drifted child that was also reordered (the matching tolerates drift)', () => {
    const c = makeCase('continued-pretraining', { hiddenSize: 1024, layers: 24, seed: 4 });
    const order = Int32Array.from({ length: 1024 }, (_, k) => (k * 389) % 1024); // 389 is coprime to 1024
    const permute = (rows: Float32Array[]) => rows.map((row) => Float32Array.from(order, (k) => row[k] as number));
    const m = matchChannels(bothRoles(c.parent), [permute(c.child.input), permute(c.child.post)]);
    expect(m.found).toBe(true);
    expect(m.matchedPearson).toBeGreaterThan(MIN_MATCHED_R);
  });

  it('rejects models of different hidden size', () => {
    const a = makeCase('copy', { hiddenSize: 256, layers: 4 }),
      b = makeCase('copy', { hiddenSize: 512, layers: 4 });
    expect(() => matchChannels([a.parent.input], [b.parent.input])).toThrow(/hidden sizes/);
  });
});
