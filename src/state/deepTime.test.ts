// The deep check's time estimate rests on measured rates (issue 14, 14c): each model's bytes at its own
// norm load's rate, plus rows × the compute per row the finished checks measured.
import { describe, expect, it } from 'vitest';
import type { LoadedModel } from '../core/types';
import type { DeepCheckEntry, DeepCost } from '../compute/deepProtocol';
import { BENCH_MS_PER_ROW, deepTimeEstimate, loadRate, measuredMsPerRow } from './deepCheck';

const model = (repo: string, bytes: number, wallMs: number | undefined, fromCache = false) =>
  ({ repo, fromCache, transfer: { requests: 1, bytes, minimumBytes: bytes, cachedBytes: 0, wallMs } }) as LoadedModel;

const side = (repo: string, rows: number) => ({
  repo,
  tokenizerBytes: 0,
  rowBudgetBytes: 0,
  rowsPlanned: rows,
  tensors: '',
  tensorCount: 0,
  unsupported: [],
});
const cost: DeepCost = {
  sides: [side('a', 1000), side('b', 3000)],
  maxBytesPerModel: [10e6, 20e6],
  estimatedSeconds: 8,
};

describe('deep check time estimate', () => {
  it('bytes at each norm load rate plus rows at the bench compute per row', () => {
    // a: 1 MB in 0.5 s = 2 MB/s → 5 s; b: 4 MB in 1 s = 4 MB/s → 5 s; 4000 rows × 0.34 ms = 1.36 s
    const t = deepTimeEstimate(cost, [model('a', 1e6, 500), model('b', 4e6, 1000)], null);
    expect(t.seconds).toBeCloseTo(5 + 5 + (4000 * BENCH_MS_PER_ROW) / 1000, 9);
    expect(t.basis).toContain('a at 2.0 MB/s (its norm load)');
    expect(t.basis).toContain('measured in the 8B bench');
  });
  it('a model whose norms came from the cache falls back to the assumed rate, and says so', () => {
    const t = deepTimeEstimate(cost, [model('a', 1e6, 500, true), model('b', 4e6, 1000)], 2);
    expect(loadRate(model('a', 1e6, 500, true))).toBeNull();
    expect(t.seconds).toBeCloseTo(4 + 5 + 8, 9);
    expect(t.basis).toContain('assumed 20 MB/s');
    expect(t.basis).toContain('measured by the checks run here');
  });
  it('the measured compute per row pools every finished check', () => {
    const done = (computeMs: number, rowsRead: number) =>
      ({ phase: 'done', result: { computeMs, rowsRead } }) as unknown as DeepCheckEntry;
    expect(measuredMsPerRow({})).toBeNull();
    expect(measuredMsPerRow({ '0,1': done(300, 1000), '0,2': done(100, 1000) })).toBeCloseTo(0.2, 12);
  });
});
