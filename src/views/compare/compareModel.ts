// Pure derivations for the comparison view: which pair is shown, diagonal series, formatting.
import type { PairMatrices, NormRole } from '../../core/types';

export function findPair(pairs: PairMatrices[], a: number, b: number, norm: NormRole): PairMatrices | null {
  return pairs.find((p) => p.a === a && p.b === b && p.norm === norm) ?? null;
}

/** The pair the view shows: the requested one if it exists, else the first computed pair. */
export function selectedPair(pairs: PairMatrices[], requested: [number, number] | null): [number, number] | null {
  if (requested && pairs.some((p) => p.a === requested[0] && p.b === requested[1])) return requested;
  const first = pairs[0];
  return first ? [first.a, first.b] : null;
}

export interface DiagonalPoint {
  layer: number;
  cosine: number;
  pearson: number;
}

/** Same-index layer pairs (i, i): the seed's Figure 1c line. */
export function diagonalSeries(p: PairMatrices): DiagonalPoint[] {
  const n = Math.min(p.rows, p.cols);
  return Array.from({ length: n }, (_, i) => ({
    layer: i,
    cosine: p.cosine[i * p.cols + i]!,
    pearson: p.pearson[i * p.cols + i]!,
  }));
}

export function cellValue(values: Float64Array, cols: number, cell: [number, number]): number {
  return values[cell[0] * cols + cell[1]]!;
}

export function fmt(v: number, digits = 4): string {
  return Number.isFinite(v) ? v.toFixed(digits) : 'n/a';
}

/** A test statistic: a count (the unit matching's fixed points) prints as a whole number, anything else with `digits`. */
export function statisticText(v: number, isCount: boolean, digits = 3): string {
  return isCount && Number.isFinite(v) ? String(Math.round(v)) : fmt(v, digits);
}
