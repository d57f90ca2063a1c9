import { describe, expect, it } from 'vitest';
import { makeCase, type CaseKind } from './cases';
import { CASE_EXPECTATIONS as expectations, type CaseExpectation as Expectation } from './caseExpectations';
import { matchChannels } from './channelMatch';
import { gaussian, seededRandom } from './random';
import { judgePair, SHARED_MAX_P, SHARED_MIN_R, SHARED_MIN_Z, UNRELATED_R_CEILING, type Evidence } from './verdict';

function judgeCase(kind: CaseKind, seed = 1): { evidence: Evidence; source: number[] | null } {
  const c = makeCase(kind, { hiddenSize: 1024, layers: 24, seed });
  const evidence = judgePair(c.parent.input, c.child.input, {
    seed,
    channelRoles: { a: [c.parent.input, c.parent.post], b: [c.child.input, c.child.post] },
  });
  return { evidence, source: c.childLayerSource };
}

describe('judgePair on the calibration cases', () => {
  it.each(Object.entries(expectations) as [CaseKind, Expectation][])('%s', (kind, expected) => {
    const { evidence: e, source } = judgeCase(kind);
    expect(e.verdict).toBe(expected.verdict);
    expect(e.segments).toBe(expected.segments);
    expect(e.permutation.found).toBe(expected.channelsReordered);
    if (expected.segments) {
      // The alignment is [layer of A = parent, layer of B = child] and must follow the ground truth.
      expect(e.alignment).toEqual(source!.map((parentLayer, childLayer) => [parentLayer, childLayer]));
      expect(e.pValue).toBeLessThanOrEqual(SHARED_MAX_P);
      expect(e.z).toBeGreaterThan(SHARED_MIN_Z);
      expect(e.diagonalPearson).toBeGreaterThan(0.8);
    } else {
      expect(e.alignment).toBeNull();
    }
    if (expected.channelsReordered) {
      expect(e.permutation.matchedPearson).toBeGreaterThan(0.99);
      expect(Math.abs(e.diagonalPearson)).toBeLessThan(0.05); // index by index it looks unrelated
    }
    expect(e.reasons.length).toBeGreaterThanOrEqual(4);
    expect(e.reasons.join(' ')).toMatch(/\d\.\d{3}/); // the card shows numbers
    expect(e.timings.totalMs).toBeGreaterThan(0);
  });

  it('reuses a channel match computed once for the model pair', () => {
    const c = makeCase('permuted-channels', { hiddenSize: 512, layers: 12, seed: 3 });
    const shared = matchChannels([c.parent.input, c.parent.post], [c.child.input, c.child.post]);
    for (const role of ['input', 'post'] as const) {
      const e = judgePair(c.parent[role], c.child[role], { channelMatch: shared });
      expect(e.verdict).toBe('shared-ancestry');
      expect(e.timings.channelMatchMs).toBe(shared.timeMs);
    }
  });

  it('keeps unrelated models at "no evidence" across seeds, with the scope caveat', () => {
    for (const seed of [2, 3, 4]) {
      const { evidence } = judgeCase('unrelated', seed);
      expect(evidence.verdict).toBe('no-evidence');
      expect(evidence.diagonalPearson).toBeLessThan(SHARED_MIN_R);
      expect(evidence.reasons.at(-1)).toMatch(/Absence of evidence is not independence/);
    }
  });

  it('calls a weak but real shared pattern inconclusive, never shared ancestry', () => {
    const { evidence } = judgeCase('weak-shared', 2);
    expect(evidence.verdict).toBe('inconclusive');
    expect(evidence.diagonalPearson).toBeGreaterThan(UNRELATED_R_CEILING);
    expect(evidence.diagonalPearson).toBeLessThan(SHARED_MIN_R);
    expect(evidence.reasons.join(' ')).toMatch(/real but weak/);
  });
});

describe('judgePair thresholds', () => {
  /** 16 nearly independent layers per model at d = 4096, B mixing in a fraction w of A. */
  function mixedPair(w: number): [Float32Array[], Float32Array[]] {
    const normal = gaussian(42);
    const a = Array.from({ length: 16 }, () => Float32Array.from({ length: 4096 }, () => 0.7 + 0.05 * normal()));
    const b = a.map((row) => row.map((x) => 0.7 + 0.05 * (Math.sqrt(1 - w * w) * normal() + (w * (x - 0.7)) / 0.05)));
    return [a, b];
  }

  it('treats a significant r inside the band of unrelated real models as no evidence', () => {
    const e = judgePair(...mixedPair(0.015), { skipChannelMatch: true });
    expect(e.pValue).toBeLessThanOrEqual(0.05); // significant...
    expect(e.diagonalPearson).toBeLessThanOrEqual(UNRELATED_R_CEILING); // ...but as small as unrelated real pairs
    expect(e.verdict).toBe('no-evidence');
    expect(e.reasons.join(' ')).toMatch(/0\.01–0\.02/);
  });

  it('does not claim shared ancestry from a perfect copy of vectors too short to test', () => {
    const random = seededRandom(8);
    const a = Array.from({ length: 3 }, () => Float32Array.from({ length: 8 }, () => random()));
    const e = judgePair(
      a,
      a.map((row) => row.slice()),
    );
    expect(e.diagonalPearson).toBeCloseTo(1, 12);
    expect(e.z).toBeLessThan(SHARED_MIN_Z); // 8 dimensions: even r = 1 is only a few null sds away
    expect(e.verdict).toBe('inconclusive');
    expect(e.alignment).toBeNull();
    expect(e.reasons.join(' ')).toMatch(/not decisive/);
  });

  it('calls a significant r just above that band inconclusive', () => {
    const e = judgePair(...mixedPair(0.05), { skipChannelMatch: true });
    expect(e.diagonalPearson).toBeGreaterThan(UNRELATED_R_CEILING);
    expect(e.verdict).toBe('inconclusive');
    expect(e.permutation.found).toBe(false);
    expect(e.permutation.matchedPearson).toBeNaN();
  });
});

describe('constant norms', () => {
  it('carry no information: the verdict says so, never "no evidence"', () => {
    const ones = Array.from({ length: 6 }, () => new Float32Array(64).fill(1));
    const varied = Array.from({ length: 6 }, (_, l) =>
      Float32Array.from({ length: 64 }, (_, i) => Math.sin(i * (l + 1))),
    );
    for (const [a, b] of [
      [ones, ones],
      [ones, varied],
    ] as const) {
      const e = judgePair(a, b, { permutations: 20 });
      expect(e.verdict).toBe('no-information');
      expect(e.reasons.join(' ')).toMatch(/no information/);
      expect(e.reasons.join(' ')).not.toMatch(/Absence of evidence/);
    }
  });
});
