// Recipe statistics of the sampled blocks (issue 14 item 6): per-layer std curves and row-norm
// profiles, and how well the two models' curves correlate. Descriptive only, never evidence: unrelated
// models trained the same way agree on them (docs/methods.md §2.5: 0.91 between DeepSeek-LLM-7B and
// Llama-2-7B; the Pangu–Qwen accusation rested on 0.927).
import { pearson } from '../metrics';
import type { DeepRole, RowBlock, StdProfile } from './types';

export const RECIPE_CAVEAT =
  'Recipe statistics, not evidence of ancestry: models trained the same way share std curves and row-norm ' +
  'profiles whatever their initialisation. Unrelated DeepSeek-LLM-7B and Llama-2-7B reach a std-curve ' +
  'correlation of 0.91 (docs/methods.md §2.5), close to the 0.927 once cited as proof for Pangu Pro MoE vs Qwen2.5-14B.';

const RECIPE_ROLES: DeepRole[] = ['q', 'k', 'gate', 'up', 'down'];

function blockStats(b: RowBlock): { std: number; rowNorm: number } {
  const cols = b.shape[1],
    rows = b.values.length / cols;
  let sum = 0,
    squares = 0,
    norms = 0;
  for (let r = 0; r < rows; r++) {
    let rowSquares = 0;
    for (let c = 0; c < cols; c++) {
      const v = b.values[r * cols + c] as number;
      sum += v;
      rowSquares += v * v;
    }
    squares += rowSquares;
    norms += Math.sqrt(rowSquares);
  }
  const n = rows * cols,
    mean = sum / n;
  return { std: Math.sqrt(Math.max(0, squares / n - mean * mean)), rowNorm: norms / rows };
}

const layersOf = (blocks: RowBlock[], role: DeepRole) =>
  blocks.filter((b) => b.role === role && b.values.length > 0).sort((x, y) => x.layer - y.layer);

/** std and mean row norm of every sampled block, the i-th sampled layer of A against the i-th of B. */
export function stdProfile(blocksA: RowBlock[], blocksB: RowBlock[]): StdProfile | null {
  const labels: string[] = [],
    stdA: number[] = [],
    stdB: number[] = [],
    rowNormA: number[] = [],
    rowNormB: number[] = [];
  // each role's curve is divided by its mean over the sampled layers (as the std-curve method does), so
  // the correlation follows the shape over depth, not the scale gap between roles
  const normalised = (x: number[]) => {
    const mean = x.reduce((s, v) => s + v, 0) / x.length;
    return x.map((v) => v / mean);
  };
  for (const role of RECIPE_ROLES) {
    const a = layersOf(blocksA, role),
      b = layersOf(blocksB, role);
    const n = Math.min(a.length, b.length);
    if (!n) continue;
    const sa = a.slice(0, n).map(blockStats),
      sb = b.slice(0, n).map(blockStats);
    for (let i = 0; i < n; i++)
      labels.push(`L${a[i]!.layer}${a[i]!.layer === b[i]!.layer ? '' : `/${b[i]!.layer}`} ${role}`);
    stdA.push(...normalised(sa.map((s) => s.std)));
    stdB.push(...normalised(sb.map((s) => s.std)));
    rowNormA.push(...normalised(sa.map((s) => s.rowNorm)));
    rowNormB.push(...normalised(sb.map((s) => s.rowNorm)));
  }
  if (!labels.length) return null;
  const r = (x: number[], y: number[]) => (x.length >= 3 ? pearson(Float64Array.from(x), Float64Array.from(y)) : NaN);
  return {
    labels,
    stdA,
    stdB,
    correlation: r(stdA, stdB),
    rowNormA,
    rowNormB,
    rowNormCorrelation: r(rowNormA, rowNormB),
    caveat: RECIPE_CAVEAT,
  };
}
