// The row sample's budget (rowSampling.ts plans which rows): how many rows per tensor fit a model's
// byte and request budgets, where each tensor lives in each model, and the merged single-range reads.
import { DEFAULT_MAX_GAP, planTensorReads } from './ranges.ts';
import { byCodeUnit } from './order.ts';
import {
  DEFAULT_MAX_GAP_ROWS,
  DEFAULT_MAX_ROWS_PER_TENSOR,
  DEFAULT_ROW_BUDGET_BYTES,
  DEFAULT_ROW_MAX_REQUESTS,
  DEFAULT_ROW_SEED,
  DEFAULT_RUNS_PER_TENSOR,
  MIN_ROWS_PER_TENSOR,
  planRowRanges,
  planRowSample,
  priorityOrder,
  type CommonMatrix,
  type LocatedTensor,
  type MatrixKind,
  type RowRange,
} from './rowSampling.ts';

export interface RowBudgetOptions {
  /** bytes read per model, overfetch included */
  maxBytes: number;
  /** range requests per model */
  maxRequests: number;
  seed: number;
  runs: number;
  maxRowsPerTensor: number;
  minRowsPerTensor: number;
  maxGapRows: number;
}

export const DEFAULT_ROW_BUDGET: RowBudgetOptions = {
  maxBytes: DEFAULT_ROW_BUDGET_BYTES,
  maxRequests: DEFAULT_ROW_MAX_REQUESTS,
  seed: DEFAULT_ROW_SEED,
  runs: DEFAULT_RUNS_PER_TENSOR,
  maxRowsPerTensor: DEFAULT_MAX_ROWS_PER_TENSOR,
  minRowsPerTensor: MIN_ROWS_PER_TENSOR,
  maxGapRows: DEFAULT_MAX_GAP_ROWS,
};

/** Where one sampled tensor lives in one model, and the row runs to read from it. */
export interface TensorPlacement {
  file: string;
  dtype: string;
  /** absolute offsets of the whole tensor */
  start: number;
  end: number;
  rowBytes: number;
  ranges: RowRange[];
}

export interface PlannedMatrix {
  name: string;
  layer: number;
  kind: MatrixKind;
  shape: [number, number];
  rowIds: number[];
  a: TensorPlacement;
  b: TensorPlacement;
}

/** A run of rows of one tensor inside a file read. */
export interface ReadPart {
  name: string;
  firstRow: number;
  endRow: number;
  /** absolute offsets */
  start: number;
  end: number;
}

/** One single-range GET. */
export interface FileRead {
  file: string;
  start: number;
  end: number;
  parts: ReadPart[];
}

export interface ReadCost {
  /** bytes the reads fetch, overfetch included */
  bytes: number;
  /** bytes of the wanted rows */
  neededBytes: number;
  requests: number;
}

export interface ModelReadPlan extends ReadCost {
  reads: FileRead[];
}

export interface RowSamplePlan {
  budget: RowBudgetOptions;
  /** sorted by layer, then preference */
  matrices: PlannedMatrix[];
  a: ModelReadPlan;
  b: ModelReadPlan;
  /** rows per tensor before clipping to each tensor's row count */
  rowsPerTensor: number;
  /** tensors that were eligible but left out to stay within the budget */
  dropped: number;
}

/** 32-bit FNV-1a of the seed and a name: each tensor gets its own, reproducible row positions. */
export function tensorSeed(seed: number, name: string): number {
  let h = (0x811c9dc5 ^ (seed >>> 0)) >>> 0;
  const s = `${seed >>> 0}|${name}`;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** A run of rows with the file it is in (the input of mergeFileReads). */
export type FilePart = ReadPart & { file: string };

/** Merge every tensor's row runs of one model into single-range reads, per file (neighbours join). */
export function mergeFileReads(parts: readonly FilePart[], maxGapBytes = DEFAULT_MAX_GAP): ModelReadPlan {
  const byFile = new Map<string, FilePart[]>();
  for (const p of parts) byFile.set(p.file, [...(byFile.get(p.file) ?? []), p]);
  const reads: FileRead[] = [];
  for (const [file, list] of [...byFile].sort(([x], [y]) => byCodeUnit(x, y))) {
    for (const plan of planTensorReads(list, maxGapBytes)) {
      reads.push({
        file,
        start: plan.start,
        end: plan.end,
        parts: plan.tensors.map(({ name, firstRow, endRow, start, end }) => ({ name, firstRow, endRow, start, end })),
      });
    }
  }
  const bytes = reads.reduce((s, r) => s + r.end - r.start, 0);
  const neededBytes = parts.reduce((s, p) => s + p.end - p.start, 0);
  return { reads, bytes, neededBytes, requests: reads.length };
}

function placement(
  t: LocatedTensor,
  rowIds: readonly number[],
  maxGapRows: number,
): { place: TensorPlacement; needed: number } {
  const p = planRowRanges(t, rowIds, maxGapRows);
  return {
    place: { file: t.file, dtype: t.dtype, start: t.start, end: t.end, rowBytes: p.rowBytes, ranges: p.ranges },
    needed: p.neededBytes,
  };
}

function buildPlan(
  order: readonly CommonMatrix[],
  n: number,
  budget: RowBudgetOptions,
  dropped: number,
): RowSamplePlan {
  const matrices: PlannedMatrix[] = [];
  const parts: { a: FilePart[]; b: FilePart[] } = { a: [], b: [] };
  let neededA = 0;
  let neededB = 0;
  for (const m of order) {
    const sample = planRowSample({
      shapeA: m.a.shape,
      shapeB: m.b.shape,
      dtype: m.a.dtype,
      rows: Math.min(n, budget.maxRowsPerTensor),
      seed: tensorSeed(budget.seed, m.name),
      runs: budget.runs,
    });
    const a = placement(m.a, sample.rowIds, budget.maxGapRows);
    const b = placement(m.b, sample.rowIds, budget.maxGapRows);
    neededA += a.needed;
    neededB += b.needed;
    for (const r of a.place.ranges)
      parts.a.push({
        file: m.a.file,
        name: m.name,
        firstRow: r.firstRow,
        endRow: r.endRow,
        start: r.start,
        end: r.end,
      });
    for (const r of b.place.ranges)
      parts.b.push({
        file: m.b.file,
        name: m.name,
        firstRow: r.firstRow,
        endRow: r.endRow,
        start: r.start,
        end: r.end,
      });
    matrices.push({
      name: m.name,
      layer: m.layer,
      kind: m.kind,
      shape: m.shape,
      rowIds: sample.rowIds,
      a: a.place,
      b: b.place,
    });
  }
  matrices.sort((x, y) => x.layer - y.layer || byCodeUnit(x.name, y.name));
  const a = { ...mergeFileReads(parts.a), neededBytes: neededA };
  const b = { ...mergeFileReads(parts.b), neededBytes: neededB };
  return { budget, matrices, a, b, rowsPerTensor: n, dropped };
}

const fits = (p: RowSamplePlan, budget: RowBudgetOptions) =>
  Math.max(p.a.bytes, p.b.bytes) <= budget.maxBytes && Math.max(p.a.requests, p.b.requests) <= budget.maxRequests;

/**
 * How many rows of which tensors fit the budget: tensors in priority order (embeddings, then every
 * layer's first tensor spread over depth, then second tensors…), at most maxRequests / runs of them,
 * then the most rows per tensor (the same count for all, clipped to each tensor's rows) such that
 * both models stay within maxBytes and maxRequests. Tensors are dropped from the end of the priority
 * order while even minRowsPerTensor rows do not fit.
 */
export function planRowBudget(
  matrices: readonly CommonMatrix[],
  options: Partial<RowBudgetOptions> = {},
): RowSamplePlan {
  const budget: RowBudgetOptions = { ...DEFAULT_ROW_BUDGET, ...options };
  const runs = Math.max(1, Math.floor(budget.runs));
  const minRows = Math.max(1, Math.min(budget.minRowsPerTensor, budget.maxRowsPerTensor));
  const maxTensors = Math.max(0, Math.floor(budget.maxRequests / runs));
  const order = priorityOrder(matrices).slice(0, maxTensors);
  let dropped = matrices.length - order.length;
  // the fewest tensors to drop so that minRows rows of each fit
  let count = order.length;
  while (count > 0 && !fits(buildPlan(order.slice(0, count), minRows, budget, 0), budget)) count--;
  dropped += order.length - count;
  const chosen = order.slice(0, count);
  if (chosen.length === 0) return buildPlan([], 0, budget, dropped);
  // then the most rows per tensor that still fit (binary search; the best feasible one is kept)
  let lo = minRows;
  let best = buildPlan(chosen, lo, budget, dropped);
  const maxUseful = Math.min(budget.maxRowsPerTensor, Math.max(...chosen.map((m) => m.shape[0])));
  let hi = maxUseful;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    const plan = buildPlan(chosen, mid, budget, dropped);
    if (fits(plan, budget)) {
      best = plan;
      lo = mid;
    } else hi = mid - 1;
  }
  return best;
}

/** Compact text form of sorted row ids ("0-63,100-131"), for cache keys and logs. */
export function formatRowIds(rowIds: readonly number[]): string {
  const parts: string[] = [];
  let i = 0;
  while (i < rowIds.length) {
    let j = i;
    while (j + 1 < rowIds.length && (rowIds[j + 1] as number) === (rowIds[j] as number) + 1) j++;
    parts.push(i === j ? String(rowIds[i]) : `${rowIds[i]}-${rowIds[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}
