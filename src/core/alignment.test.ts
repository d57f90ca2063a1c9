import { describe, expect, it } from 'vitest';
import { alignLayers, formatSegments, JUMP_PENALTY } from './alignment';
import { seededRandom } from './random';

const THRESHOLD = 0.12;

/**
 * A Pearson matrix shaped like a related pair: child layer i was made from parent layer
 * source[i] (r ≈ 0.95), and layers of one model correlate by depth distance (0.6·0.85^Δ),
 * so every cell of a related pair is far above the threshold, as in real models.
 */
function relatedMatrix(source: (number | null)[], parentLayers: number, seed = 1): Float64Array {
  const random = seededRandom(seed);
  const m = new Float64Array(source.length * parentLayers);
  source.forEach((src, i) => {
    for (let j = 0; j < parentLayers; j++) {
      const noise = (random() - 0.5) * 0.04;
      if (src === null) m[i * parentLayers + j] = 0.3 * 0.85 ** Math.abs(i - j) + noise;
      else m[i * parentLayers + j] = src === j ? 0.95 + noise / 2 : 0.6 * 0.85 ** Math.abs(src - j) + noise;
    }
  });
  return m;
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('alignLayers', () => {
  it('matches an identical stack as one run along the diagonal', () => {
    const a = alignLayers(relatedMatrix(range(0, 23), 24), 24, 24, { threshold: THRESHOLD })!;
    expect(formatSegments(a.segments)).toBe('child 0–23 ↔ parent 0–23');
    expect(a.path).toEqual(range(0, 23).map((i) => [i, i]));
    expect(a.meanR).toBeCloseTo(0.95, 2);
  });

  it('finds a constant offset', () => {
    const a = alignLayers(relatedMatrix(range(3, 26), 30), 24, 30, { threshold: THRESHOLD })!;
    expect(formatSegments(a.segments)).toBe('child 0–23 ↔ parent 3–26');
  });

  it('recovers depth up-scaling as two runs with a jump back', () => {
    // 40-layer child: parent 0..19, then parent 10..29 again.
    const source = [...range(0, 19), ...range(10, 29)];
    const a = alignLayers(relatedMatrix(source, 30), 40, 30, { threshold: THRESHOLD })!;
    expect(formatSegments(a.segments)).toBe('child 0–19 ↔ parent 0–19, child 20–39 ↔ parent 10–29');
    expect(a.path.map(([, j]) => j)).toEqual(source);
  });

  it('recovers pruning: the dropped parent layers are skipped, whichever model forms the rows', () => {
    const kept = [...range(0, 11), ...range(16, 23)];
    const childRows = alignLayers(relatedMatrix(kept, 24), 20, 24, { threshold: THRESHOLD })!;
    expect(formatSegments(childRows.segments)).toBe('child 0–11 ↔ parent 0–11, child 12–19 ↔ parent 16–23');
    // Parent as rows (it is the deeper one): its dropped layers must stay unmatched, not borrow a neighbour.
    const child = relatedMatrix(kept, 24);
    const transposed = Float64Array.from(
      { length: 24 * 20 },
      (_, c) => child[(c % 20) * 24 + Math.floor(c / 20)] as number,
    );
    const parentRows = alignLayers(transposed, 24, 20, { threshold: THRESHOLD })!;
    expect(formatSegments(parentRows.segments)).toBe('child 0–11 ↔ parent 0–11, child 16–23 ↔ parent 12–19');
  });

  it('follows a reversed block as one descending run', () => {
    const source = [...range(0, 7), ...range(8, 15).reverse(), ...range(16, 23)];
    const a = alignLayers(relatedMatrix(source, 24), 24, 24, { threshold: THRESHOLD })!;
    expect(formatSegments(a.segments)).toBe(
      'child 0–7 ↔ parent 0–7, child 8–15 ↔ parent 15–8, child 16–23 ↔ parent 16–23',
    );
    const forwardOnly = alignLayers(relatedMatrix(source, 24), 24, 24, { threshold: THRESHOLD, allowReverse: false })!;
    expect(forwardOnly.segments.every((s) => s.parentEnd >= s.parentStart)).toBe(true);
  });

  it('leaves child layers with no counterpart unmatched instead of forcing them', () => {
    // Layers 8–13 of the child are new (no parent source): a gap, not a forced run.
    const source = [...range(0, 7), null, null, null, null, null, null, ...range(8, 17)];
    const a = alignLayers(relatedMatrix(source, 18), 24, 18, { threshold: THRESHOLD })!;
    expect(formatSegments(a.segments)).toBe('child 0–7 ↔ parent 0–7, child 14–23 ↔ parent 8–17');
  });

  it('returns null for an unrelated pair: noise around 0 never pays for a run', () => {
    const random = seededRandom(5);
    for (let trial = 0; trial < 20; trial++) {
      const noise = Float64Array.from({ length: 32 * 32 }, () => (random() - 0.5) * 0.2); // |r| ≤ 0.1
      expect(alignLayers(noise, 32, 32, { threshold: THRESHOLD })).toBeNull();
    }
  });

  it('does not build a run from one cell just above the threshold', () => {
    const m = new Float64Array(10 * 10);
    m[33] = THRESHOLD + JUMP_PENALTY / 2;
    expect(alignLayers(m, 10, 10, { threshold: THRESHOLD })).toBeNull();
    m[33] = THRESHOLD + 2 * JUMP_PENALTY;
    expect(alignLayers(m, 10, 10, { threshold: THRESHOLD })!.path).toEqual([[3, 3]]);
  });

  it('never matches a NaN (not comparable) cell', () => {
    const m = relatedMatrix(range(0, 9), 10);
    m[5 * 10 + 5] = NaN;
    const a = alignLayers(m, 10, 10, { threshold: THRESHOLD })!;
    expect(a.path.some(([i, j]) => i === 5 && j === 5)).toBe(false);
  });

  it('aligns 128×128 well within a frame budget', () => {
    const m = relatedMatrix(range(0, 127), 128);
    const started = performance.now();
    const a = alignLayers(m, 128, 128, { threshold: THRESHOLD })!;
    expect(performance.now() - started).toBeLessThan(100);
    expect(a.segments).toHaveLength(1);
  });
});

describe('formatSegments', () => {
  it('writes single layers as one number and accepts model labels', () => {
    const text = formatSegments(
      [
        { childStart: 0, childEnd: 0, parentStart: 4, parentEnd: 4, meanR: 1 },
        { childStart: 1, childEnd: 3, parentStart: 9, parentEnd: 7, meanR: 1 },
      ],
      { child: 'B', parent: 'A' },
    );
    expect(text).toBe('B 0 ↔ A 4, B 1–3 ↔ A 9–7');
  });
});
