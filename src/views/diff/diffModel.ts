// Seed Figure 3-1 as data, with the null it lacked: (a) the share of stored values that differ per
// layer beside the share that storage rounding alone predicts for one uniform update δ ~ N(0, σ²),
// (b) mean |Δ| on a log axis. Plus the words: how much of "early layers changed, deep layers did
// not" the rounding grid explains (methods.md §0.4).
import type { FineTuneDiff } from '../../core/diff';
import { decade, finiteExtent, linePanel } from '../kit2d/chartLayout';
import type { LinePanelLayout, Rect } from '../kit2d/chartLayout';
import { percent, runs, sci } from '../kit2d/format';

export const FIGURE_WIDTH = 1380;
export const FIGURE_HEIGHT = 330;
export const MEASURED_COLOR = '#e07b24';
export const PREDICTED_COLOR = '#1f5fa8';
export const ABS_COLOR = '#1b9e77';
/** slider bounds for σ, log10 */
export const SIGMA_LOG_RANGE: [number, number] = [-6, -1];

/** `sigma=`: a positive number below 1, else null (use the fitted σ). */
export function parseSigma(text: string): number | null {
  const v = Number(text);
  return text !== '' && Number.isFinite(v) && v > 0 && v < 1 ? v : null;
}

export interface DiffSummary {
  layers: number;
  /** layers with values in both models */
  compared: number;
  allIdentical: boolean;
  identicalLayers: number[];
  early: [number, number] | null;
  deep: [number, number] | null;
  measuredEarly: number;
  measuredDeep: number;
  predictedEarly: number;
  predictedDeep: number;
  /** predicted early−deep drop over the measured one, when the measured drop is clear */
  roundingShare: number | null;
  /** layers whose measured share is clearly above / below the prediction */
  moreThanPredicted: number[];
  lessThanPredicted: number[];
  sentences: string[];
}

const meanOf = (xs: number[]) => {
  const f = xs.filter(Number.isFinite);
  return f.length ? f.reduce((s, x) => s + x, 0) / f.length : NaN;
};

/** Layers split in thirds by position among the compared layers: first third and last third. */
function thirds(layers: number[]): { early: number[]; deep: number[] } {
  const k = Math.max(1, Math.floor(layers.length / 3));
  return layers.length < 2 ? { early: layers, deep: [] } : { early: layers.slice(0, k), deep: layers.slice(layers.length - k) };
}

/**
 * Plain-words reading of a diff. `sigmaSource` says whether σ was fitted or set by hand; `d` (the
 * hidden size) sets the binomial noise of a measured share.
 */
export function summarizeDiff(shown: FineTuneDiff, d: number, sigmaSource: 'fit' | 'given', names: [string, string]): DiffSummary {
  const n = shown.changedFraction.length;
  const compared = shown.changedFraction.flatMap((f, l) => (Number.isFinite(f) ? [l] : []));
  const identicalLayers = compared.filter((l) => shown.identical[l]);
  const allIdentical = compared.length > 0 && identicalLayers.length === compared.length;
  const { early, deep } = thirds(compared);
  const at = (xs: number[], ls: number[]) => meanOf(ls.map((l) => xs[l]!));
  const measuredEarly = at(shown.changedFraction, early), measuredDeep = at(shown.changedFraction, deep);
  const predictedEarly = at(shown.predictedChangedFraction, early), predictedDeep = at(shown.predictedChangedFraction, deep);
  const drop = measuredEarly - measuredDeep, predictedDrop = predictedEarly - predictedDeep;
  const roundingShare = drop > 0.02 && Number.isFinite(predictedDrop) ? predictedDrop / drop : null;
  const tolerance = (p: number) => Math.max(0.05, 4 * Math.sqrt((Math.max(p, 1e-6) * (1 - Math.min(p, 1 - 1e-6))) / Math.max(1, d)));
  const moreThanPredicted: number[] = [], lessThanPredicted: number[] = [];
  for (const l of compared) {
    const m = shown.changedFraction[l]!, p = shown.predictedChangedFraction[l]!;
    if (!Number.isFinite(p)) continue;
    if (m - p > tolerance(p)) moreThanPredicted.push(l);
    else if (p - m > tolerance(p)) lessThanPredicted.push(l);
  }
  const range = (ls: number[]): [number, number] | null => (ls.length ? [ls[0]!, ls[ls.length - 1]!] : null);
  const span = (r: [number, number] | null) => (r ? (r[0] === r[1] ? `L${r[0]}` : `L${r[0]}–L${r[1]}`) : '');
  const gridName = shown.grid === 'F32' ? 'float32 bits (the dtypes differ or values are off the 16-bit grid)' : `${shown.grid} codes`;

  const sentences: string[] = [];
  if (compared.length === 0) {
    sentences.push(`No layer has this norm in both ${names[0]} and ${names[1]}.`);
  } else if (allIdentical) {
    sentences.push(
      `Identical: every stored value of this norm is the same in ${names[0]} and ${names[1]} (${compared.length} layers compared as ${gridName}). ` +
        'The weights were copied or frozen; nothing here was trained, and nothing can be learnt about where training changed them.',
    );
  } else {
    if (identicalLayers.length > 0) sentences.push(`Layers ${runs(identicalLayers)} are bit-for-bit identical.`);
    sentences.push(
      `Measured: ${percent(measuredEarly)} of stored values differ in the first third of the layers (${span(range(early))}), ` +
        `${percent(measuredDeep)} in the last third (${span(range(deep))}); compared as ${gridName}.`,
    );
    sentences.push(
      `One uniform update of σ = ${sci(shown.deltaSigma)} (${sigmaSource === 'fit' ? 'fitted to every layer' : 'set by hand'}), added to every value and rounded to the storage grid, ` +
        `would by itself change ${percent(predictedEarly)} and ${percent(predictedDeep)}: the grid is coarser where |γ| is larger, so the same update changes fewer stored values there.`,
    );
    if (roundingShare !== null) {
      const share = Math.max(0, roundingShare);
      const verdict = share >= 0.8
        ? 'Most of “early layers changed, deep layers did not” is the storage grid, not where training focused.'
        : share >= 0.3
          ? 'Part of the drop is rounding; the rest needs a larger update in the early layers.'
          : 'Little of the drop is rounding: the update itself was larger in the early layers.';
      sentences.push(`Rounding alone accounts for about ${Math.round(Math.min(share, 1.5) * 100)}% of the early-to-deep drop. ${verdict}`);
    } else {
      sentences.push('There is no clear early-to-deep drop in the changed share here.');
    }
    if (moreThanPredicted.length) sentences.push(`Layers ${runs(moreThanPredicted)} changed more than this one update predicts.`);
    if (lessThanPredicted.length) sentences.push(`Layers ${runs(lessThanPredicted)} changed less than it predicts.`);
  }
  return {
    layers: n, compared: compared.length, allIdentical, identicalLayers, early: range(early), deep: range(deep),
    measuredEarly, measuredDeep, predictedEarly, predictedDeep, roundingShare, moreThanPredicted, lessThanPredicted, sentences,
  };
}

export interface DiffBar {
  layer: number;
  value: number;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface DiffLayout {
  width: number;
  height: number;
  changed: LinePanelLayout;
  bars: DiffBar[];
  absDiff: LinePanelLayout;
  /** identical layers, marked on the floor of the log panel (|Δ| = 0 has no place on a log axis) */
  identicalMarks: { layer: number; x: number; y: number }[];
}

export function diffLayout(shown: FineTuneDiff, options: { width?: number; height?: number } = {}): DiffLayout {
  const width = options.width ?? FIGURE_WIDTH, height = options.height ?? FIGURE_HEIGHT;
  const gap = 30, panelW = (width - gap) / 2;
  const box = (k: number): Rect => ({ x: k * (panelW + gap), y: 0, width: panelW, height });
  const n = shown.changedFraction.length;
  const pct = (xs: number[]) => xs.map((x) => x * 100);
  const measured = pct(shown.changedFraction), predicted = pct(shown.predictedChangedFraction);
  const top = Math.max(100, ...measured.filter(Number.isFinite), ...predicted.filter(Number.isFinite));
  const xDomain: [number, number] = [-0.7, Math.max(0.7, n - 0.3)];
  const changed = linePanel({
    box: box(0),
    title: '(a) Share of stored values that differ',
    xLabel: 'layer',
    yLabel: 'changed (%)',
    xDomain,
    yDomain: [0, top * 1.06],
    series: [{ key: 'predicted', label: 'rounding alone predicts', color: PREDICTED_COLOR, values: predicted, marker: 'diamond', strokeWidth: 1.4, dash: '5 3' }],
  });
  const { plot } = changed;
  const xOf = (l: number) => plot.x + ((l - xDomain[0]) / (xDomain[1] - xDomain[0])) * plot.width;
  const yOf = (v: number) => plot.y + plot.height - (v / (top * 1.06)) * plot.height;
  const barW = Math.max(1, (plot.width / (xDomain[1] - xDomain[0])) * 0.78);
  const bars = measured.flatMap((value, layer) =>
    Number.isFinite(value) ? [{ layer, value, x: xOf(layer) - barW / 2, y: yOf(value), width: barW, height: plot.y + plot.height - yOf(value) }] : [],
  );

  const abs = shown.meanAbsDiff;
  const ext = finiteExtent([abs], (v) => v > 0);
  const absDiff = linePanel({
    box: box(1),
    title: '(b) Mean |Δ| (log scale)',
    xLabel: 'layer',
    yLabel: 'mean |b − a|',
    xDomain,
    yLog: true,
    yDomain: ext ? [decade(Math.floor(Math.log10(ext[0])) - (ext[0] === ext[1] ? 1 : 0)), decade(Math.ceil(Math.log10(ext[1])) + (ext[0] === ext[1] ? 1 : 0))] : [1e-7, 1e-2],
    series: [{ key: 'abs', label: 'mean |Δ|', color: ABS_COLOR, values: abs, marker: 'circle' }],
  });
  const floor = absDiff.plot.y + absDiff.plot.height - 6;
  const identicalMarks = shown.identical.flatMap((same, layer) => (same && abs[layer] === 0 ? [{ layer, x: xOf(layer) - plot.x + absDiff.plot.x, y: floor }] : []));
  return { width, height, changed, bars, absDiff, identicalMarks };
}
