// Seeded calibration cases with known ground truth: a parent model's norm weights and a child
// derived from it in one of the ways real checkpoints are derived (or not derived at all).
// The γ are shaped like real ones (docs/methods.md §0, §1.8): per-layer means rising 0.3 → 1.0, stds
// 0.02–0.1, a per-channel profile that persists across depth (so layers of one model correlate
// 0.3–0.9), heavy-tailed outlier channels, and every value stored through bf16 rounding.
import { decodeTensor, encodeBf16 } from './dtypes';
import { meanStd } from './metrics';
import { seededRandom, shuffledOrder, standardNormal, type Random } from './random';

export type CaseKind =
  | 'copy'
  | 'fine-tune'
  | 'continued-pretraining'
  | 'depth-upscaled'
  | 'pruned'
  | 'unrelated'
  | 'weak-shared'
  | 'permuted-channels';

export const CASE_KINDS: readonly CaseKind[] = [
  'copy',
  'fine-tune',
  'continued-pretraining',
  'depth-upscaled',
  'pruned',
  'unrelated',
  'weak-shared',
  'permuted-channels',
];

export interface ModelNorms {
  input: Float32Array[];
  post: Float32Array[];
}

export interface CaseOptions {
  hiddenSize?: number;
  /** parent depth */
  layers?: number;
  seed?: number;
}

export interface CalibrationCase {
  kind: CaseKind;
  parent: ModelNorms;
  child: ModelNorms;
  /** parent layer each child layer was made from; null when the child is not derived */
  childLayerSource: number[] | null;
  /** child channel k holds parent channel channelSource[k]; null when channels were not reordered */
  channelSource: Int32Array | null;
}

/** Student-t with ν degrees of freedom: outlier channels come from its tails. */
function studentT(random: Random, nu: number): number {
  let chi2 = 0;
  for (let i = 0; i < nu; i++) chi2 += standardNormal(random) ** 2;
  return standardNormal(random) / Math.sqrt(chi2 / nu);
}

/** Store-and-reload through bf16, as a checkpoint on disk would hold the values. */
function bf16(values: ArrayLike<number>): Float32Array {
  return decodeTensor(encodeBf16(values), 'BF16');
}

/** Each layer's pattern z (unit-ish variance) before mean and scale are applied. */
type Patterns = Float64Array[];

/** Per-channel level shared by all layers + a slow walk over depth + per-layer noise + outlier channels. */
function makePatterns(random: Random, d: number, layers: number, channelLevel: Float64Array): Patterns {
  const walk = Float64Array.from({ length: d }, () => standardNormal(random));
  const outlier = Float64Array.from({ length: d }, () => (random() < 0.002 ? 5 + 7 * random() : 0));
  const patterns: Patterns = [];
  for (let l = 0; l < layers; l++) {
    const z = new Float64Array(d);
    for (let k = 0; k < d; k++) {
      walk[k] = 0.85 * (walk[k] as number) + 0.53 * standardNormal(random); // AR(1), stationary variance ≈ 1
      z[k] =
        0.45 * (channelLevel[k] as number) +
        0.6 * (walk[k] as number) +
        0.55 * standardNormal(random) +
        (outlier[k] as number);
    }
    patterns.push(z);
  }
  return patterns;
}

/** Mean rises with depth 0.3 → 1.0, std 0.02 → 0.1 (post norms a little higher), like real γ. */
function layerScale(l: number, layers: number, role: 'input' | 'post'): { mean: number; std: number } {
  const t = layers > 1 ? l / (layers - 1) : 0;
  const lift = role === 'post' ? 0.05 : 0;
  return { mean: 0.3 + 0.7 * t + lift, std: 0.02 + 0.08 * t };
}

function realize(patterns: { input: Patterns; post: Patterns }): ModelNorms {
  const role = (name: 'input' | 'post') =>
    patterns[name].map((z, l) => {
      const { mean, std } = layerScale(l, patterns[name].length, name);
      return bf16(Array.from(z, (x) => mean + std * x));
    });
  return { input: role('input'), post: role('post') };
}

function makeModelPatterns(random: Random, d: number, layers: number): { input: Patterns; post: Patterns } {
  // The residual channel is shared by both norms, so part of a channel's level is common to both roles.
  const shared = Float64Array.from({ length: d }, () => studentT(random, 4));
  const level = () => Float64Array.from(shared, (s) => 0.8 * s + 0.6 * studentT(random, 4));
  return { input: makePatterns(random, d, layers, level()), post: makePatterns(random, d, layers, level()) };
}

/** Training that barely moves γ: a few values step one bf16 ulp, more of them in early layers. */
function nudgeBits(random: Random, rows: Float32Array[]): Float32Array[] {
  return rows.map((row, l) => {
    const bits = new Uint16Array(encodeBf16(row).buffer);
    const fraction = 0.05 / (1 + l);
    for (let k = 0; k < bits.length; k++)
      if (random() < fraction) bits[k] = (bits[k] as number) + (random() < 0.5 ? 1 : -1);
    return decodeTensor(new Uint8Array(bits.buffer), 'BF16');
  });
}

/** Continued pretraining: every value drifts by `amount` of its layer's std and the scale grows 3%. */
function drift(random: Random, rows: Float32Array[], amount: number): Float32Array[] {
  return rows.map((row) => {
    const { std } = meanStd(row);
    return bf16(Array.from(row, (x) => 1.03 * x + amount * std * standardNormal(random)));
  });
}

const mapRoles = (m: ModelNorms, f: (rows: Float32Array[]) => Float32Array[]): ModelNorms => ({
  input: f(m.input),
  post: f(m.post),
});
const pickLayers = (m: ModelNorms, source: number[]): ModelNorms =>
  mapRoles(m, (rows) => source.map((l) => rows[l] as Float32Array));
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

export function makeCase(kind: CaseKind, options: CaseOptions = {}): CalibrationCase {
  const d = options.hiddenSize ?? 1024,
    layers = options.layers ?? 24;
  const random = seededRandom(options.seed ?? 1);
  const parentPatterns = makeModelPatterns(random, d, layers);
  const parent = realize(parentPatterns);
  const all = range(0, layers - 1);
  const fineTuned = () => mapRoles(parent, (rows) => nudgeBits(random, rows));
  const result = (child: ModelNorms, childLayerSource: number[] | null, channelSource: Int32Array | null = null) => ({
    kind,
    parent,
    child,
    childLayerSource,
    channelSource,
  });
  switch (kind) {
    case 'copy':
      return result(
        mapRoles(parent, (rows) => rows.map((row) => row.slice())),
        all,
      );
    case 'fine-tune':
      return result(fineTuned(), all);
    case 'continued-pretraining':
      return result(
        mapRoles(parent, (rows) => drift(random, rows, 0.6)),
        all,
      );
    case 'depth-upscaled': {
      // SOLAR-style: the first two thirds, then again from one third on (24 layers → 32).
      const source = [...range(0, Math.round((2 * layers) / 3) - 1), ...range(Math.round(layers / 3), layers - 1)];
      return result(pickLayers(fineTuned(), source), source);
    }
    case 'pruned': {
      const dropped = new Set(
        range(Math.floor(layers / 2), Math.floor(layers / 2) + Math.max(1, Math.round(layers / 6)) - 1),
      );
      const source = all.filter((l) => !dropped.has(l));
      return result(pickLayers(fineTuned(), source), source);
    }
    case 'unrelated':
      return result(realize(makeModelPatterns(random, d, layers)), null);
    case 'weak-shared': {
      // Independent models that share a faint common pattern (r ≈ 0.1): real but far below a derivation.
      const own = makeModelPatterns(random, d, layers);
      const mix = (mine: Patterns, theirs: Patterns) =>
        mine.map((z, l) => z.map((x, k) => x + 0.1 * (theirs[l]![k] as number)));
      return result(
        realize({ input: mix(own.input, parentPatterns.input), post: mix(own.post, parentPatterns.post) }),
        null,
      );
    }
    case 'permuted-channels': {
      const channelSource = shuffledOrder(d, random);
      const permute = (rows: Float32Array[]) =>
        rows.map((row) => Float32Array.from(channelSource, (source) => row[source] as number));
      return result(mapRoles(fineTuned(), permute), all, channelSource);
    }
  }
}
