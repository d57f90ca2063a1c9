import { describe, expect, it } from 'vitest';
import { gammaVector, testModel } from './testModels';
import { anyPair, candidatePairs, choosePair, parseSubset, sameWidth, toggleSubset } from './pairChoice';

const m = (name: string, d: number) => testModel(name, [{ input: gammaVector(d, 1, 0.1, d) }]);
// query positions 0..3, position 2 failed to load
const loaded = [
  { index: 0, model: m('a', 64) },
  { index: 1, model: m('b', 64) },
  { index: 3, model: m('c', 32) },
];

describe('choosePair', () => {
  it('keeps a valid request in the order asked, else the first candidate', () => {
    expect(candidatePairs(loaded, sameWidth)).toEqual([[0, 1]]);
    expect(candidatePairs(loaded, anyPair)).toEqual([
      [0, 1],
      [0, 3],
      [1, 3],
    ]);
    expect(choosePair(loaded, [1, 0], sameWidth)).toEqual([1, 0]);
    expect(choosePair(loaded, [0, 3], sameWidth)).toEqual([0, 1]); // widths differ
    expect(choosePair(loaded, [0, 3], anyPair)).toEqual([0, 3]);
    expect(choosePair(loaded, [0, 2], anyPair)).toEqual([0, 1]); // not loaded
    expect(choosePair(loaded, [1, 1], anyPair)).toEqual([0, 1]);
    expect(choosePair(loaded.slice(2), null, anyPair)).toBeNull();
  });
});

describe('subsets', () => {
  const all = [0, 1, 3];
  it('parses the loaded models out of subset=, all when empty or useless', () => {
    expect(parseSubset('', all)).toEqual(all);
    expect(parseSubset('3,0,9', all)).toEqual([0, 3]);
    expect(parseSubset('x,9', all)).toEqual(all);
  });
  it('toggles one model, never to an empty set, and clears the parameter when all are shown', () => {
    expect(toggleSubset(all, all, 1)).toBe('0,3');
    expect(toggleSubset([0, 3], all, 1)).toBe('');
    expect(toggleSubset([3], all, 3)).toBe('3');
  });
});
