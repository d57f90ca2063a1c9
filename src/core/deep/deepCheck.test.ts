import { describe, expect, it } from 'vitest';
import { planDeepReads } from './plan';
import { runDeepCheck } from './check';
import { sharedTokens } from './tokens';
import { SMALL_SHAPE, derive, foundation, otherTokenizer, type SynthModel, type SynthShape } from './syntheticModels';
import type { DeepPlanInput, MatrixEvidence } from './types';

/** The reading side's flow: plan, read, check, plan the alignment-dependent rows, read, check again. */
function planInput(A: SynthModel, B: SynthModel, budgetBytes: number, seed: number): DeepPlanInput {
  return {
    hiddenA: A.base.shape.d,
    hiddenB: B.base.shape.d,
    tensorsA: A.tensors,
    tensorsB: B.tensors,
    shared: sharedTokens(A.vocab, B.vocab),
    budgetBytes,
    seed,
    bytesPerElement: Object.fromEntries([...A.tensors, ...B.tensors].map((t) => [t.name, 2])),
  };
}

export function deepCheckPair(A: SynthModel, B: SynthModel, budgetBytes: number, seed = 1): MatrixEvidence {
  const input = planInput(A, B, budgetBytes, seed),
    shared = input.shared;
  const first = planDeepReads(input);
  const blocksA = A.blocks(first.a),
    blocksB = B.blocks(first.b);
  const ev1 = runDeepCheck(blocksA, blocksB, shared, { seed });
  const second = planDeepReads(input, ev1);
  if (!second.a.length) return ev1;
  return runDeepCheck([...blocksA, ...A.blocks(second.a)], [...blocksB, ...B.blocks(second.b)], shared, {
    seed,
    previous: ev1,
  });
}

function deepReadBytes(A: SynthModel, B: SynthModel, budgetBytes: number): number {
  const input = planInput(A, B, budgetBytes, 1);
  const first = planDeepReads(input);
  const second = planDeepReads(input, {
    hiddenMap: 'identity',
    hiddenPermutation: Int32Array.from({ length: A.base.shape.d }, (_, i) => i),
  } as MatrixEvidence);
  return Math.max(first.rowBytesA + second.rowBytesA, first.rowBytesB + second.rowBytesB);
}

const inverse = (p: Int32Array) => {
  const out = new Int32Array(p.length);
  p.forEach((b, j) => (out[b] = j));
  return out;
};

const BUDGET = 1024 * 1024;
const F = foundation(SMALL_SHAPE, 101);

describe('deep check on constructed derivatives', () => {
  it('fine-tune: shared-ancestry from the exact unit test, hidden map identity', () => {
    const B = derive(F, { seed: 11, embedNoise: 0.1, matrixNoise: 0.15 });
    const ev = deepCheckPair(F, B, BUDGET);
    // each model reads under 40% of its tensors' bytes (2-D tensors, BF16)
    const total = B.tensors.reduce((s, t) => s + t.shape[0] * t.shape[1] * 2, 0);
    const read = deepReadBytes(F, B, BUDGET);
    expect(read).toBeLessThan(0.4 * total);
    console.log('fine-tune', ev.pValue, ev.effect, ev.hiddenClarity);
    expect(ev.verdict).toBe('shared-ancestry');
    expect(ev.pValue).toBeLessThanOrEqual(0.01);
    expect(ev.hiddenMap).toBe('identity');
    expect(ev.carriedBy).toBe('unit-matching');
  });
  it('hidden dims permuted (with sign flips) and norms folded: the permutation is recovered, unit test carries', () => {
    const B = derive(F, { seed: 12, embedNoise: 0.4, matrixNoise: 0.5, permuteHidden: true, foldNorms: true });
    const ev = deepCheckPair(F, B, BUDGET);
    console.log('hidden-permuted', ev.pValue, ev.effect, ev.hiddenClarity);
    expect(ev.verdict).toBe('shared-ancestry');
    expect(ev.pValue).toBeLessThanOrEqual(0.01);
    expect(ev.hiddenMap).toBe('permuted');
    expect(Array.from(ev.hiddenPermutation!)).toEqual(Array.from(inverse(B.hiddenOf)));
    const signs = Array.from(inverse(B.hiddenOf), (j) => B.signs[j]);
    expect(Array.from(ev.hiddenSigns!)).toEqual(signs);
  });
  it('continued pretraining, then disguised (hidden, units and heads permuted, norms folded): down-Gram carries', () => {
    const B = derive(F, {
      seed: 13,
      embedNoise: 0.5,
      matrixNoise: 0.6,
      permuteHidden: true,
      permuteUnits: true,
      permuteHeads: true,
      foldNorms: true,
    });
    const ev = deepCheckPair(F, B, BUDGET);
    console.log('disguised', ev.pValue, ev.effect, ev.hiddenClarity, ev.reasons);
    expect(ev.verdict).toBe('shared-ancestry');
    expect(ev.pValue).toBeLessThanOrEqual(0.01);
    expect(ev.hiddenMap).toBe('permuted');
    expect(ev.carriedBy).toBe('down-gram');
    expect(Array.from(ev.hiddenPermutation!)).toEqual(Array.from(inverse(B.hiddenOf)));
    expect(B.norm('input', 2).every((g) => g === 1)).toBe(true);
  });
  it('vocabulary-extended derivative: shared-ancestry, identity', () => {
    const B = derive(F, { seed: 14, extraTokens: 800, embedNoise: 0.2, matrixNoise: 0.3 });
    expect(B.vocab.tokens.length).toBe(SMALL_SHAPE.vocab + 800);
    const ev = deepCheckPair(F, B, BUDGET);
    expect(ev.verdict).toBe('shared-ancestry');
    expect(ev.pValue).toBeLessThanOrEqual(0.01);
    expect(ev.hiddenMap).toBe('identity');
  });
});

describe('deep check without embeddings (e.g. no tokenizer)', () => {
  it('falls back to index-by-index units, still exact, and still finds a fine-tune', () => {
    const B = derive(F, { seed: 15, matrixNoise: 0.3 });
    const noEmbed = (blocks: ReturnType<typeof F.blocks>) => blocks.filter((b) => b.role !== 'embed');
    const shared = sharedTokens(F.vocab, B.vocab);
    const req = (M: SynthModel) =>
      M.tensors
        .filter((t) => t.role === 'gate' || t.role === 'up')
        .map((t) => ({ tensor: t.name, rowIds: Int32Array.from({ length: 40 }, (_, i) => 100 + i) }));
    const ev = runDeepCheck(noEmbed(F.blocks(req(F))), noEmbed(B.blocks(req(B))), shared, { seed: 1 });
    expect(ev.hiddenMap).toBe('none');
    expect(ev.hiddenPermutation).toBeNull();
    expect(ev.verdict).toBe('shared-ancestry');
    expect(ev.reasons.join(' ')).toMatch(/index by index/);
  });
});

describe('deep check on unrelated models', () => {
  it('same recipe and tokenizer: std curves agree (r ≥ 0.98) yet never shared-ancestry', () => {
    const ev = deepCheckPair(F, foundation(SMALL_SHAPE, 202), BUDGET);
    console.log('unrelated', ev.verdict, ev.pValue, ev.hiddenClarity, ev.stdProfile?.correlation);
    expect(ev.verdict).not.toBe('shared-ancestry');
    expect(ev.hiddenMap).toBe('none');
    expect(ev.stdProfile!.correlation).toBeGreaterThanOrEqual(0.98);
    expect(ev.stdProfile!.caveat).toMatch(/0\.91/);
  });
  it('another tokenizer: never shared-ancestry', () => {
    const ev = deepCheckPair(F, otherTokenizer(SMALL_SHAPE, 303), BUDGET);
    expect(ev.verdict).not.toBe('shared-ancestry');
  });
  it('the null is calibrated: over 100 unrelated pairs, P(p ≤ 0.05) ≤ 0.08 and no shared-ancestry', () => {
    const tiny: SynthShape = { vocab: 700, d: 48, units: 96, layers: 4, heads: 2, headDim: 24, kvHeads: 1, rank: 8 };
    const ps: number[] = [];
    let shared = 0,
      clearMaps = 0;
    for (let s = 0; s < 100; s++) {
      const ev = deepCheckPair(foundation(tiny, 1000 + 2 * s), foundation(tiny, 1001 + 2 * s), 160 * 1024, s);
      ps.push(ev.pValue);
      if (ev.verdict === 'shared-ancestry') shared++;
      if (ev.hiddenMap !== 'none') clearMaps++;
    }
    const at = (alpha: number) => ps.filter((p) => p <= alpha).length / ps.length;
    console.log(`calibration: P(p≤0.01) ${at(0.01)}, P(p≤0.05) ${at(0.05)}, P(p≤0.5) ${at(0.5)}`);
    expect(shared).toBe(0);
    expect(clearMaps).toBe(0); // so the down-Gram test never ran on these pairs
    expect(at(0.05)).toBeLessThanOrEqual(0.08);
    expect(at(0.5)).toBeLessThanOrEqual(0.62); // super-uniform (discrete law), not collapsed onto 1
  });
});
