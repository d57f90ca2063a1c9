import { describe, expect, it } from 'vitest';
import { bf16Ulp, decodeTensor, encodeBf16 } from './dtypes';
import { makeCase } from './cases';
import { meanStd, pearson } from './metrics';

const options = { hiddenSize: 1024, layers: 24, seed: 2 };

describe('makeCase', () => {
  const copy = makeCase('copy', options);

  it('shapes γ like real norms: rising means, small stds, correlated layers, outlier channels', () => {
    for (const rows of [copy.parent.input, copy.parent.post]) {
      expect(rows).toHaveLength(24);
      const first = meanStd(rows[0]!),
        last = meanStd(rows[23]!);
      expect(first.mean).toBeGreaterThan(0.25);
      expect(last.mean).toBeLessThan(1.1);
      expect(last.mean - first.mean).toBeGreaterThan(0.5);
      expect(first.std).toBeGreaterThan(0.015);
      expect(last.std).toBeLessThan(0.15);
    }
    const adjacent = pearson(copy.parent.input[10]!, copy.parent.input[11]!);
    const far = pearson(copy.parent.input[0]!, copy.parent.input[23]!);
    expect(adjacent).toBeGreaterThan(far);
    expect(far).toBeGreaterThan(0.2);
    expect(adjacent).toBeLessThan(0.95);
    const { mean, std } = meanStd(copy.parent.input[12]!);
    expect(Math.max(...copy.parent.input[12]!)).toBeGreaterThan(mean + 5 * std); // heavy tail
  });

  it('stores every value on the bf16 grid', () => {
    for (const row of [...copy.parent.input, ...makeCase('continued-pretraining', options).child.post]) {
      expect(decodeTensor(encodeBf16(row), 'BF16')).toEqual(row);
    }
  });

  it('makes a fine-tune that moves a few values by one ulp, more in early layers', () => {
    const c = makeCase('fine-tune', options);
    const changed = (l: number) => c.parent.input[l]!.filter((x, k) => x !== c.child.input[l]![k]).length / 1024;
    expect(changed(0)).toBeGreaterThan(0.02);
    expect(changed(0)).toBeLessThan(0.1);
    expect(changed(20)).toBeLessThan(changed(0));
    c.parent.input[0]!.forEach((x, k) => expect(Math.abs(x - c.child.input[0]![k]!)).toBeLessThanOrEqual(bf16Ulp(x)));
  });

  it('records the layer and channel sources of each derivation', () => {
    expect(makeCase('depth-upscaled', options).childLayerSource).toEqual([
      ...Array(16).keys(),
      ...Array.from({ length: 16 }, (_, i) => 8 + i),
    ]);
    const pruned = makeCase('pruned', options);
    expect(pruned.child.input).toHaveLength(20);
    expect(pruned.childLayerSource).toEqual([...Array(12).keys(), ...Array.from({ length: 8 }, (_, i) => 16 + i)]);
    const permuted = makeCase('permuted-channels', options);
    const source = permuted.channelSource!;
    expect(new Set(source).size).toBe(1024);
    const child = permuted.child.post[5]!,
      parent = permuted.parent.post[5]!;
    // A fine-tune then a reordering: each child channel is within one ulp of its source channel.
    source.forEach((from, k) =>
      expect(Math.abs(child[k]! - parent[from]!)).toBeLessThanOrEqual(bf16Ulp(parent[from]!)),
    );
    expect(makeCase('unrelated', options).childLayerSource).toBeNull();
  });

  it('drifts a continued-pretraining child but keeps r high; unrelated models sit near 0', () => {
    const cpt = makeCase('continued-pretraining', options),
      unrelated = makeCase('unrelated', options);
    const r = (c: typeof cpt) => pearson(c.parent.input[12]!, c.child.input[12]!);
    expect(r(cpt)).toBeGreaterThan(0.7);
    expect(r(cpt)).toBeLessThan(0.95);
    expect(Math.abs(r(unrelated))).toBeLessThan(0.12); // ≈ 4σ at d = 1024
  });

  it('is reproducible from its seed', () => {
    expect(makeCase('unrelated', options).child.input[3]).toEqual(makeCase('unrelated', options).child.input[3]);
    expect(makeCase('unrelated', { ...options, seed: 3 }).child.input[3]).not.toEqual(
      makeCase('unrelated', options).child.input[3],
    );
  });
});
