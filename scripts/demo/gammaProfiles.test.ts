import { describe, expect, it } from 'vitest';
import { decodeTensor, encodeBf16 } from '../../src/core/dtypes.ts';
import {
  GLM_AIR_LAYER_STATS,
  SOLAR_OPEN_LAYER_STATS,
  extrapolateStats,
  fineTuneGammas,
  gammaFromPattern,
  generateModelGammas,
  phiLikeStats,
  standardize,
} from './gammaProfiles.ts';
import { createRng, hashSeed, sfc32 } from './random.ts';

const mean = (v: ArrayLike<number>) => Array.from(v).reduce((a, b) => a + b, 0) / v.length;
const std = (v: ArrayLike<number>) => {
  const m = mean(v);
  return Math.sqrt(Array.from(v).reduce((a, b) => a + (b - m) ** 2, 0) / v.length);
};
function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const ma = mean(a);
  const mb = mean(b);
  let s = 0;
  let sa = 0;
  let sb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = (a[i] as number) - ma;
    const y = (b[i] as number) - mb;
    s += x * y;
    sa += x * x;
    sb += y * y;
  }
  return s / Math.sqrt(sa * sb);
}
function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  let sa = 0;
  let sb = 0;
  for (let i = 0; i < a.length; i++) {
    s += (a[i] as number) * (b[i] as number);
    sa += (a[i] as number) ** 2;
    sb += (b[i] as number) ** 2;
  }
  return s / Math.sqrt(sa * sb);
}
const bf16 = (v: Float32Array) => decodeTensor(encodeBf16(v), 'BF16');

describe('random', () => {
  it('is deterministic per seed and differs between seeds', () => {
    const a = createRng(42);
    const b = createRng(42);
    const c = createRng(43);
    const xs = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(xs);
    expect(createRng('glm').uint32()).toBe(createRng('glm').uint32());
    expect(createRng(1).fork('x').next()).toBe(createRng(1).fork('x').next());
    expect(createRng(1).fork('x').next()).not.toBe(createRng(1).fork('y').next());
    expect(hashSeed(1, 'a')).not.toBe(hashSeed(1, 'b'));
    expect(sfc32(1, 2, 3, 4)()).toBe(sfc32(1, 2, 3, 4)());
  });

  it('draws normals and heavy-tailed t with the right moments', () => {
    const rng = createRng(7);
    const n = Array.from({ length: 40_000 }, () => rng.normal());
    expect(Math.abs(mean(n))).toBeLessThan(0.02);
    expect(std(n)).toBeCloseTo(1, 1);
    const t = Array.from({ length: 40_000 }, () => rng.studentT(3));
    const maxAbs = Math.max(...t.map(Math.abs));
    expect(maxAbs).toBeGreaterThan(8); // heavy tails
    const u = Array.from({ length: 10_000 }, () => rng.int(10));
    expect(Math.min(...u)).toBe(0);
    expect(Math.max(...u)).toBe(9);
  });
});

describe('layer statistics', () => {
  it('embeds the CSV columns for 46 layers', () => {
    expect(GLM_AIR_LAYER_STATS.input).toHaveLength(46);
    expect(SOLAR_OPEN_LAYER_STATS.post).toHaveLength(46);
    expect(GLM_AIR_LAYER_STATS.post[43]).toEqual({ mean: 2.3215, std: 0.098269 });
    expect(SOLAR_OPEN_LAYER_STATS.input[0]).toEqual({ mean: 0.016252, std: 0.040566 });
  });

  it('extrapolates Solar to 48 layers along the trend', () => {
    const post = extrapolateStats(SOLAR_OPEN_LAYER_STATS.post, 48);
    expect(post).toHaveLength(48);
    expect(post[46]?.mean).toBeGreaterThan(0.97);
    expect(post[47]?.mean).toBeGreaterThan(post[46]?.mean ?? 0);
    expect(post[47]?.mean).toBeLessThan(1.1);
    expect(post[45]).toEqual(SOLAR_OPEN_LAYER_STATS.post[45]);
  });

  it('gives phi-like stats of the requested depth', () => {
    const s = phiLikeStats(32);
    expect(s.input).toHaveLength(32);
    expect(s.post[31]?.mean).toBeGreaterThan(0.8);
  });
});

describe('gammaFromPattern', () => {
  it('hits the mean and std and stays positive, also when mean < std', () => {
    const rng = createRng(3);
    const z = standardize(Float64Array.from({ length: 4096 }, () => rng.studentT(3)));
    for (const stat of [
      { mean: 0.010872, std: 0.02705 },
      { mean: 0.405, std: 0.13197 },
      { mean: 1.7, std: 0.09 },
    ]) {
      const g = gammaFromPattern(z, stat);
      expect(mean(g)).toBeCloseTo(stat.mean, 3);
      expect(std(g) / stat.std).toBeGreaterThan(0.95);
      expect(std(g) / stat.std).toBeLessThan(1.05);
      expect(Math.min(...g)).toBeGreaterThan(0);
    }
  });
});

describe('generateModelGammas', () => {
  const hidden = 4096;
  const glm = generateModelGammas({ seed: 'glm', hidden, stats: GLM_AIR_LAYER_STATS });
  const solar = generateModelGammas({
    seed: 'solar',
    hidden,
    stats: { input: SOLAR_OPEN_LAYER_STATS.input, post: SOLAR_OPEN_LAYER_STATS.post },
  });

  it('follows the per-layer mean/std of the CSV', () => {
    for (const l of [0, 1, 10, 30, 45]) {
      for (const role of ['input', 'post'] as const) {
        const g = glm[role][l] as Float32Array;
        const s = GLM_AIR_LAYER_STATS[role][l] as { mean: number; std: number };
        expect(Math.abs(mean(g) - s.mean) / s.mean).toBeLessThan(0.01);
        expect(Math.abs(std(g) - s.std) / s.std).toBeLessThan(0.08);
      }
    }
  });

  it('keeps a persistent channel profile across depth within one model', () => {
    for (let l = 3; l < 45; l += 7) {
      const r = pearson(glm.post[l] as Float32Array, glm.post[l + 1] as Float32Array);
      expect(r).toBeGreaterThan(0.3);
      expect(r).toBeLessThan(0.85);
    }
    expect(pearson(glm.input[5] as Float32Array, glm.input[40] as Float32Array)).toBeGreaterThan(0.2);
  });

  it('makes independent models uncorrelated but with raw cosine near 1 where mean >> std', () => {
    const rs: number[] = [];
    for (let l = 0; l < 46; l++) rs.push(pearson(glm.post[l] as Float32Array, solar.post[l] as Float32Array));
    expect(Math.abs(mean(rs))).toBeLessThan(0.02);
    expect(Math.max(...rs.map(Math.abs))).toBeLessThan(0.08);
    expect(cosine(glm.post[30] as Float32Array, solar.post[30] as Float32Array)).toBeGreaterThan(0.99);
    expect(cosine(glm.input[0] as Float32Array, solar.input[0] as Float32Array)).toBeLessThan(0.5);
  });

  it('has heavy-tailed outlier channels and no non-positive values', () => {
    const g = glm.post[20] as Float32Array;
    const m = mean(g);
    const s = std(g);
    const maxZ = g.reduce((acc, x) => Math.max(acc, Math.abs(x - m) / s), 0);
    expect(maxZ).toBeGreaterThan(5);
    for (const v of [...glm.input, ...glm.post])
      expect(v.reduce((a, b) => Math.min(a, b), Infinity)).toBeGreaterThan(0);
  });

  it('is deterministic', () => {
    const again = generateModelGammas({
      seed: 'glm',
      hidden: 256,
      stats: { input: GLM_AIR_LAYER_STATS.input.slice(0, 3), post: GLM_AIR_LAYER_STATS.post.slice(0, 3) },
    });
    const twice = generateModelGammas({
      seed: 'glm',
      hidden: 256,
      stats: { input: GLM_AIR_LAYER_STATS.input.slice(0, 3), post: GLM_AIR_LAYER_STATS.post.slice(0, 3) },
    });
    expect(again.post[2]).toEqual(twice.post[2]);
    expect(again.extra('final', { mean: 1, std: 0.1 })).toEqual(twice.extra('final', { mean: 1, std: 0.1 }));
  });

  it('fine-tunes so that Pearson stays ≈ 1 and the share of changed BF16 values falls with depth', () => {
    const base = glm.post.map(bf16);
    const child = fineTuneGammas(base, { seed: 'sft', round: bf16 });
    const changed = child.map((c, l) => {
      let n = 0;
      const b = base[l] as Float32Array;
      for (let i = 0; i < c.length; i++) if (c[i] !== b[i]) n++;
      return n / c.length;
    });
    expect(changed[0]).toBeGreaterThan(0.8);
    expect(changed[45]).toBeLessThan(0.05);
    expect(mean(changed.slice(0, 5))).toBeGreaterThan(mean(changed.slice(20, 46)));
    for (let l = 0; l < 46; l++)
      expect(pearson(base[l] as Float32Array, child[l] as Float32Array)).toBeGreaterThan(0.99);
  });
});
