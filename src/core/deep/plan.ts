// Which rows the deep check reads (issue 14 item 2): a sample of shared-token embedding rows taken
// as runs of consecutive ids in both models (so ranges merge into few requests), and in a few
// layers spread over depth the SAME contiguous block of MLP units (rows of gate and up) and a small
// block of q/k rows in both models. Never whole tensors. The only rows that depend on the hidden
// alignment are the down-projection rows (hidden dims): model A's block of consecutive dims and
// model B's dims matched to them; the second call (alignment given) returns just those.
import { depthGrid } from '../channelMatch';
import { seededRandom } from '../random';
import type { DeepPlan, DeepPlanInput, DeepReadRequest, DeepRole, DeepTensorInfo, MatrixEvidence } from './types';

/** Recommended rows budget per model: 48 MiB (≤ 64 MiB with tokenizer and scales for a 7B model). */
export const DEFAULT_DEEP_BUDGET_BYTES = 48 * 1024 * 1024;
/** Shares of the budget: embeddings, gate+up unit blocks, q/k blocks (recipe only), down rows (2nd call). */
export const BUDGET_SHARES = { embed: 0.25, units: 0.45, attention: 0.1, down: 0.2 } as const;
/** Never more than this share of a model's 2-D tensor bytes (small models: "under 40% of the files"). */
export const MAX_MODEL_SHARE = 0.3;
/** Separate runs of embedding rows per model at most (each run is one range request). */
export const MAX_EMBED_RUNS = 64;
export const MAX_EMBED_ROWS = 4096;
/** Layers sampled at most, spread over depth. */
export const MAX_DEEP_LAYERS = 8;
/** Units per layer block: the exact test needs a few dozen; more sharpen it at k²·d compute. */
export const MAX_UNIT_BLOCK = 256;
export const MIN_UNIT_BLOCK = 16;
export const MAX_ATTENTION_ROWS = 64;
/** Down rows (hidden dims) per layer: B's are scattered by the permutation, one request each at worst. */
export const MAX_DOWN_ROWS = 64;
export const MIN_DOWN_ROWS = 12;

type Side = 'a' | 'b';

/**
 * Order of 0..n-1 in which every prefix is spread evenly (farthest point first), so cutting the
 * list anywhere keeps first, last and evenly spaced middle layers.
 */
export function spreadOrder(n: number): number[] {
  if (n <= 0) return [];
  const order = [0];
  if (n > 1) order.push(n - 1);
  const dist = Array.from({ length: n }, (_, i) => Math.min(i, n - 1 - i));
  const taken = new Uint8Array(n);
  for (const i of order) taken[i] = 1;
  while (order.length < n) {
    let best = -1;
    for (let i = 0; i < n; i++) if (!taken[i] && (best < 0 || (dist[i] as number) > (dist[best] as number))) best = i;
    order.push(best);
    taken[best] = 1;
    for (let i = 0; i < n; i++) dist[i] = Math.min(dist[i] as number, Math.abs(i - best));
  }
  return order;
}

function byRole(tensors: readonly DeepTensorInfo[], role: DeepRole): Map<number, DeepTensorInfo> {
  const out = new Map<number, DeepTensorInfo>();
  for (const t of tensors) if (t.role === role && !out.has(t.layer)) out.set(t.layer, t);
  return out;
}

/** Maximal runs [start, end) of positions where both id lists step by +1. */
export function contiguousRuns(idsA: Int32Array, idsB: Int32Array): [number, number][] {
  const runs: [number, number][] = [];
  let start = 0;
  for (let i = 1; i <= idsA.length; i++) {
    const continues =
      i < idsA.length && idsA[i] === (idsA[i - 1] as number) + 1 && idsB[i] === (idsB[i - 1] as number) + 1;
    if (!continues) {
      if (i > start) runs.push([start, i]);
      start = i;
    }
  }
  return runs;
}

/**
 * Positions (into the shared pairs) of `rows` pairs in at most `maxRuns` pieces, each piece consecutive
 * ids in both models: runs are cut into pieces of ⌈rows/maxRuns⌉, full pieces first, chosen at random
 * (seeded) so the sample spreads over the vocabulary.
 */
export function chooseEmbeddingRows(idsA: Int32Array, idsB: Int32Array, rows: number, seed: number): Int32Array {
  if (rows <= 0 || idsA.length === 0) return new Int32Array(0);
  const piece = Math.max(1, Math.ceil(rows / MAX_EMBED_RUNS));
  const pieces: { start: number; length: number; key: number }[] = [];
  const random = seededRandom(seed);
  for (const [start, end] of contiguousRuns(idsA, idsB))
    for (let s = start; s < end; s += piece) pieces.push({ start: s, length: Math.min(piece, end - s), key: random() });
  pieces.sort((x, y) => y.length - x.length || x.key - y.key);
  const picked: number[] = [];
  for (const p of pieces.slice(0, MAX_EMBED_RUNS)) {
    for (let i = 0; i < p.length && picked.length < rows; i++) picked.push(p.start + i);
    if (picked.length >= rows) break;
  }
  return Int32Array.from(picked).sort();
}

const sortedUnique = (ids: Iterable<number>) => Int32Array.from(new Set(ids)).sort();
const range = (start: number, count: number) => Int32Array.from({ length: count }, (_, i) => start + i);

/** Runs of consecutive ids in an ascending list (each is one range request). */
export function countRuns(ids: Int32Array): number {
  let runs = 0;
  for (let i = 0; i < ids.length; i++) if (i === 0 || ids[i] !== (ids[i - 1] as number) + 1) runs++;
  return runs;
}

class PlanBuilder {
  readonly a: DeepReadRequest[] = [];
  readonly b: DeepReadRequest[] = [];
  rowBytesA = 0;
  rowBytesB = 0;
  readonly tensors: string[] = [];
  constructor(private readonly bpe: Record<string, number>) {}
  bytesPerRow(t: DeepTensorInfo): number {
    return t.shape[1] * (this.bpe[t.name] ?? dtypeBytes(t.dtype));
  }
  add(side: Side, t: DeepTensorInfo, rowIds: Int32Array, why: string): void {
    if (rowIds.length === 0) return;
    (side === 'a' ? this.a : this.b).push({ tensor: t.name, rowIds });
    const bytes = rowIds.length * this.bytesPerRow(t);
    if (side === 'a') this.rowBytesA += bytes;
    else this.rowBytesB += bytes;
    this.tensors.push(
      `${side.toUpperCase()} ${t.name}: ${rowIds.length} rows in ${countRuns(rowIds)} runs (${why}), ${mib(bytes)}`,
    );
  }
  plan(): DeepPlan {
    return { a: this.a, b: this.b, rowBytesA: this.rowBytesA, rowBytesB: this.rowBytesB, tensors: this.tensors };
  }
}

const mib = (bytes: number) => `${(bytes / 1048576).toFixed(2)} MiB`;

function dtypeBytes(dtype: string): number {
  const d = dtype.toUpperCase();
  if (d.includes('32')) return 4;
  if (d.includes('8')) return 1;
  return 2;
}

/** Pairs of (layer of A, layer of B) spread over depth, at most MAX_DEEP_LAYERS. */
export function sampledLayers(layersA: number[], layersB: number[]): [number, number][] {
  const grid = depthGrid(layersA.length, layersB.length).map(
    ([i, j]) => [layersA[i] as number, layersB[j] as number] as [number, number],
  );
  return spreadOrder(grid.length)
    .slice(0, MAX_DEEP_LAYERS)
    .sort((x, y) => x - y)
    .map((i) => grid[i] as [number, number]);
}

function planEmbeddings(input: DeepPlanInput, builder: PlanBuilder): void {
  const ea = byRole(input.tensorsA, 'embed').get(-1),
    eb = byRole(input.tensorsB, 'embed').get(-1);
  if (!ea || !eb) return;
  const perRow = Math.max(builder.bytesPerRow(ea), builder.bytesPerRow(eb));
  const rows = Math.min(MAX_EMBED_ROWS, Math.floor((BUDGET_SHARES.embed * input.budgetBytes) / perRow));
  const { idsA, idsB } = input.shared;
  const positions = chooseEmbeddingRows(idsA, idsB, rows, input.seed ^ 0x0e3bed);
  builder.add('a', ea, sortedUnique(Array.from(positions, (p) => idsA[p] as number)), 'shared tokens');
  builder.add('b', eb, sortedUnique(Array.from(positions, (p) => idsB[p] as number)), 'shared tokens');
}

/** The same contiguous block of units (gate and up rows) in both models, and a q/k block, per sampled layer. */
function planLayerBlocks(input: DeepPlanInput, builder: PlanBuilder): void {
  const role = (side: Side, r: DeepRole) => byRole(side === 'a' ? input.tensorsA : input.tensorsB, r);
  const gateA = role('a', 'gate'),
    gateB = role('b', 'gate'),
    upA = role('a', 'up'),
    upB = role('b', 'up');
  const layersA = [...gateA.keys()].filter((l) => upA.has(l)).sort((x, y) => x - y);
  const layersB = [...gateB.keys()].filter((l) => upB.has(l)).sort((x, y) => x - y);
  const layers = sampledLayers(layersA, layersB);
  if (!layers.length) return;
  const random = seededRandom(input.seed ^ 0x5a17);
  const unitBudget = (BUDGET_SHARES.units * input.budgetBytes) / layers.length;
  const attnBudget = (BUDGET_SHARES.attention * input.budgetBytes) / layers.length;
  for (const [la, lb] of layers) {
    const [ga, gb, ua, ub] = [gateA.get(la), gateB.get(lb), upA.get(la), upB.get(lb)] as DeepTensorInfo[];
    const units = Math.min(ga!.shape[0], gb!.shape[0], ua!.shape[0], ub!.shape[0]);
    const perUnit = Math.max(
      builder.bytesPerRow(ga!) + builder.bytesPerRow(ua!),
      builder.bytesPerRow(gb!) + builder.bytesPerRow(ub!),
    );
    const k = Math.min(MAX_UNIT_BLOCK, units, Math.floor(unitBudget / perUnit));
    if (k >= MIN_UNIT_BLOCK) {
      const ids = range(Math.floor(random() * (units - k + 1)), k);
      builder.add('a', ga!, ids, `units ${ids[0]}–${ids[k - 1]}`);
      builder.add('a', ua!, ids, `units ${ids[0]}–${ids[k - 1]}`);
      builder.add('b', gb!, ids, `units ${ids[0]}–${ids[k - 1]}`);
      builder.add('b', ub!, ids, `units ${ids[0]}–${ids[k - 1]}`);
    }
    for (const r of ['q', 'k'] as const) {
      const ta = role('a', r).get(la),
        tb = role('b', r).get(lb);
      if (!ta || !tb) continue;
      const perRow = Math.max(builder.bytesPerRow(ta), builder.bytesPerRow(tb));
      const rows = Math.min(MAX_ATTENTION_ROWS, ta.shape[0], tb.shape[0], Math.floor(attnBudget / 2 / perRow));
      if (rows < 2) continue;
      const ids = range(Math.floor(random() * (Math.min(ta.shape[0], tb.shape[0]) - rows + 1)), rows);
      builder.add('a', ta, ids, 'recipe statistics');
      builder.add('b', tb, ids, 'recipe statistics');
    }
  }
}

/** Second call: down rows (hidden dims) of A's block of consecutive dims and of B's dims matched to them. */
function planDownRows(input: DeepPlanInput, alignment: MatrixEvidence, builder: PlanBuilder): void {
  const perm = alignment.hiddenPermutation;
  if (alignment.hiddenMap === 'none' || !perm) return;
  const downA = byRole(input.tensorsA, 'down'),
    downB = byRole(input.tensorsB, 'down');
  const layersA = [...downA.keys()].sort((x, y) => x - y),
    layersB = [...downB.keys()].sort((x, y) => x - y);
  const layers = sampledLayers(layersA, layersB);
  if (!layers.length) return;
  const random = seededRandom(input.seed ^ 0xd0e);
  const layerBudget = (BUDGET_SHARES.down * input.budgetBytes) / layers.length;
  for (const [la, lb] of layers) {
    const ta = downA.get(la) as DeepTensorInfo,
      tb = downB.get(lb) as DeepTensorInfo;
    if (ta.shape[0] !== input.hiddenA || tb.shape[0] !== input.hiddenB) continue;
    const perRow = Math.max(builder.bytesPerRow(ta), builder.bytesPerRow(tb));
    const m = Math.min(MAX_DOWN_ROWS, perm.length, Math.floor(layerBudget / perRow));
    if (m < MIN_DOWN_ROWS) continue;
    const start = Math.floor(random() * (perm.length - m + 1));
    const idsA = range(start, m);
    const idsB = sortedUnique(Array.from(idsA, (i) => perm[i] as number));
    builder.add('a', ta, idsA, `hidden dims ${start}–${start + m - 1}`);
    builder.add('b', tb, idsB, 'hidden dims matched to A’s');
  }
}

/**
 * What to read, within min(budgetBytes, 30% of the smaller model's 2-D tensor bytes) per model. Without `alignment`: embeddings of shared tokens, unit blocks and q/k blocks (nothing
 * here depends on the alignment). With the first call's evidence: only the rows that depend on it (down
 * rows through the hidden permutation); empty lists when the hidden map is `none`.
 */
export function planDeepReads(given: DeepPlanInput, alignment?: MatrixEvidence | null): DeepPlan {
  const builder = new PlanBuilder(given.bytesPerElement);
  const modelBytes = (tensors: DeepTensorInfo[]) =>
    tensors.reduce((s, t) => s + t.shape[0] * builder.bytesPerRow(t), 0);
  const cap = MAX_MODEL_SHARE * Math.min(modelBytes(given.tensorsA), modelBytes(given.tensorsB));
  const input = { ...given, budgetBytes: Math.min(given.budgetBytes, cap) };
  if (alignment) planDownRows(input, alignment, builder);
  else {
    planEmbeddings(input, builder);
    planLayerBlocks(input, builder);
  }
  return builder.plan();
}
