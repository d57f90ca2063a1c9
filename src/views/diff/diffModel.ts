// Seed Figure 3-1 as data, with the null it lacked: (a) the share of stored values that differ per
// layer beside the share that rounding alone predicts for one update size δ ~ N(0, σ²), (b) mean
// |Δ| on a log axis, (c) the update size σ_l each layer needs through the storage grid, with its
// interval, beside the one σ (docs/methods.md §0.4). The words are in diffWording.ts.
import type { FineTuneDiff } from '../../core/diff';
import { decade, finiteExtent, linePanel } from '../kit2d/chartLayout';
import type { LinePanelLayout, Rect } from '../kit2d/chartLayout';
import { fixed, percent, sci } from '../kit2d/format';

export { DIFF_RULE, summarizeDiff } from './diffWording';
export type { DiffSummary } from './diffWording';

export const FIGURE_WIDTH = 1380;
export const FIGURE_HEIGHT = 330;
export const MEASURED_COLOR = '#e07b24';
export const PREDICTED_COLOR = '#1f5fa8';
export const ABS_COLOR = '#1b9e77';
export const SCALE_COLOR = '#6a3d9a';
/** slider bounds for σ, log10 */
export const SIGMA_LOG_RANGE: [number, number] = [-6, -1];

/** `sigma=`: a positive number below 1, else null (use the fitted σ). */
export function parseSigma(text: string): number | null {
  const v = Number(text);
  return text !== '' && Number.isFinite(v) && v > 0 && v < 1 ? v : null;
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
  scale: LinePanelLayout;
  /** each layer's 95% interval of σ_l; `upperOnly` when σ_l = 0 fits (the whisker runs to the floor) */
  whiskers: { layer: number; x: number; top: number; bottom: number; upperOnly: boolean }[];
}

/** Pixel y of a positive value on a log panel, clamped to the plot. */
function logY(p: LinePanelLayout, v: number): number {
  const [d0, d1] = p.yDomain.map(Math.log10) as [number, number];
  const t = Math.min(1, Math.max(0, (Math.log10(v) - d0) / (d1 - d0)));
  return p.plot.y + p.plot.height * (1 - t);
}

export function diffLayout(shown: FineTuneDiff, options: { width?: number; height?: number } = {}): DiffLayout {
  const width = options.width ?? FIGURE_WIDTH,
    height = options.height ?? FIGURE_HEIGHT;
  const gap = 26,
    panelW = (width - 2 * gap) / 3;
  const box = (k: number): Rect => ({ x: k * (panelW + gap), y: 0, width: panelW, height });
  const n = shown.changedFraction.length;
  const pct = (xs: number[]) => xs.map((x) => x * 100);
  const measured = pct(shown.changedFraction),
    predicted = pct(shown.predictedChangedFraction);
  const top = Math.max(100, ...measured.filter(Number.isFinite), ...predicted.filter(Number.isFinite));
  const xDomain: [number, number] = [-0.7, Math.max(0.7, n - 0.3)];
  const changed = linePanel({
    box: box(0),
    title: '(a) Share of stored values that differ',
    xLabel: 'layer',
    yLabel: 'changed (%)',
    xDomain,
    yDomain: [0, top * 1.06],
    series: [
      {
        key: 'predicted',
        label: 'rounding alone predicts',
        color: PREDICTED_COLOR,
        values: predicted,
        marker: 'diamond',
        strokeWidth: 1.4,
        dash: '5 3',
      },
    ],
  });
  const { plot } = changed;
  const xOf = (l: number) => plot.x + ((l - xDomain[0]) / (xDomain[1] - xDomain[0])) * plot.width;
  const yOf = (v: number) => plot.y + plot.height - (v / (top * 1.06)) * plot.height;
  const barW = Math.max(1, (plot.width / (xDomain[1] - xDomain[0])) * 0.78);
  const bars = measured.flatMap((value, layer) =>
    Number.isFinite(value)
      ? [
          {
            layer,
            value,
            x: xOf(layer) - barW / 2,
            y: yOf(value),
            width: barW,
            height: plot.y + plot.height - yOf(value),
          },
        ]
      : [],
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
    yDomain: ext
      ? [
          decade(Math.floor(Math.log10(ext[0])) - (ext[0] === ext[1] ? 1 : 0)),
          decade(Math.ceil(Math.log10(ext[1])) + (ext[0] === ext[1] ? 1 : 0)),
        ]
      : [1e-7, 1e-2],
    series: [{ key: 'abs', label: 'mean |Δ|', color: ABS_COLOR, values: abs, marker: 'circle' }],
  });
  const floor = absDiff.plot.y + absDiff.plot.height - 6;
  const identicalMarks = shown.identical.flatMap((same, layer) =>
    same && abs[layer] === 0 ? [{ layer, x: xOf(layer) - plot.x + absDiff.plot.x, y: floor }] : [],
  );

  const sigmas = shown.updateScale.map((v) => (v > 0 ? v : NaN));
  const uniform = shown.verdict?.test.uniform.sigma ?? 0;
  const ends = shown.updateScaleInterval.flat().filter((v) => v > 0);
  const sx = finiteExtent([sigmas, ends, uniform > 0 ? [uniform] : []], (v) => v > 0);
  const scale = linePanel({
    box: box(2),
    title: '(c) Update size σ_l through the grid (log scale)',
    xLabel: 'layer',
    yLabel: 'σ_l of b = round(a + δ)',
    xDomain,
    yLog: true,
    yDomain: sx
      ? [
          decade(Math.floor(Math.log10(sx[0])) - (sx[0] === sx[1] ? 1 : 0)),
          decade(Math.ceil(Math.log10(sx[1])) + (sx[0] === sx[1] ? 1 : 0)),
        ]
      : [1e-6, 1e-2],
    series: [{ key: 'scale', label: 'σ_l', color: SCALE_COLOR, values: sigmas, marker: 'circle', strokeWidth: 1.2 }],
    refLines:
      uniform > 0
        ? [{ y: uniform, label: `one σ = ${sci(uniform)}`, className: 'f2d-uniform-sigma', align: 'end' }]
        : [],
  });
  const scaleFloor = scale.plot.y + scale.plot.height;
  const whiskers = shown.updateScaleInterval.flatMap(([low, high], layer) =>
    Number.isFinite(high) && high > 0
      ? [
          {
            layer,
            x: xOf(layer) - plot.x + scale.plot.x,
            top: logY(scale, high),
            bottom: low > 0 ? logY(scale, low) : scaleFloor,
            upperOnly: !(shown.updateScale[layer]! > 0),
          },
        ]
      : [],
  );
  return { width, height, changed, bars, absDiff, identicalMarks, scale, whiskers };
}

/** The σ the slider and readout show: the asked one, else the fitted one, else 1e-3. */
export function sigmaInUse(sigma: number | null, fitted: FineTuneDiff | null): number {
  return sigma ?? fitted?.deltaSigma ?? 1e-3;
}

/** The slider's position (log10 σ), clamped to SIGMA_LOG_RANGE; σ = 0 sits at the bottom. */
export function sliderLogSigma(sigmaUsed: number): number {
  const [lo, hi] = SIGMA_LOG_RANGE;
  return Math.log10(Math.max(10 ** lo, Math.min(10 ** hi, sigmaUsed || 10 ** lo)));
}

/** The `sigma=` text for a slider position (log10 σ), to three significant digits. */
export function sigmaParamOf(logValue: string): string {
  return String(Number((10 ** Number(logValue)).toPrecision(3)));
}

/** The hovered layer when it has a measured share, else null. */
export function hoveredLayer(shown: FineTuneDiff, hover: number | null): number | null {
  return hover !== null && hover < shown.changedFraction.length && Number.isFinite(shown.changedFraction[hover])
    ? hover
    : null;
}

/** The hovered layer's tail: identical, or how far its changed values moved on the grid. */
export function movedWords(shown: FineTuneDiff, layer: number): string {
  if (shown.identical[layer]) return ' — identical';
  const median = shown.medianUlpsChanged[layer]!;
  const steps = median === 1 ? 'grid step' : 'grid steps';
  return `; changed values moved a median ${fixed(median, 1)} ${steps}, ${percent(shown.oneUlpShare[layer]!, 0)} by exactly one`;
}
