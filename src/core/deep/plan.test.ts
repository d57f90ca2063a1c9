import { describe, expect, it } from 'vitest';
import { chooseEmbeddingRows, contiguousRuns, countRuns, planDeepReads, spreadOrder } from './plan';
import type { DeepPlanInput, DeepTensorInfo, MatrixEvidence } from './types';

/** Tensor list of a 7B-shaped Llama: 32 layers, 4096 wide, 11008 units, 128k vocabulary. */
function llama7b(layers = 32, d = 4096, h = 11008, vocab = 128256): DeepTensorInfo[] {
  const t: DeepTensorInfo[] = [
    { role: 'embed', layer: -1, name: 'model.embed_tokens.weight', shape: [vocab, d], dtype: 'BF16' },
  ];
  for (let l = 0; l < layers; l++) {
    const p = `model.layers.${l}.`;
    t.push(
      { role: 'q', layer: l, name: p + 'self_attn.q_proj.weight', shape: [d, d], dtype: 'BF16' },
      { role: 'k', layer: l, name: p + 'self_attn.k_proj.weight', shape: [1024, d], dtype: 'BF16' },
      { role: 'gate', layer: l, name: p + 'mlp.gate_proj.weight', shape: [h, d], dtype: 'BF16' },
      { role: 'up', layer: l, name: p + 'mlp.up_proj.weight', shape: [h, d], dtype: 'BF16' },
      { role: 'down', layer: l, name: p + 'mlp.down_proj.weight', shape: [d, h], dtype: 'BF16' },
    );
  }
  return t;
}

function input(idsA: Int32Array, idsB: Int32Array, budget = 48 * 1024 * 1024): DeepPlanInput {
  const tensors = llama7b();
  return {
    hiddenA: 4096,
    hiddenB: 4096,
    tensorsA: tensors,
    tensorsB: tensors,
    shared: { idsA, idsB, sharedCount: idsA.length, sizeA: 128256, sizeB: 128256 },
    budgetBytes: budget,
    seed: 7,
    bytesPerElement: Object.fromEntries(tensors.map((t) => [t.name, 2])),
  };
}

const ascending = (ids: Int32Array) => ids.every((v, i) => i === 0 || v > ids[i - 1]!);

describe('embedding rows', () => {
  it('finds runs where both id lists step together', () => {
    expect(contiguousRuns(Int32Array.of(1, 2, 3, 7, 8, 9), Int32Array.of(5, 6, 9, 10, 11, 12))).toEqual([
      [0, 2],
      [2, 3],
      [3, 6],
    ]);
    expect(countRuns(Int32Array.of(1, 2, 3, 7, 9, 10))).toBe(3);
  });
  it('takes rows in at most 64 runs, spread over a same-tokenizer vocabulary', () => {
    const ids = Int32Array.from({ length: 128000 }, (_, i) => i + 256);
    const pos = chooseEmbeddingRows(ids, ids, 2048, 1);
    expect(pos.length).toBe(2048);
    expect(countRuns(pos)).toBeLessThanOrEqual(64);
    expect(pos[0]!).toBeLessThan(40000);
    expect(pos[pos.length - 1]!).toBeGreaterThan(88000);
  });
  it('prefers long common runs when the tokenizers differ', () => {
    // every 3rd pair breaks the run in B, except one block of 5000 consecutive pairs
    const n = 60000;
    const idsA = Int32Array.from({ length: n }, (_, i) => i);
    const idsB = Int32Array.from({ length: n }, (_, i) => (i >= 20000 && i < 25000 ? 100000 + i : 3 * i));
    const pos = chooseEmbeddingRows(idsA, idsB, 1024, 3);
    expect(pos.length).toBe(1024);
    expect(countRuns(Int32Array.from(pos, (p) => idsB[p]!))).toBeLessThanOrEqual(64);
  });
});

describe('planDeepReads', () => {
  const ids = Int32Array.from({ length: 120000 }, (_, i) => i + 300);
  it('stays within the budget for a 7B model and reads no tensor whole', () => {
    const plan = planDeepReads(input(ids, ids));
    const budget = 48 * 1024 * 1024;
    expect(plan.rowBytesA).toBeLessThanOrEqual(budget);
    expect(plan.rowBytesB).toBeLessThanOrEqual(budget);
    expect(plan.rowBytesA).toBeGreaterThan(0.5 * budget);
    const shapes = new Map(llama7b().map((t) => [t.name, t.shape]));
    for (const r of [...plan.a, ...plan.b]) {
      expect(ascending(r.rowIds)).toBe(true);
      expect(r.rowIds.length).toBeLessThan(shapes.get(r.tensor)![0] / 4);
      expect(countRuns(r.rowIds)).toBeLessThanOrEqual(64);
    }
    // the same unit block in both models, 8 layers spread over depth
    const gates = plan.a.filter((r) => r.tensor.includes('gate'));
    expect(gates.length).toBe(8);
    expect(gates.map((r) => r.tensor)).toContain('model.layers.0.mlp.gate_proj.weight');
    expect(gates.map((r) => r.tensor)).toContain('model.layers.31.mlp.gate_proj.weight');
    for (const g of gates) {
      const inB = plan.b.find((r) => r.tensor === g.tensor)!;
      expect(Array.from(inB.rowIds)).toEqual(Array.from(g.rowIds));
      expect(countRuns(g.rowIds)).toBe(1);
    }
    // byte count independently: embeddings + 8 × (gate + up) + q/k blocks, 8192 bytes a row
    const rows = plan.a.reduce((n, r) => n + r.rowIds.length, 0);
    expect(plan.rowBytesA).toBe(rows * 4096 * 2); // every tensor read here has 4096 BF16 columns
    expect(plan.a.some((r) => r.tensor.includes('down'))).toBe(false);
  });
  it('second call: only down rows, A a block of dims, B the dims matched to them', () => {
    const perm = Int32Array.from({ length: 4096 }, (_, i) => (i * 37 + 11) % 4096);
    const evidence = { hiddenMap: 'permuted', hiddenPermutation: perm } as MatrixEvidence;
    const plan = planDeepReads(input(ids, ids), evidence);
    expect(plan.a.length).toBe(8);
    for (const [i, ra] of plan.a.entries()) {
      expect(ra.tensor).toMatch(/down_proj/);
      expect(countRuns(ra.rowIds)).toBe(1);
      const rb = plan.b[i]!;
      expect(Array.from(rb.rowIds)).toEqual(Array.from(ra.rowIds, (d) => perm[d]!).sort((x, y) => x - y));
    }
    expect(plan.rowBytesB).toBe(plan.rowBytesA);
    expect(plan.rowBytesA).toBeLessThanOrEqual(0.2 * 48 * 1024 * 1024);
    expect(planDeepReads(input(ids, ids), { hiddenMap: 'none', hiddenPermutation: null } as MatrixEvidence).a).toEqual(
      [],
    );
  });
});

describe('spreadOrder', () => {
  it('spreads any prefix of the layer order: ends first, then the middle, then the quarters', () => {
    expect(spreadOrder(0)).toEqual([]);
    expect(spreadOrder(1)).toEqual([0]);
    const o = spreadOrder(9);
    expect([...o].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(o.slice(0, 5)).toEqual([0, 8, 4, 2, 6]);
  });
});
