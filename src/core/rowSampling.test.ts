import { describe, expect, it } from 'vitest';
import {
  DEFAULT_ROW_BUDGET_BYTES,
  EMBEDDING_LAYER,
  MAX_ROW_OVERFETCH,
  candidateMatrixNames,
  commonMatrices,
  matrixKind,
  matrixLayer,
  planRowRanges,
  planRowSample,
  spreadOrder,
  type LocatedTensor,
} from './rowSampling';
import { formatRowIds, mergeFileReads, planRowBudget, tensorSeed } from './rowBudget';

function tensor(name: string, shape: number[], start: number, dtype = 'BF16', file = 'f.safetensors'): LocatedTensor {
  const bytes = shape.reduce((a, b) => a * b, 1) * (dtype === 'F32' ? 4 : 2);
  return { name, dtype, shape, start, end: start + bytes, file };
}

/** A llama-like tensor list laid out back to back, one file per `perFile` layers. */
function llama(
  layers: number,
  hidden: number,
  inter: number,
  opts: { vocab?: number; dtype?: string; perFile?: number; extraLayer?: boolean } = {},
): LocatedTensor[] {
  const out: LocatedTensor[] = [];
  let at = 1000;
  const dtype = opts.dtype ?? 'BF16';
  const add = (name: string, shape: number[], file: string) => {
    const t = tensor(name, shape, at, dtype, file);
    out.push(t);
    at = t.end;
  };
  add('model.embed_tokens.weight', [opts.vocab ?? 1000, hidden], 'm0');
  const total = layers + (opts.extraLayer ? 1 : 0);
  for (let i = 0; i < total; i++) {
    const f = `m${1 + Math.floor(i / (opts.perFile ?? 4))}`;
    const p = `model.layers.${i}.`;
    add(`${p}input_layernorm.weight`, [hidden], f);
    add(`${p}mlp.down_proj.weight`, [hidden, inter], f);
    add(`${p}mlp.gate_proj.weight`, [inter, hidden], f);
    add(`${p}mlp.up_proj.weight`, [inter, hidden], f);
    add(`${p}post_attention_layernorm.weight`, [hidden], f);
    add(`${p}self_attn.k_proj.weight`, [hidden / 4, hidden], f);
    add(`${p}self_attn.k_proj.bias`, [hidden / 4], f);
    add(`${p}self_attn.o_proj.weight`, [hidden, hidden], f);
    add(`${p}self_attn.q_proj.weight`, [hidden, hidden], f);
    add(`${p}self_attn.v_proj.weight`, [hidden / 4, hidden], f);
  }
  add('model.norm.weight', [hidden], 'last');
  add('lm_head.weight', [opts.vocab ?? 1000, hidden], 'last');
  return out;
}

describe('planRowSample', () => {
  it('draws the same seeded ids for both models, within both row counts and the byte cap', () => {
    const args = { shapeA: [4096, 512], shapeB: [4096, 512], dtype: 'BF16', rows: 64, seed: 7 };
    const s1 = planRowSample(args);
    const s2 = planRowSample(args);
    expect(s1).toEqual(s2);
    expect(s1.rowIds).toHaveLength(64);
    expect(s1.rowBytes).toBe(1024);
    expect(s1.bytes).toBe(64 * 1024);
    // one run by default: consecutive rows
    expect(s1.rowIds.every((id, i) => i === 0 || id === s1.rowIds[i - 1]! + 1)).toBe(true);
    expect(planRowSample({ ...args, seed: 8 }).rowIds).not.toEqual(s1.rowIds);
    const capped = planRowSample({ ...args, maxBytes: 10 * 1024 + 5 });
    expect(capped.rowIds).toHaveLength(10);
    const smaller = planRowSample({ ...args, shapeB: [40, 512], rows: 100 });
    expect(smaller.rowIds).toEqual(Array.from({ length: 40 }, (_, i) => i));
  });

  it('scatters ids over runs without overlap', () => {
    for (let seed = 0; seed < 30; seed++) {
      const s = planRowSample({ shapeA: [500, 8], shapeB: [500, 8], dtype: 'F32', rows: 40, seed, runs: 40 });
      expect(s.rowIds).toHaveLength(40);
      expect(new Set(s.rowIds).size).toBe(40);
      expect(s.rowIds).toEqual([...s.rowIds].sort((a, b) => a - b));
      expect(Math.max(...s.rowIds)).toBeLessThan(500);
      expect(Math.min(...s.rowIds)).toBeGreaterThanOrEqual(0);
    }
    const runs = planRowSample({ shapeA: [1000, 8], shapeB: [1000, 8], dtype: 'F32', rows: 30, seed: 3, runs: 3 });
    const breaks = runs.rowIds.filter((id, i) => i > 0 && id !== runs.rowIds[i - 1]! + 1).length;
    expect(breaks).toBeLessThanOrEqual(2);
  });

  it('rejects shapes that are not 2-D or differ in width', () => {
    expect(() => planRowSample({ shapeA: [8], shapeB: [8], dtype: 'BF16', rows: 1, seed: 1 })).toThrow(/2-D/);
    expect(() => planRowSample({ shapeA: [8, 4], shapeB: [8, 5], dtype: 'BF16', rows: 1, seed: 1 })).toThrow(/width/);
  });
});

describe('planRowRanges', () => {
  const t = tensor('w', [100, 16], 5000); // rows of 32 bytes

  it('maps rows to absolute offsets and merges small gaps only while overfetch stays small', () => {
    const p = planRowRanges(t, [10, 11, 12, 13, 15, 40, 41, 99], 4);
    expect(p.rowBytes).toBe(32);
    expect(p.ranges.map((r) => [r.firstRow, r.endRow, r.rows])).toEqual([
      [10, 16, [10, 11, 12, 13, 15]],
      [40, 42, [40, 41]],
      [99, 100, [99]],
    ]);
    expect(p.ranges[0]).toMatchObject({ start: 5000 + 10 * 32, end: 5000 + 16 * 32 });
    expect(p.ranges[2]!.end).toBe(t.end);
    expect(p.neededBytes).toBe(8 * 32);
    expect(p.bytes).toBe(9 * 32);
    expect(p.requests).toBe(3);
  });

  it('sorts and deduplicates ids and never exceeds the overfetch share', () => {
    const ids = [50, 3, 3, 1, 20, 7, 5];
    const p = planRowRanges(t, ids, 100);
    const covered = p.ranges.flatMap((r) => r.rows);
    expect(covered).toEqual([1, 3, 5, 7, 20, 50]);
    for (const r of p.ranges)
      expect((r.endRow - r.firstRow - r.rows.length) / r.rows.length).toBeLessThanOrEqual(MAX_ROW_OVERFETCH + 1e-9);
    // no merging at gap 0 rows unless rows touch
    expect(planRowRanges(t, [1, 2, 4], 0).ranges.map((r) => r.rows)).toEqual([[1, 2], [4]]);
  });

  it('rejects rows outside the tensor and inconsistent spans', () => {
    expect(() => planRowRanges(t, [100])).toThrow(/outside/);
    expect(() => planRowRanges({ ...t, end: t.end + 2 }, [1])).toThrow(/spans/);
  });
});

describe('matrix names', () => {
  it('parses layers and embeddings', () => {
    expect(matrixLayer('model.layers.12.self_attn.q_proj.weight')).toBe(12);
    expect(matrixLayer('transformer.h.3.attn.c_attn.weight')).toBe(3);
    expect(matrixLayer('model.embed_tokens.weight')).toBe(EMBEDDING_LAYER);
    expect(matrixLayer('lm_head.weight')).toBe(EMBEDDING_LAYER);
    expect(matrixLayer('model.norm.weight')).toBeNull();
  });

  it('skips norms, biases and all experts but the first', () => {
    expect(matrixKind('model.layers.0.input_layernorm.weight')).toBeNull();
    expect(matrixKind('model.layers.0.self_attn.q_proj.bias')).toBeNull();
    expect(matrixKind('model.layers.1.mlp.experts.7.up_proj.weight')).toBeNull();
    expect(matrixKind('model.layers.1.mlp.experts.0.up_proj.weight')?.kind).toBe('mlp');
    expect(matrixKind('model.layers.1.mlp.experts.10.up_proj.weight')).toBeNull();
    expect(matrixKind('model.layers.1.self_attn.o_proj.weight')).toEqual({ kind: 'attention', preference: 2 });
    expect(matrixKind('model.layers.1.mlp.down_proj.weight')).toEqual({ kind: 'mlp', preference: 3 });
    expect(matrixKind('h.0.attn.c_proj.weight')?.kind).toBe('attention');
  });

  it('spreads any prefix of the layer order', () => {
    expect(spreadOrder(0)).toEqual([]);
    expect(spreadOrder(1)).toEqual([0]);
    const o = spreadOrder(9);
    expect([...o].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(o.slice(0, 3)).toEqual([0, 8, 4]);
  });
});

describe('commonMatrices', () => {
  it('keeps 2-D tensors with the same name and shape, the best few per layer, MTP layers out', () => {
    const a = llama(4, 64, 128, { extraLayer: true });
    const b = llama(4, 64, 128);
    // B's layer 2 has another o_proj width: not comparable
    const bad = b.find((t) => t.name === 'model.layers.2.self_attn.o_proj.weight')!;
    bad.shape = [32, 128];
    const m = commonMatrices(a, b, { numLayersA: 4, numLayersB: 4, maxPerLayer: 3 });
    expect(m.every((x) => x.shape[0] === x.a.shape[0] && x.a.shape.join() === x.b.shape.join())).toBe(true);
    expect(new Set(m.map((x) => x.layer))).toEqual(new Set([-1, 0, 1, 2, 3]));
    expect(m.filter((x) => x.layer === 0).map((x) => x.name)).toEqual([
      'model.layers.0.self_attn.q_proj.weight',
      'model.layers.0.mlp.up_proj.weight',
      'model.layers.0.self_attn.o_proj.weight',
    ]);
    expect(m.filter((x) => x.layer === 2).map((x) => x.name.split('.').slice(-2, -1)[0])).toEqual([
      'q_proj',
      'up_proj',
      'down_proj',
    ]);
    expect(m.filter((x) => x.layer === -1).map((x) => x.kind)).toEqual(['embedding', 'embedding']);
    expect(m.some((x) => x.layer === 4)).toBe(false);
    // without layer counts, the extra layer of A has no partner in B anyway
    expect(commonMatrices(a, a).some((x) => x.layer === 4)).toBe(true);
  });

  it('drops undecodable dtypes and 1-D tensors', () => {
    const a = [
      tensor('model.layers.0.mlp.up_proj.weight', [4, 4], 0, 'F32'),
      tensor('model.layers.0.self_attn.q_proj.weight', [4, 4], 64, 'I8' as string),
    ];
    a[1]!.end = a[1]!.start + 16;
    expect(commonMatrices(a, a).map((x) => x.name)).toEqual(['model.layers.0.mlp.up_proj.weight']);
  });
});

describe('candidateMatrixNames', () => {
  it('picks from names alone, whole layers, at most maxTensors layers, spread over depth', () => {
    const names = llama(40, 64, 128).map((t) => t.name);
    const all = candidateMatrixNames(names, names, { maxPerLayer: 2 });
    expect(all).toHaveLength(2 * 41);
    const few = candidateMatrixNames(names, names, { maxPerLayer: 2, maxTensors: 5 });
    const layers = [...new Set(few.map((n) => matrixLayer(n)))].sort((x, y) => x! - y!);
    expect(layers).toHaveLength(5);
    expect(layers).toEqual(expect.arrayContaining([-1, 0, 39, 19]));
    expect(candidateMatrixNames(names, ['model.layers.0.mlp.up_proj.weight'])).toEqual([
      'model.layers.0.mlp.up_proj.weight',
    ]);
  });
});

describe('planRowBudget', () => {
  it('fits a 32-layer 4096-wide model in 2 MiB and 64 requests per model, rows the same in both', () => {
    const a = llama(32, 4096, 11008, { vocab: 32000, perFile: 3 });
    const b = llama(32, 4096, 11008, { vocab: 32000, perFile: 5 });
    const plan = planRowBudget(commonMatrices(a, b));
    for (const side of [plan.a, plan.b]) {
      expect(side.bytes).toBeLessThanOrEqual(DEFAULT_ROW_BUDGET_BYTES);
      expect(side.requests).toBeLessThanOrEqual(64);
      expect(side.bytes).toBeGreaterThanOrEqual(side.neededBytes);
      for (const r of side.reads)
        for (const p of r.parts) {
          expect(p.start).toBeGreaterThanOrEqual(r.start);
          expect(p.end).toBeLessThanOrEqual(r.end);
        }
    }
    // every layer covered, embeddings too
    expect(new Set(plan.matrices.map((m) => m.layer)).size).toBe(33);
    expect(plan.rowsPerTensor).toBeGreaterThanOrEqual(4);
    for (const m of plan.matrices) {
      expect(m.rowIds.length).toBeGreaterThanOrEqual(4);
      expect(m.a.ranges.flatMap((r) => r.rows)).toEqual(m.rowIds);
      expect(m.b.ranges.flatMap((r) => r.rows)).toEqual(m.rowIds);
      expect(m.a.ranges[0]!.start).toBe(m.a.start + m.rowIds[0]! * m.a.rowBytes);
    }
    expect(planRowBudget(commonMatrices(a, b))).toEqual(plan);
    expect(planRowBudget(commonMatrices(a, b), { seed: 99 }).matrices[1]!.rowIds).not.toEqual(plan.matrices[1]!.rowIds);
  });

  it('drops tensors from the end of the priority order when the budget is tight', () => {
    const a = llama(8, 512, 1024);
    const plan = planRowBudget(commonMatrices(a, a), { maxBytes: 40 * 1024, maxRequests: 6 });
    expect(plan.a.requests).toBeLessThanOrEqual(6);
    expect(plan.a.bytes).toBeLessThanOrEqual(40 * 1024);
    expect(plan.matrices.length).toBeLessThanOrEqual(6);
    expect(plan.dropped).toBe(commonMatrices(a, a).length - plan.matrices.length);
    // embeddings first, then first and last layer
    expect(plan.matrices.map((m) => m.layer)).toEqual(expect.arrayContaining([-1, 0, 7]));
    const none = planRowBudget(commonMatrices(a, a), { maxBytes: 10 });
    expect(none.matrices).toEqual([]);
    expect(none.a.requests).toBe(0);
  });

  it('merges neighbouring row runs of different tensors in one file into one read', () => {
    const x = tensor('model.layers.0.mlp.up_proj.weight', [4, 8], 100);
    const y = tensor('model.layers.0.self_attn.q_proj.weight', [4, 8], x.end);
    const plan = planRowBudget(commonMatrices([x, y], [x, y]), { maxRowsPerTensor: 4 });
    expect(plan.matrices.every((m) => m.rowIds.length === 4)).toBe(true);
    expect(plan.a.requests).toBe(1);
    expect(plan.a.reads[0]).toMatchObject({ start: 100, end: y.end });
    expect(plan.a.reads[0]!.parts).toHaveLength(2);
  });

  it('scattered rows: each run costs a request unless merged', () => {
    const a = llama(2, 256, 512);
    const plan = planRowBudget(commonMatrices(a, a), { runs: 8, maxRequests: 1000, maxRowsPerTensor: 16 });
    for (const m of plan.matrices) expect(m.a.ranges.length).toBeLessThanOrEqual(8);
    expect(plan.a.requests).toBeLessThanOrEqual(8 * plan.matrices.length);
  });
});

describe('helpers', () => {
  it('formats row ids compactly and seeds per tensor', () => {
    expect(formatRowIds([0, 1, 2, 5, 7, 8])).toBe('0-2,5,7-8');
    expect(formatRowIds([])).toBe('');
    expect(tensorSeed(1, 'a')).not.toBe(tensorSeed(1, 'b'));
    expect(tensorSeed(1, 'a')).toBe(tensorSeed(1, 'a'));
  });

  it('mergeFileReads keeps files apart', () => {
    const m = mergeFileReads([
      { file: 'x', name: 'a', firstRow: 0, endRow: 1, start: 0, end: 10 },
      { file: 'y', name: 'b', firstRow: 0, endRow: 1, start: 10, end: 20 },
      { file: 'x', name: 'c', firstRow: 0, endRow: 1, start: 10, end: 20 },
    ]);
    expect(m.reads.map((r) => [r.file, r.start, r.end])).toEqual([
      ['x', 0, 20],
      ['y', 10, 20],
    ]);
    expect(m.requests).toBe(2);
  });
});
