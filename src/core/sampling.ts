// Quartile-stratified sampling of dimensions for the intuition bars (seed Figure 1 a/b).
import { sampleWithoutReplacement, seededRandom } from './random';

/**
 * n dimensions, n/4 drawn without replacement from each quartile of the pair's mean
 * (a+b)/2, returned sorted by that mean so the bars read left to right.
 */
export function sampleByQuartile(a: Float32Array, b: Float32Array, n: number, seed: number): number[] {
  const d = Math.min(a.length, b.length);
  const order = Array.from({ length: d }, (_, i) => i);
  const mean = (i: number) => (a[i]! + b[i]!) / 2;
  order.sort((x, y) => mean(x) - mean(y));
  const rand = seededRandom(seed);
  const perQuartile = Math.max(1, Math.floor(n / 4));
  const picked: number[] = [];
  for (let q = 0; q < 4; q++) {
    const pool = order.slice(Math.floor((q * d) / 4), Math.floor(((q + 1) * d) / 4));
    picked.push(...sampleWithoutReplacement(pool, perQuartile, rand));
  }
  return picked.sort((x, y) => mean(x) - mean(y));
}
