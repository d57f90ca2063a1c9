// Compare sampled matrix rows of two models (the same row ids of the same tensors): per row the
// Pearson r and raw cosine between model A's row k and model B's row k, per layer their means, the
// share of bit-identical rows, and a permutation null for the per-layer and overall means.
//
// The null re-pairs rows at random. Rows of unrelated models have no correspondence: under "no
// shared ancestry" A's row k is no more like B's row k than like any other B row of the same width,
// so each shuffle of which B row goes with which A row is as likely as the true pairing. We shuffle
// whole rows within groups of equal width, across tensors and layers at once (one shuffle per draw,
// so layers are never treated as independent tests and a layer with few rows still gets a null).
//
// Why rows and not hidden dimensions: the exact symmetry of independently trained models is a
// relabelling of hidden dimensions, shared by every tensor. That is the columns of q/k/v/gate/up and
// of the embeddings, but the rows of o/down, so a column-permutation null needs per-tensor knowledge
// of which axis is hidden. The row shuffle needs none, and it is conservative where both models share
// column structure for reasons other than ancestry (fixed outlier dimensions, say): such structure
// lifts the shuffled pairs as much as the true ones. What neither null sees: a derivative that
// permuted its hidden dimensions shows r ≈ 0 here, a false "no evidence", never a false "shared".
import { seededRandom } from './sampling.ts';
import { cosine } from './metrics.ts';
import { EMBEDDING_LAYER, type MatrixKind } from './rowSampling.ts';

/** Rows of one tensor, decoded, for one model. */
export interface SampledMatrix {
  name: string;
  layer: number;
  kind: MatrixKind;
  /** the row ids that were read, ascending */
  rowIds: number[];
  cols: number;
  /** rowIds.length × cols, row-major, in rowIds order */
  values: Float32Array;
}

export type RowVerdict = 'shared' | 'no-evidence' | 'inconclusive';

/** Shuffles of the row pairing; p can reach 1/201 ≈ 0.005, below ROW_SHARED_MAX_P. */
export const ROW_PERMUTATIONS = 200;
/** Fewer shuffles are run when the sample is large: dots per shuffle × shuffles stays under this. */
export const ROW_MAX_NULL_WORK = 2.5e8;
/** …but never fewer than this many (p still reaches 1/101 < ROW_SHARED_MAX_P). */
export const ROW_MIN_PERMUTATIONS = 100;
/** "shared": the mean r over layers is at least this (a fine-tune keeps rows near r = 1; unrelated ≈ 0)… */
export const ROW_SHARED_MIN_R = 0.5;
/** …and at most this share of shuffles reach it… */
export const ROW_SHARED_MAX_P = 0.01;
/** …and it stands this many null standard deviations above the shuffled mean. */
export const ROW_SHARED_MIN_Z = 5;
/** Below this p (and above the ceiling) there is a signal worth "inconclusive". */
export const ROW_SIGNAL_MAX_P = 0.05;
/** Unrelated models sit at r ≈ 0 ± 1/√cols; mean r below this is "like unrelated models". */
export const ROW_UNRELATED_R_CEILING = 0.05;
/** With fewer usable row pairs than this no p-value can be small: "inconclusive". */
export const ROW_MIN_ROWS = 8;

export interface TensorRowStats {
  name: string;
  layer: number;
  kind: MatrixKind;
  rows: number;
  cols: number;
  /** row pairs with variance in both rows (Pearson defined) */
  usableRows: number;
  meanPearson: number;
  meanCosine: number;
  /** rows whose values are bit-identical in both models */
  identicalRows: number;
  /** share of identical elements over all sampled elements */
  identicalElementShare: number;
}

export interface LayerRowStats {
  layer: number;
  /** "emb" for embeddings, else the layer index */
  label: string;
  tensors: string[];
  rows: number;
  usableRows: number;
  meanPearson: number;
  meanCosine: number;
  identicalRowShare: number;
  nullMean: number;
  nullSd: number;
  z: number;
  pValue: number;
  /** mean r ≥ ROW_SHARED_MIN_R and z ≥ ROW_SHARED_MIN_Z on this layer alone */
  shared: boolean;
}

export interface RowEvidence {
  label: RowVerdict;
  summary: string;
  /** the statistic: mean over layers (embeddings count as one) of the per-layer mean r */
  meanPearson: number;
  meanCosine: number;
  /** mean r over decoder layers only, and over the embedding rows (NaN when absent) */
  decoderMeanPearson: number;
  embeddingMeanPearson: number;
  identicalRowShare: number;
  identicalElementShare: number;
  rows: number;
  usableRows: number;
  decoderLayers: number;
  nullMean: number;
  nullSd: number;
  z: number;
  pValue: number;
  permutations: number;
  layers: LayerRowStats[];
  tensors: TensorRowStats[];
  /** plain-words lines with the numbers behind the label */
  reasons: string[];
  /** which null was used, in one sentence */
  nullDescription: string;
  /** tensors present in only one sample or with different rows (skipped) */
  skipped: string[];
}

export interface RowEvidenceOptions {
  permutations?: number;
  seed?: number;
}

export const ROW_NULL_DESCRIPTION =
  "B's sampled rows re-paired at random with A's rows of the same width (one shuffle across all layers per draw): unrelated models have no row correspondence.";

/** Centered, unit-norm copy of a row in float64; null when the row has no variance. */
function standardize(row: Float32Array): Float64Array | null {
  let mean = 0;
  for (let i = 0; i < row.length; i++) mean += row[i] as number;
  mean /= row.length;
  const out = new Float64Array(row.length);
  let ss = 0;
  for (let i = 0; i < row.length; i++) {
    const v = (row[i] as number) - mean;
    out[i] = v;
    ss += v * v;
  }
  if (!(ss > 0) || !Number.isFinite(ss)) return null;
  const inv = 1 / Math.sqrt(ss);
  for (let i = 0; i < out.length; i++) out[i] = (out[i] as number) * inv;
  return out;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
  return s;
}

function identicalCount(a: Float32Array, b: Float32Array): number {
  // decoding BF16/F16/F32 to F32 is exact and one-to-one, so equal bits here mean equal stored bits
  const x = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const y = new Uint32Array(b.buffer, b.byteOffset, b.length);
  let n = 0;
  for (let i = 0; i < x.length; i++) if (x[i] === y[i]) n++;
  return n;
}

const mean = (v: readonly number[]) => (v.length ? v.reduce((s, x) => s + x, 0) / v.length : NaN);
const finite = (v: readonly number[]) => v.filter((x) => Number.isFinite(x));

function meanSd(v: readonly number[]): { mean: number; sd: number } {
  const m = mean(v);
  const sd = v.length > 1 ? Math.sqrt(v.reduce((s, x) => s + (x - m) ** 2, 0) / (v.length - 1)) : 0;
  return { mean: m, sd };
}

function zScore(observed: number, m: number, sd: number): number {
  if (!Number.isFinite(observed) || !Number.isFinite(m)) return NaN;
  if (sd > 0) return (observed - m) / sd;
  if (observed === m) return 0;
  return observed > m ? Infinity : -Infinity;
}

const fixed = (x: number, digits = 3) => (Number.isFinite(x) ? x.toFixed(digits) : 'n/a');
const percent = (x: number) => (Number.isFinite(x) ? `${Math.round(x * 100)}%` : 'n/a');

/** Dot product of two rows inside flat arrays; four accumulators keep the loop pipelined. */
function dotAt(a: Float32Array, ao: number, b: Float32Array, bo: number, len: number): number {
  let s0 = 0,
    s1 = 0,
    s2 = 0,
    s3 = 0;
  let i = 0;
  for (; i + 3 < len; i += 4) {
    s0 += (a[ao + i] as number) * (b[bo + i] as number);
    s1 += (a[ao + i + 1] as number) * (b[bo + i + 1] as number);
    s2 += (a[ao + i + 2] as number) * (b[bo + i + 2] as number);
    s3 += (a[ao + i + 3] as number) * (b[bo + i + 3] as number);
  }
  for (; i < len; i++) s0 += (a[ao + i] as number) * (b[bo + i] as number);
  return s0 + s1 + s2 + s3;
}

/**
 * The row comparison of two samples of the same tensors and rows (matched by name). Tensors that
 * appear in only one sample, or with other rows or widths, are skipped and listed.
 */
export function compareRowSamples(
  sampleA: readonly SampledMatrix[],
  sampleB: readonly SampledMatrix[],
  options: RowEvidenceOptions = {},
): RowEvidence {
  const byNameB = new Map(sampleB.map((m) => [m.name, m]));
  const skipped: string[] = [];
  const tensors: TensorRowStats[] = [];
  const layerIds = [...new Set(sampleA.map((m) => m.layer))].sort((x, y) => x - y);
  const slotOf = new Map(layerIds.map((l, i) => [l, i]));
  const perLayer = layerIds.map((layer) => ({
    layer,
    tensors: [] as string[],
    r: [] as number[],
    cos: [] as number[],
    rows: 0,
    identical: 0,
  }));
  const groups = new Map<number, { cols: number; a: Float64Array[]; b: Float64Array[]; slots: number[] }>();
  let identicalElements = 0;
  let elements = 0;

  for (const a of sampleA) {
    const b = byNameB.get(a.name);
    const sameRows =
      b && b.cols === a.cols && b.rowIds.length === a.rowIds.length && b.rowIds.every((id, i) => id === a.rowIds[i]);
    if (!b || !sameRows || a.values.length !== a.rowIds.length * a.cols || b.values.length !== a.values.length) {
      skipped.push(a.name);
      continue;
    }
    const slot = slotOf.get(a.layer) as number;
    const layer = perLayer[slot] as (typeof perLayer)[number];
    layer.tensors.push(a.name);
    const r: number[] = [];
    const cos: number[] = [];
    let identicalRows = 0;
    let identicalHere = 0;
    for (let k = 0; k < a.rowIds.length; k++) {
      const ra = a.values.subarray(k * a.cols, (k + 1) * a.cols);
      const rb = b.values.subarray(k * a.cols, (k + 1) * a.cols);
      const same = identicalCount(ra, rb);
      identicalHere += same;
      if (same === a.cols) identicalRows++;
      cos.push(cosine(ra, rb));
      const sa = standardize(ra);
      const sb = standardize(rb);
      if (sa && sb) {
        const rk = dot(sa, sb);
        r.push(rk);
        const group = groups.get(a.cols) ?? { cols: a.cols, a: [], b: [], slots: [] };
        group.a.push(sa);
        group.b.push(sb);
        group.slots.push(slot);
        groups.set(a.cols, group);
      }
    }
    identicalElements += identicalHere;
    elements += a.values.length;
    layer.r.push(...r);
    layer.cos.push(...finite(cos));
    layer.rows += a.rowIds.length;
    layer.identical += identicalRows;
    tensors.push({
      name: a.name,
      layer: a.layer,
      kind: a.kind,
      rows: a.rowIds.length,
      cols: a.cols,
      usableRows: r.length,
      meanPearson: mean(r),
      meanCosine: mean(finite(cos)),
      identicalRows,
      identicalElementShare: a.values.length ? identicalHere / a.values.length : NaN,
    });
  }
  for (const b of sampleB) if (!sampleA.some((a) => a.name === b.name)) skipped.push(b.name);

  // observed: per-layer mean r, then the mean over layers that have usable rows
  const observedLayer = perLayer.map((l) => mean(l.r));
  const usedSlots = perLayer.map((l, i) => i).filter((i) => (perLayer[i] as (typeof perLayer)[number]).r.length > 0);
  const statistic = (layerMeans: readonly number[]) => mean(usedSlots.map((i) => layerMeans[i] as number));
  const observed = statistic(observedLayer);

  // null: shuffle the B side within each width group, all groups in one draw
  const flat = [...groups.values()].map((g) => {
    const a = new Float32Array(g.a.length * g.cols);
    const b = new Float32Array(g.b.length * g.cols);
    g.a.forEach((row, i) => a.set(row, i * g.cols));
    g.b.forEach((row, i) => b.set(row, i * g.cols));
    return {
      cols: g.cols,
      n: g.a.length,
      a,
      b,
      slots: Int32Array.from(g.slots),
      perm: Int32Array.from({ length: g.a.length }, (_, i) => i),
    };
  });
  const totalDots = flat.reduce((s, g) => s + g.cols * g.n, 0);
  const wanted = Math.max(1, Math.floor(options.permutations ?? ROW_PERMUTATIONS));
  const permutations =
    totalDots === 0
      ? 0
      : Math.max(Math.min(wanted, ROW_MIN_PERMUTATIONS), Math.min(wanted, Math.floor(ROW_MAX_NULL_WORK / totalDots)));
  const rand = seededRandom(options.seed ?? 1);
  const nullLayer: number[][] = perLayer.map(() => []);
  const nullStat: number[] = [];
  const sums = new Float64Array(perLayer.length);
  const counts = new Float64Array(perLayer.length);
  for (let p = 0; p < permutations; p++) {
    sums.fill(0);
    counts.fill(0);
    for (const g of flat) {
      const perm = g.perm;
      for (let i = g.n - 1; i > 0; i--) {
        const j = Math.floor(rand() * (i + 1));
        const t = perm[i] as number;
        perm[i] = perm[j] as number;
        perm[j] = t;
      }
      for (let i = 0; i < g.n; i++) {
        const slot = g.slots[i] as number;
        sums[slot] = (sums[slot] as number) + dotAt(g.a, i * g.cols, g.b, (perm[i] as number) * g.cols, g.cols);
        counts[slot] = (counts[slot] as number) + 1;
      }
    }
    const means = Array.from(sums, (s, i) => ((counts[i] as number) > 0 ? s / (counts[i] as number) : NaN));
    means.forEach((m, i) => (nullLayer[i] as number[]).push(m));
    nullStat.push(statistic(means));
  }
  const pOf = (obs: number, draws: readonly number[]) =>
    Number.isFinite(obs) && draws.length
      ? (1 + draws.filter((d) => d >= obs - 1e-12).length) / (draws.length + 1)
      : NaN;
  const overallNull = meanSd(nullStat);
  const z = zScore(observed, overallNull.mean, overallNull.sd);
  const pValue = pOf(observed, nullStat);

  const layers: LayerRowStats[] = perLayer
    .map((l, i) => {
      const nl = meanSd(finite(nullLayer[i] as number[]));
      const obs = observedLayer[i] as number;
      const lz = zScore(obs, nl.mean, nl.sd);
      return {
        layer: l.layer,
        label: l.layer === EMBEDDING_LAYER ? 'emb' : String(l.layer),
        tensors: l.tensors,
        rows: l.rows,
        usableRows: l.r.length,
        meanPearson: obs,
        meanCosine: mean(l.cos),
        identicalRowShare: l.rows ? l.identical / l.rows : NaN,
        nullMean: nl.mean,
        nullSd: nl.sd,
        z: lz,
        pValue: pOf(obs, finite(nullLayer[i] as number[])),
        shared: l.r.length >= 2 && obs >= ROW_SHARED_MIN_R && lz >= ROW_SHARED_MIN_Z,
      };
    })
    .filter((l) => l.rows > 0);

  const rows = layers.reduce((s, l) => s + l.rows, 0);
  const usableRows = layers.reduce((s, l) => s + l.usableRows, 0);
  const identicalRowShare = rows ? layers.reduce((s, l) => s + l.identicalRowShare * l.rows, 0) / rows : NaN;
  const decoder = layers.filter((l) => l.layer !== EMBEDDING_LAYER && l.usableRows > 0);
  const embedding = layers.find((l) => l.layer === EMBEDDING_LAYER);
  const decoderMeanPearson = mean(decoder.map((l) => l.meanPearson));
  const embeddingMeanPearson = embedding && embedding.usableRows > 0 ? embedding.meanPearson : NaN;
  const meanCosine = mean(finite(layers.map((l) => l.meanCosine)));

  const sharedLayers = layers.filter((l) => l.shared);
  const reasons: string[] = [];
  let label: RowVerdict;
  if (usableRows < ROW_MIN_ROWS) {
    label = 'inconclusive';
    reasons.push(
      `Only ${usableRows} usable row pairs (at least ${ROW_MIN_ROWS} are needed for a p-value that can be small).`,
    );
  } else if (observed >= ROW_SHARED_MIN_R && pValue <= ROW_SHARED_MAX_P && z >= ROW_SHARED_MIN_Z) {
    label = 'shared';
    reasons.push(
      `Mean r ${fixed(observed)} ≥ ${ROW_SHARED_MIN_R}, z ${fixed(z, 1)} ≥ ${ROW_SHARED_MIN_Z} and p ${fixed(pValue, 3)} ≤ ${ROW_SHARED_MAX_P} against ${permutations} shuffles of the row pairing.`,
    );
  } else if ((pValue <= ROW_SIGNAL_MAX_P && observed > ROW_UNRELATED_R_CEILING) || sharedLayers.length > 0) {
    label = 'inconclusive';
    if (pValue <= ROW_SIGNAL_MAX_P && observed > ROW_UNRELATED_R_CEILING) {
      reasons.push(
        `Mean r ${fixed(observed)} beats the shuffled pairs (p ${fixed(pValue, 3)}) but is below the ${ROW_SHARED_MIN_R} needed for "shared".`,
      );
    }
    if (sharedLayers.length > 0) {
      reasons.push(
        `Rows match on ${sharedLayers.length} of ${layers.length} layers only (${sharedLayers.map((l) => l.label).join(', ')}): partial reuse, or an accident of the sample.`,
      );
    }
  } else {
    label = 'no-evidence';
    reasons.push(
      `Mean r ${fixed(observed)} is what shuffled row pairs give (${fixed(overallNull.mean)} ± ${fixed(overallNull.sd)}, p ${fixed(pValue, 3)}): like unrelated models.`,
    );
  }
  reasons.push(
    `${usableRows} row pairs in ${layers.length} layers; ${percent(identicalRowShare)} of rows and ${percent(elements ? identicalElements / elements : NaN)} of values bit-identical.`,
  );
  if (skipped.length) reasons.push(`${skipped.length} tensor(s) skipped: not sampled alike in both models.`);

  const evidence: RowEvidence = {
    label,
    summary: '',
    meanPearson: observed,
    meanCosine,
    decoderMeanPearson,
    embeddingMeanPearson,
    identicalRowShare,
    identicalElementShare: elements ? identicalElements / elements : NaN,
    rows,
    usableRows,
    decoderLayers: decoder.length,
    nullMean: overallNull.mean,
    nullSd: overallNull.sd,
    z,
    pValue,
    permutations,
    layers,
    tensors,
    reasons,
    nullDescription: ROW_NULL_DESCRIPTION,
    skipped,
  };
  evidence.summary = summarizeRowEvidence(evidence);
  return evidence;
}

/** What the decoder-layer rows are: "attention/MLP", "attention", "MLP" or "matrix". */
function scopeOf(tensors: readonly TensorRowStats[]): string {
  const kinds = new Set(tensors.filter((t) => t.layer !== EMBEDDING_LAYER).map((t) => t.kind));
  const attention = kinds.has('attention');
  const mlp = kinds.has('mlp');
  if (attention && mlp) return 'attention/MLP';
  if (attention) return 'attention';
  return mlp ? 'MLP' : 'matrix';
}

/**
 * One line: "attention/MLP rows: mean r 0.998 over 12 layers, 96% rows identical; embeddings r 1.000"
 * or "attention/MLP rows: mean r 0.003 over 46 layers, like unrelated models".
 */
export function summarizeRowEvidence(e: RowEvidence): string {
  const parts: string[] = [];
  const embedding = e.layers.find((l) => l.layer === EMBEDDING_LAYER);
  const decoder = e.layers.filter((l) => l.layer !== EMBEDDING_LAYER);
  if (decoder.length > 0) {
    const rows = decoder.reduce((s, l) => s + l.rows, 0);
    const identical = rows ? decoder.reduce((s, l) => s + l.identicalRowShare * l.rows, 0) / rows : NaN;
    const n = e.decoderLayers;
    let line = `${scopeOf(e.tensors)} rows: mean r ${fixed(e.decoderMeanPearson)} over ${n} layer${n === 1 ? '' : 's'}`;
    if (e.label === 'no-evidence') line += ', like unrelated models';
    else line += `, ${percent(identical)} rows identical`;
    parts.push(line);
  }
  if (embedding && embedding.usableRows > 0) {
    parts.push(
      `${decoder.length ? 'embeddings' : 'embedding rows'}: mean r ${fixed(embedding.meanPearson)}${e.label === 'no-evidence' && !decoder.length ? ', like unrelated models' : ''}`,
    );
  }
  if (parts.length === 0) return 'no comparable rows';
  return parts.join('; ');
}
