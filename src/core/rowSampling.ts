// Which rows of which 2-D tensors to read for the "beyond norm weights" row comparison
// (docs/methods.md §1.7, §2.4–2.5): the same seeded row ids in both models, whole rows only (a row is
// contiguous in row-major storage), merged into as few single-range reads as the overfetch allows,
// within a byte budget and a request budget per model. Pure: no fetch, no DOM.
//
// Requests are the scarce resource (anonymous users get ~3000 /resolve/ hits per 5 minutes, each
// range read is one), so by default every tensor is sampled as ONE seeded run of consecutive rows:
// one request per tensor. Scattered rows (`runs` > 1) are merged when the gaps are small.
import { dtypeBits } from './safetensors.ts';
import { byCodeUnit } from './order.ts';
import { seededRandom } from './random.ts';
import type { TensorEntry } from './types.ts';

/** Bytes of row data per model (overfetch included), by default. */
export const DEFAULT_ROW_BUDGET_BYTES = 2 * 1024 * 1024;
/** Range requests per model, by default: ~2% of the anonymous resolver budget for a pair. */
export const DEFAULT_ROW_MAX_REQUESTS = 64;
/** Fixed default seed, so two sessions read (and cache) the same rows. */
export const DEFAULT_ROW_SEED = 0x5eed_0007;
/** More rows than this per tensor add little: per-row Pearson over thousands of columns is already sharp. */
export const DEFAULT_MAX_ROWS_PER_TENSOR = 256;
/** Fewer rows than this and a tensor is dropped rather than sampled; 2 rows of thousands of columns already give two sharp r values, and covering more layers is worth more. */
export const MIN_ROWS_PER_TENSOR = 2;
/** Tensors per layer at most (attention and MLP projections, in preference order). */
export const DEFAULT_MAX_PER_LAYER = 4;
/** Seeded runs of consecutive rows per tensor; each run is (at most) one request. */
export const DEFAULT_RUNS_PER_TENSOR = 1;
/** Read through at most this many unneeded rows to join two row runs into one request… */
export const DEFAULT_MAX_GAP_ROWS = 8;
/** …and only while the merged read carries at most this fraction of unneeded bytes. */
export const MAX_ROW_OVERFETCH = 0.25;
/** The layer index given to input/output embedding matrices. */
export const EMBEDDING_LAYER = -1;
/** Row values are decoded exactly from these storage dtypes only (src/core/dtypes.ts). */
export const ROW_DTYPES: readonly string[] = ['BF16', 'F16', 'F32'];

export type MatrixKind = 'attention' | 'mlp' | 'embedding' | 'other';

/** A tensor entry with the shard file it lives in. */
export interface LocatedTensor extends TensorEntry {
  file: string;
}

// ---------------------------------------------------------------------------------------------
// Rows of one tensor

export interface RowSampleArgs {
  shapeA: readonly number[];
  shapeB: readonly number[];
  dtype: string;
  /** rows wanted (clipped to the rows both tensors have and to maxBytes) */
  rows: number;
  seed: number;
  maxBytes?: number;
  /** seeded runs of consecutive rows (default 1: one run, one request); `rows` = fully scattered */
  runs?: number;
}

export interface RowSample {
  /** ascending, distinct, < min(rows of A, rows of B); the same ids are read in both models */
  rowIds: number[];
  rowBytes: number;
  /** rowIds.length × rowBytes */
  bytes: number;
}

/** Bytes of one row of a 2-D tensor of this shape and dtype; throws when rows are not whole bytes. */
export function rowBytesOf(shape: readonly number[], dtype: string): number {
  if (shape.length !== 2) throw new RangeError(`row sampling needs a 2-D tensor, got shape [${shape.join(', ')}]`);
  const bits = dtypeBits(dtype);
  if (bits === undefined) throw new RangeError(`unknown dtype "${dtype}"`);
  const rowBits = (shape[1] as number) * bits;
  if (rowBits % 8 !== 0) throw new RangeError(`a row of [${shape.join(', ')}] ${dtype} is not a whole number of bytes`);
  return rowBits / 8;
}

/**
 * Seeded row ids for one tensor, the same for both models: `runs` runs of consecutive rows at
 * seeded positions (non-overlapping, ascending). Columns must agree; row counts may differ (ids
 * stay below the smaller one).
 */
export function planRowSample(a: RowSampleArgs): RowSample {
  const { shapeA, shapeB } = a;
  if (shapeA.length !== 2 || shapeB.length !== 2) throw new RangeError('row sampling needs two 2-D shapes');
  if (shapeA[1] !== shapeB[1]) throw new RangeError(`rows differ in width: ${shapeA[1]} vs ${shapeB[1]} columns`);
  const rowBytes = rowBytesOf(shapeA, a.dtype);
  const available = Math.min(shapeA[0] as number, shapeB[0] as number);
  const byBytes = a.maxBytes === undefined || rowBytes === 0 ? Infinity : Math.floor(a.maxBytes / rowBytes);
  const n = Math.max(0, Math.min(Math.floor(a.rows), available, byBytes));
  if (n === 0) return { rowIds: [], rowBytes, bytes: 0 };
  const runs = Math.max(1, Math.min(n, Math.floor(a.runs ?? DEFAULT_RUNS_PER_TENSOR)));
  const rand = seededRandom(a.seed);
  // run lengths as equal as possible; free rows (slack) spread as seeded gaps before each run
  const lengths = Array.from({ length: runs }, (_, i) => Math.floor(((i + 1) * n) / runs) - Math.floor((i * n) / runs));
  const slack = available - n;
  const gaps = Array.from({ length: runs }, () => Math.floor(rand() * (slack + 1))).sort((x, y) => x - y);
  const rowIds: number[] = [];
  let used = 0;
  lengths.forEach((len, i) => {
    const start = (gaps[i] as number) + used;
    for (let r = 0; r < len; r++) rowIds.push(start + r);
    used += len;
  });
  return { rowIds, rowBytes, bytes: n * rowBytes };
}

export interface RowRange {
  /** absolute file offsets, end exclusive */
  start: number;
  end: number;
  /** rows [firstRow, endRow) are covered; `rows` are the ones wanted (the rest is overfetch) */
  firstRow: number;
  endRow: number;
  rows: number[];
}

export interface RowRangePlan {
  ranges: RowRange[];
  rowBytes: number;
  /** bytes read, overfetch included */
  bytes: number;
  /** bytes of the wanted rows */
  neededBytes: number;
  requests: number;
}

/**
 * Single-range reads covering the given rows of one tensor: ids sorted, neighbours merged while the
 * gap is ≤ maxGapRows rows and the merged read stays within MAX_ROW_OVERFETCH of unneeded bytes.
 */
export function planRowRanges(
  tensor: TensorEntry,
  rowIds: readonly number[],
  maxGapRows = DEFAULT_MAX_GAP_ROWS,
  maxOverfetch = MAX_ROW_OVERFETCH,
): RowRangePlan {
  const rowBytes = rowBytesOf(tensor.shape, tensor.dtype);
  const rows = tensor.shape[0] as number;
  if (tensor.end - tensor.start !== rows * rowBytes) {
    throw new RangeError(`${tensor.name} spans ${tensor.end - tensor.start} bytes, not ${rows} rows of ${rowBytes}`);
  }
  const ids = [...new Set(rowIds)].sort((x, y) => x - y);
  for (const id of ids) {
    if (!Number.isSafeInteger(id) || id < 0 || id >= rows)
      throw new RangeError(`row ${id} is outside ${tensor.name} (${rows} rows)`);
  }
  const ranges: RowRange[] = [];
  let cur: { first: number; end: number; rows: number[]; gapRows: number } | null = null;
  const flush = () => {
    if (!cur) return;
    ranges.push({
      start: tensor.start + cur.first * rowBytes,
      end: tensor.start + cur.end * rowBytes,
      firstRow: cur.first,
      endRow: cur.end,
      rows: cur.rows,
    });
  };
  for (const id of ids) {
    if (cur) {
      const gap = id - cur.end;
      if (gap <= maxGapRows && cur.gapRows + gap <= maxOverfetch * (cur.rows.length + 1)) {
        cur.rows.push(id);
        cur.end = id + 1;
        cur.gapRows += gap;
        continue;
      }
      flush();
    }
    cur = { first: id, end: id + 1, rows: [id], gapRows: 0 };
  }
  flush();
  const bytes = ranges.reduce((s, r) => s + r.end - r.start, 0);
  return { ranges, rowBytes, bytes, neededBytes: ids.length * rowBytes, requests: ranges.length };
}

// ---------------------------------------------------------------------------------------------
// Which matrices

const LAYER_RE = /(?:^|\.)(?:layers|layer|h|blocks|block)\.(\d+)\./;
const INPUT_EMBEDDING_RE = /(?:^|\.)(?:embed_tokens|wte|embed_in|word_embeddings|tok_embeddings)\.weight$/;
const OUTPUT_EMBEDDING_RE = /(?:^|\.)(?:lm_head|embed_out)\.weight$|^output\.weight$/;

/** Decoder layer of a tensor name (`layers.{i}.`), EMBEDDING_LAYER for embeddings, else null. */
export function matrixLayer(name: string): number | null {
  const m = LAYER_RE.exec(name);
  if (m) return Number(m[1]);
  if (INPUT_EMBEDDING_RE.test(name) || OUTPUT_EMBEDDING_RE.test(name)) return EMBEDDING_LAYER;
  return null;
}

// Preference within a layer: lower first. Interleaves attention and MLP so that two tensors per
// layer already cover both.
const PREFERENCE: readonly [RegExp, MatrixKind, number][] = [
  [/(?:self_attn|attention|attn)\.(?:q_proj|query|wq|q_b_proj)\.weight$/, 'attention', 0],
  [/(?:self_attn|attention|attn)\.(?:qkv_proj|query_key_value|c_attn|Wqkv|W_pack)\.weight$/, 'attention', 0],
  [/mlp\.(?:up_proj|c_fc|fc1|dense_h_to_4h|w1)\.weight$|feed_forward\.w1\.weight$/, 'mlp', 1],
  [/(?:self_attn|attention|attn)\.(?:o_proj|dense|c_proj|out_proj|wo)\.weight$/, 'attention', 2],
  [/mlp\.(?:down_proj|c_proj|fc2|dense_4h_to_h|w2)\.weight$|feed_forward\.w2\.weight$/, 'mlp', 3],
  [/(?:self_attn|attention|attn)\.(?:k_proj|key|wk)\.weight$/, 'attention', 4],
  [/mlp\.(?:gate_proj|w3)\.weight$|feed_forward\.w3\.weight$/, 'mlp', 5],
  [/(?:self_attn|attention|attn)\.(?:v_proj|value|wv)\.weight$/, 'attention', 6],
  [/(?:self_attn|attention|attn)\.(?:q_a_proj|kv_a_proj_with_mqa|kv_b_proj)\.weight$/, 'attention', 7],
  [/mlp\.shared_experts?\.(?:up_proj|gate_proj|down_proj)\.weight$/, 'mlp', 8],
  [/mlp\.experts\.0\.(?:up_proj|gate_proj|down_proj|w1|w2|w3)\.weight$/, 'mlp', 9],
  [/mlp\.(?:gate|router)\.weight$/, 'mlp', 10],
];
const OTHER_PREFERENCE = 20;

/**
 * Kind and preference of a matrix name, or null for names that are never sampled: norms, biases,
 * non-weight tensors and every expert but the first (hundreds per layer in MoE checkpoints).
 */
export function matrixKind(name: string): { kind: MatrixKind; preference: number } | null {
  if (!name.endsWith('.weight')) return null;
  if (/norm|(?:^|\.)ln_/.test(name)) return null;
  if (/\.experts\.(?!0\.)\d+\./.test(name)) return null;
  if (INPUT_EMBEDDING_RE.test(name)) return { kind: 'embedding', preference: 0 };
  if (OUTPUT_EMBEDDING_RE.test(name)) return { kind: 'embedding', preference: 1 };
  for (const [re, kind, preference] of PREFERENCE) if (re.test(name)) return { kind, preference };
  return { kind: 'other', preference: OTHER_PREFERENCE };
}

export interface MatrixSelectionOptions {
  /** decoder layers of each model (config num_hidden_layers): higher indices (MTP blocks) are skipped */
  numLayersA?: number | null;
  numLayersB?: number | null;
  maxPerLayer?: number;
}

interface Candidate {
  name: string;
  layer: number;
  kind: MatrixKind;
  preference: number;
}

const inRange = (layer: number, n: number | null | undefined) => layer < 0 || n == null || layer < n;

function candidates(
  names: Iterable<string>,
  inB: (name: string) => boolean,
  opts: MatrixSelectionOptions,
): Candidate[] {
  const out: Candidate[] = [];
  for (const name of names) {
    if (!inB(name)) continue;
    const layer = matrixLayer(name);
    const kind = matrixKind(name);
    if (layer === null || !kind || !inRange(layer, opts.numLayersA) || !inRange(layer, opts.numLayersB)) continue;
    out.push({ name, layer, ...kind });
  }
  return out;
}

/** Per layer the best `maxPerLayer` candidates, sorted by layer then preference then name. */
function topPerLayer<T extends Candidate>(list: readonly T[], maxPerLayer: number): T[] {
  const sorted = [...list].sort(
    (x, y) => x.layer - y.layer || x.preference - y.preference || byCodeUnit(x.name, y.name),
  );
  const count = new Map<number, number>();
  return sorted.filter((c) => {
    const k = count.get(c.layer) ?? 0;
    count.set(c.layer, k + 1);
    return k < maxPerLayer;
  });
}

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

/**
 * Priority order of the selected tensors: round r gives each layer its r-th tensor, embeddings first,
 * decoder layers in spread order. Any prefix is a good subset for a tighter request budget.
 */
export function priorityOrder<T extends Candidate>(selected: readonly T[]): T[] {
  const byLayer = new Map<number, T[]>();
  for (const c of selected) byLayer.set(c.layer, [...(byLayer.get(c.layer) ?? []), c]);
  const decoder = [...byLayer.keys()].filter((l) => l >= 0).sort((x, y) => x - y);
  const layerOrder = [
    ...(byLayer.has(EMBEDDING_LAYER) ? [EMBEDDING_LAYER] : []),
    ...spreadOrder(decoder.length).map((i) => decoder[i] as number),
  ];
  const out: T[] = [];
  const rounds = Math.max(0, ...[...byLayer.values()].map((l) => l.length));
  for (let r = 0; r < rounds; r++)
    for (const layer of layerOrder) {
      const c = byLayer.get(layer)?.[r];
      if (c) out.push(c);
    }
  return out;
}

/**
 * Names worth reading headers for, from the two name lists alone (index weight maps): matrices
 * present in both, per layer the best `maxPerLayer`, from at most `maxTensors` layers (each layer
 * costs at least one request), chosen in priority order (embeddings, then spread over depth).
 * Shapes are unknown here; commonMatrices checks them once the headers are in.
 */
export function candidateMatrixNames(
  namesA: Iterable<string>,
  namesB: Iterable<string>,
  opts: MatrixSelectionOptions & { maxTensors?: number } = {},
): string[] {
  const setB = new Set(namesB);
  const picked = topPerLayer(
    candidates(namesA, (n) => setB.has(n), opts),
    opts.maxPerLayer ?? DEFAULT_MAX_PER_LAYER,
  );
  // keep whole layers: a candidate may still turn out 1-D or mismatched, and its layer-mates then stand in
  const layers = priorityOrder(picked).map((c) => c.layer);
  const keepLayers = new Set(layers.filter((l, i) => layers.indexOf(l) === i).slice(0, opts.maxTensors ?? Infinity));
  return picked.filter((c) => keepLayers.has(c.layer)).map((c) => c.name);
}

export interface CommonMatrix {
  name: string;
  layer: number;
  kind: MatrixKind;
  preference: number;
  /** [rows, cols], the same in both models */
  shape: [number, number];
  a: LocatedTensor;
  b: LocatedTensor;
}

/**
 * The 2-D tensors present in both models under the same name with the same shape, in a decodable
 * dtype, with a known layer (embeddings as EMBEDDING_LAYER); per layer the best `maxPerLayer` by
 * preference (q, up, o, down, k, gate, v projections…). Sorted by layer, then preference.
 */
export function commonMatrices(
  tensorsA: readonly LocatedTensor[],
  tensorsB: readonly LocatedTensor[],
  opts: MatrixSelectionOptions = {},
): CommonMatrix[] {
  const byNameB = new Map(tensorsB.map((t) => [t.name, t]));
  const byNameA = new Map(tensorsA.map((t) => [t.name, t]));
  const ok = (t: LocatedTensor | undefined): t is LocatedTensor =>
    t !== undefined &&
    t.shape.length === 2 &&
    (t.shape[0] as number) > 0 &&
    (t.shape[1] as number) > 0 &&
    ROW_DTYPES.includes(t.dtype);
  const list = candidates(
    byNameA.keys(),
    (name) => {
      const a = byNameA.get(name);
      const b = byNameB.get(name);
      return ok(a) && ok(b) && a.shape[0] === b.shape[0] && a.shape[1] === b.shape[1];
    },
    opts,
  );
  return topPerLayer(list, opts.maxPerLayer ?? DEFAULT_MAX_PER_LAYER).map((c) => {
    const a = byNameA.get(c.name) as LocatedTensor;
    return { ...c, shape: [a.shape[0] as number, a.shape[1] as number], a, b: byNameB.get(c.name) as LocatedTensor };
  });
}
