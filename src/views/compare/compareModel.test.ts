import { describe, expect, it } from 'vitest';
import { diagonalSeries, selectedPair, statisticText } from './compareModel';
import { formatBytes } from '../../core/format';
import type { PairMatrices } from '../../core/types';

const pair = (a: number, b: number): PairMatrices => ({
  a,
  b,
  norm: 'input',
  rows: 2,
  cols: 3,
  cosine: Float64Array.from([1, 2, 3, 4, 5, 6]),
  pearson: Float64Array.from([-1, -2, -3, -4, -5, -6]),
});

describe('compareModel', () => {
  it('reads the diagonal of a non-square matrix', () => {
    expect(diagonalSeries(pair(0, 1))).toEqual([
      { layer: 0, cosine: 1, pearson: -1 },
      { layer: 1, cosine: 5, pearson: -5 },
    ]);
  });
  it('falls back to the first pair when the requested one does not exist', () => {
    expect(selectedPair([pair(0, 1), pair(0, 2)], [0, 2])).toEqual([0, 2]);
    expect(selectedPair([pair(0, 1)], [1, 2])).toEqual([0, 1]);
    expect(selectedPair([], null)).toBeNull();
  });
  it('formats bytes in SI units', () => {
    expect(formatBytes(412_000)).toBe('412 KB');
    expect(formatBytes(221_000_000_000)).toBe('221 GB');
    expect(formatBytes(999)).toBe('999 B');
    expect(formatBytes(null)).toBe('?');
  });
});

describe('statisticText', () => {
  it('prints a count of fixed points as a whole number, other statistics with decimals', () => {
    expect(statisticText(804, true)).toBe('804');
    expect(statisticText(0.5123, false)).toBe('0.512');
    expect(statisticText(1, false)).toBe('1.000');
    expect(statisticText(NaN, true)).toBe('n/a');
  });
});
