// Realistic synthetic RMSNorm γ vectors for the demo repos.
//
// Real γ has (1) per-layer mean/std that drift smoothly with depth, (2) a per-channel profile that
// persists across the layers of one model (neighbouring layers correlate at r ≈ 0.3–0.8), (3)
// heavy-tailed outlier channels and (4) mostly positive values. We build
//   z_l = standardize(wP·P + wR·R_role + wD·D_l + wN·N_l)
// with P a model-wide Student-t profile, R_role a per-role Student-t profile, D_l an AR(1) drift
// over depth and N_l fresh noise, then map z_l to γ_l with the layer's mean and std (log-normal
// when the mean is small against the std, so values stay positive). Two independently seeded
// models then have Pearson ≈ N(0, 1/d) while raw cosine stays near 1 where mean ≫ std.

import type { NormRole } from '../../src/core/types.ts';
import { meanStd } from '../../src/core/metrics.ts';
import { createRng, type Rng } from './random.ts';

export interface LayerStat {
  mean: number;
  std: number;
}

/** The demo models carry the two classic roles; the other roles are not synthesised here. */
export type DemoRole = Extract<NormRole, 'input' | 'post'>;
export type RoleStats = Record<DemoRole, LayerStat[]>;

const pairs = (rows: [number, number][]): LayerStat[] => rows.map(([mean, std]) => ({ mean, std }));

/** GLM-4.5-Air per-layer γ mean/std (column B of solar-glm-layer-stats.csv), layers 0–45. */
export const GLM_AIR_LAYER_STATS: RoleStats = {
  input: pairs([
    [0.010872, 0.02705],
    [0.038813, 0.079659],
    [0.12233, 0.061049],
    [0.33564, 0.085279],
    [0.27844, 0.058443],
    [0.41466, 0.087275],
    [0.32134, 0.077828],
    [0.47589, 0.064402],
    [0.41947, 0.047846],
    [0.43936, 0.048242],
    [0.49699, 0.046547],
    [0.46307, 0.049115],
    [0.49677, 0.049566],
    [0.57028, 0.046838],
    [0.55526, 0.051454],
    [0.5463, 0.052783],
    [0.61282, 0.058847],
    [0.6479, 0.057962],
    [0.64622, 0.058633],
    [0.65192, 0.055098],
    [0.64785, 0.055031],
    [0.72748, 0.053056],
    [0.66242, 0.050763],
    [0.64209, 0.051475],
    [0.71321, 0.049481],
    [0.69165, 0.053543],
    [0.69841, 0.054369],
    [0.7643, 0.053149],
    [0.77346, 0.052327],
    [0.68907, 0.049227],
    [0.77467, 0.058217],
    [0.77999, 0.056345],
    [0.75415, 0.057268],
    [0.72263, 0.069371],
    [0.82692, 0.069615],
    [0.79652, 0.06401],
    [0.80977, 0.064554],
    [0.836, 0.060906],
    [0.80998, 0.067411],
    [0.85078, 0.065352],
    [0.8316, 0.073827],
    [0.84733, 0.066099],
    [0.84854, 0.074406],
    [0.91284, 0.074796],
    [0.80319, 0.076152],
    [0.83683, 0.06888],
  ]),
  post: pairs([
    [0.065515, 0.025237],
    [0.405, 0.13197],
    [0.51754, 0.12464],
    [0.56422, 0.10729],
    [0.61032, 0.10539],
    [0.67178, 0.098863],
    [0.6999, 0.09224],
    [0.78049, 0.095165],
    [0.85029, 0.098543],
    [0.90583, 0.099165],
    [0.94759, 0.10076],
    [0.98883, 0.099902],
    [1.022, 0.10453],
    [1.0958, 0.11904],
    [1.1442, 0.11999],
    [1.1706, 0.11461],
    [1.2212, 0.11199],
    [1.2538, 0.10563],
    [1.2969, 0.10328],
    [1.3294, 0.099583],
    [1.379, 0.10277],
    [1.4217, 0.094312],
    [1.4462, 0.094371],
    [1.4778, 0.095634],
    [1.5158, 0.098708],
    [1.5587, 0.096382],
    [1.5951, 0.098745],
    [1.6079, 0.096448],
    [1.6764, 0.09829],
    [1.6861, 0.09695],
    [1.7012, 0.09322],
    [1.7454, 0.092868],
    [1.7679, 0.091183],
    [1.7994, 0.092028],
    [1.8738, 0.09619],
    [1.904, 0.094806],
    [1.9423, 0.09592],
    [1.9964, 0.096934],
    [2.0673, 0.096006],
    [2.0949, 0.092965],
    [2.1794, 0.091696],
    [2.2727, 0.094999],
    [2.2534, 0.09457],
    [2.3215, 0.098269],
    [2.2626, 0.10759],
    [2.0449, 0.09643],
  ]),
};

/** Solar-Open-100B per-layer γ mean/std (column A of solar-glm-layer-stats.csv), layers 0–45 of 48. */
export const SOLAR_OPEN_LAYER_STATS: RoleStats = {
  input: pairs([
    [0.016252, 0.040566],
    [0.073198, 0.053451],
    [0.071503, 0.028582],
    [0.084848, 0.02998],
    [0.12287, 0.036386],
    [0.1578, 0.037159],
    [0.12799, 0.033879],
    [0.16086, 0.037578],
    [0.17859, 0.036313],
    [0.25175, 0.037905],
    [0.23574, 0.040956],
    [0.22893, 0.029301],
    [0.22792, 0.02912],
    [0.23534, 0.028406],
    [0.23399, 0.02866],
    [0.27003, 0.032357],
    [0.28322, 0.03097],
    [0.26953, 0.030534],
    [0.26926, 0.028108],
    [0.25982, 0.029583],
    [0.32199, 0.031619],
    [0.29541, 0.030383],
    [0.2844, 0.028736],
    [0.31149, 0.031039],
    [0.30717, 0.032152],
    [0.31758, 0.031098],
    [0.30935, 0.031843],
    [0.35215, 0.029316],
    [0.33371, 0.030675],
    [0.32487, 0.029028],
    [0.29378, 0.032517],
    [0.35066, 0.031689],
    [0.34904, 0.031707],
    [0.34627, 0.031646],
    [0.33357, 0.031462],
    [0.3626, 0.032333],
    [0.32099, 0.031993],
    [0.32495, 0.035771],
    [0.364, 0.032101],
    [0.35507, 0.03225],
    [0.34916, 0.03359],
    [0.34917, 0.038456],
    [0.34633, 0.038503],
    [0.32902, 0.036326],
    [0.35392, 0.037935],
    [0.35186, 0.03074],
  ]),
  post: pairs([
    [0.14563, 0.063601],
    [0.17212, 0.05842],
    [0.21495, 0.050269],
    [0.24236, 0.045262],
    [0.26665, 0.04373],
    [0.28365, 0.041719],
    [0.294, 0.038994],
    [0.30511, 0.039819],
    [0.31228, 0.041903],
    [0.32587, 0.040773],
    [0.33875, 0.040119],
    [0.3557, 0.039985],
    [0.36428, 0.039121],
    [0.37625, 0.03891],
    [0.39363, 0.040186],
    [0.41344, 0.041511],
    [0.42608, 0.041068],
    [0.43664, 0.038636],
    [0.44539, 0.038266],
    [0.45666, 0.037349],
    [0.46747, 0.035776],
    [0.48351, 0.036515],
    [0.49489, 0.034945],
    [0.50931, 0.035274],
    [0.53237, 0.033449],
    [0.54269, 0.030036],
    [0.57054, 0.035349],
    [0.58051, 0.034005],
    [0.60342, 0.035265],
    [0.62538, 0.03613],
    [0.64728, 0.036254],
    [0.66871, 0.036286],
    [0.67378, 0.035346],
    [0.68828, 0.036356],
    [0.70773, 0.037559],
    [0.72946, 0.038132],
    [0.74481, 0.03862],
    [0.77654, 0.038614],
    [0.79116, 0.037899],
    [0.81458, 0.039461],
    [0.83897, 0.040476],
    [0.85707, 0.0423],
    [0.89802, 0.045302],
    [0.90881, 0.050222],
    [0.94107, 0.056934],
    [0.97486, 0.066844],
  ]),
};

/** Extends a per-layer series to `total` layers by a least-squares line through the last `fitLast`. */
export function extrapolateStats(stats: readonly LayerStat[], total: number, fitLast = 6): LayerStat[] {
  const out = stats.slice(0, total).map((s) => ({ ...s }));
  if (out.length >= total) return out;
  const tail = stats.slice(-Math.min(fitLast, stats.length));
  const x0 = stats.length - tail.length;
  const fit = (pick: (s: LayerStat) => number) => {
    const n = tail.length;
    const xs = tail.map((_, i) => x0 + i);
    const ys = tail.map(pick);
    const mx = xs.reduce((a, b) => a + b, 0) / n;
    const my = ys.reduce((a, b) => a + b, 0) / n;
    let sxy = 0;
    let sxx = 0;
    for (let i = 0; i < n; i++) {
      sxy += ((xs[i] as number) - mx) * ((ys[i] as number) - my);
      sxx += ((xs[i] as number) - mx) ** 2;
    }
    const slope = sxx > 0 ? sxy / sxx : 0;
    return (x: number) => my + slope * (x - mx);
  };
  const mean = fit((s) => s.mean);
  const std = fit((s) => s.std);
  const last = stats[stats.length - 1] ?? { mean: 1, std: 0.05 };
  for (let l = stats.length; l < total; l++) {
    out.push({ mean: mean(l), std: Math.max(std(l), last.std * 0.5) });
  }
  return out;
}

/** A plausible phi-3-like depth profile (no published numbers; smooth, seeded jitter). */
export function phiLikeStats(layers: number, seed = 3): RoleStats {
  const rng = createRng(seed);
  const input: LayerStat[] = [];
  const post: LayerStat[] = [];
  for (let l = 0; l < layers; l++) {
    const t = layers > 1 ? l / (layers - 1) : 0;
    const jitter = () => 1 + 0.04 * rng.normal();
    input.push(
      l === 0
        ? { mean: 0.048, std: 0.061 }
        : { mean: (0.38 + 0.5 * Math.sqrt(t)) * jitter(), std: (0.052 + 0.025 * t * t) * jitter() },
    );
    post.push({ mean: (0.3 + 0.72 * t) * jitter(), std: (0.075 - 0.02 * t + 0.03 * t * t) * jitter() });
  }
  return { input, post };
}

/** Relative weights of the components of z (they are squared-normalised). */
export interface ProfileMix {
  /** model-wide channel profile shared by every layer and both roles */
  persistent: number;
  /** per-role channel profile shared by all layers of one role */
  role: number;
  /** AR(1) drift over depth */
  drift: number;
  /** fresh per-layer noise */
  noise: number;
  /** AR(1) coefficient of the drift between neighbouring layers */
  driftRho: number;
  /** degrees of freedom of the heavy-tailed profiles (integer) */
  tailDof: number;
}

/** Gives neighbour r ≈ 0.65 and far-layer r ≈ 0.4 within one role. */
export const DEFAULT_MIX: ProfileMix = {
  persistent: 0.25,
  role: 0.15,
  drift: 0.3,
  noise: 0.3,
  driftRho: 0.85,
  tailDof: 3,
};

/** Empirical standardisation to mean 0, std 1 (in place). */
export function standardize(v: Float64Array): Float64Array {
  const { mean, std } = meanStd(v);
  const sd = std || 1;
  for (let i = 0; i < v.length; i++) v[i] = ((v[i] as number) - mean) / sd;
  return v;
}

function draw(rng: Rng, d: number, dof: number | null): Float64Array {
  const v = new Float64Array(d);
  for (let i = 0; i < d; i++) v[i] = dof === null ? rng.normal() : rng.studentT(dof);
  return standardize(v);
}

/**
 * Maps a standardised pattern to γ with the given mean and std. When the mean is small against
 * the std (early layers) a log-normal keeps every value positive with a long right tail;
 * otherwise γ = mean + std·z, floored just above zero.
 */
export function gammaFromPattern(z: Float64Array, stat: LayerStat): Float32Array {
  const out = new Float32Array(z.length);
  const { mean, std } = stat;
  if (mean > 0 && mean < 4 * std) {
    // exp(s·z) has a coefficient of variation that grows with s; heavy-tailed z makes the
    // textbook log-normal s overshoot, so find s by bisection, then scale to the exact mean.
    const clamped = z.map((x) => Math.max(-5, Math.min(5, x)));
    const tmp = new Float64Array(z.length);
    const cvAt = (s: number): number => {
      let sum = 0;
      for (let i = 0; i < z.length; i++) sum += tmp[i] = Math.exp(s * (clamped[i] as number));
      const m = sum / z.length;
      let ss = 0;
      for (const x of tmp) ss += (x - m) ** 2;
      return Math.sqrt(ss / z.length) / m;
    };
    const target = std / mean;
    let lo = 0;
    let hi = 4 * Math.sqrt(Math.log(1 + target * target)) + 0.1;
    for (let k = 0; k < 40; k++) {
      const mid = (lo + hi) / 2;
      if (cvAt(mid) < target) lo = mid;
      else hi = mid;
    }
    cvAt((lo + hi) / 2);
    let sum = 0;
    for (const x of tmp) sum += x;
    const scale = mean / (sum / z.length);
    for (let i = 0; i < z.length; i++) out[i] = (tmp[i] as number) * scale;
    return out;
  }
  const floor = mean > 0 ? Math.max(1e-3, 0.02 * mean) : -Infinity;
  for (let i = 0; i < z.length; i++) out[i] = Math.max(floor, mean + std * (z[i] as number));
  return out;
}

export interface ModelGammas {
  input: Float32Array[];
  post: Float32Array[];
  /** another vector of the same model (final norm, MTP norms…): shares the model's persistent profile */
  extra(label: string, stat: LayerStat): Float32Array;
}

export interface GenerateGammasOptions {
  seed: number | string;
  hidden: number;
  /** one entry per layer per role (the two lists must have the same length) */
  stats: RoleStats;
  mix?: Partial<ProfileMix>;
}

/** γ vectors of one synthetic model: a persistent channel profile plus depth drift and noise. */
export function generateModelGammas(opts: GenerateGammasOptions): ModelGammas {
  const mix = { ...DEFAULT_MIX, ...opts.mix };
  const rng = createRng(opts.seed);
  const d = opts.hidden;
  const layers = opts.stats.input.length;
  if (opts.stats.post.length !== layers) throw new Error('input and post stats must cover the same layers');
  const norm = Math.sqrt(mix.persistent + mix.role + mix.drift + mix.noise);
  const w = {
    p: Math.sqrt(mix.persistent) / norm,
    r: Math.sqrt(mix.role) / norm,
    d: Math.sqrt(mix.drift) / norm,
    n: Math.sqrt(mix.noise) / norm,
  };
  const persistent = draw(rng.fork('persistent'), d, mix.tailDof);
  const rho = mix.driftRho;
  const innovation = Math.sqrt(1 - rho * rho);

  const result: Record<DemoRole, Float32Array[]> = { input: [], post: [] };
  for (const role of ['input', 'post'] as const) {
    const roleRng = rng.fork(role);
    const roleProfile = draw(roleRng.fork('profile'), d, mix.tailDof);
    let drift = draw(roleRng.fork('drift-0'), d, null);
    for (let l = 0; l < layers; l++) {
      if (l > 0) {
        const fresh = draw(roleRng.fork(`drift-${l}`), d, null);
        const next = new Float64Array(d);
        for (let i = 0; i < d; i++) next[i] = rho * (drift[i] as number) + innovation * (fresh[i] as number);
        drift = standardize(next);
      }
      const noise = draw(roleRng.fork(`noise-${l}`), d, null);
      const z = new Float64Array(d);
      for (let i = 0; i < d; i++) {
        z[i] =
          w.p * (persistent[i] as number) +
          w.r * (roleProfile[i] as number) +
          w.d * (drift[i] as number) +
          w.n * (noise[i] as number);
      }
      result[role].push(gammaFromPattern(standardize(z), opts.stats[role][l] as LayerStat));
    }
  }

  const extra = (label: string, stat: LayerStat): Float32Array => {
    const noise = draw(rng.fork(`extra-${label}`), d, null);
    const z = new Float64Array(d);
    const a = Math.sqrt(0.4);
    const b = Math.sqrt(0.6);
    for (let i = 0; i < d; i++) z[i] = a * (persistent[i] as number) + b * (noise[i] as number);
    return gammaFromPattern(standardize(z), stat);
  };
  return { input: result.input, post: result.post, extra };
}

export interface FineTuneOptions {
  seed: number | string;
  /** std of the update for layer l (default 1e-3, a bit larger in early layers) */
  sigma?: (layer: number) => number;
  /** storage rounding applied to the result (e.g. round-trip through BF16) */
  round: (values: Float32Array) => Float32Array;
}

export const defaultFineTuneSigma = (layer: number): number => 1e-3 * (1 + 1.5 * Math.exp(-layer / 5));

/**
 * A fine-tuned child: round(γ_base + δ) with δ ~ N(0, σ_l). Because the storage grid (BF16) is
 * coarser for larger γ, the share of stored values that actually change falls with depth as the
 * mean γ grows — the pattern seen between GLM-4.5-Air and INTELLECT-3.
 */
export function fineTuneGammas(base: readonly Float32Array[], opts: FineTuneOptions): Float32Array[] {
  const sigma = opts.sigma ?? defaultFineTuneSigma;
  return base.map((g, l) => {
    const rng = createRng(`${String(opts.seed)}/finetune/${l}`);
    const s = sigma(l);
    const out = new Float32Array(g.length);
    for (let i = 0; i < g.length; i++) out[i] = (g[i] as number) + s * rng.normal();
    return opts.round(out);
  });
}
