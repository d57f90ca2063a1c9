// Seed Figure 8 and its "Additional observation on LayerNorm scale" as data: per layer and model,
// mean, std, min, max and ‖γ‖ against √d (the norm of an all-ones γ, the initial value).
import { pearson } from '../../core/metrics';
import type { FigureExport } from '../../core/exportFigures';
import type { NormRole } from '../../core/types';
import { linePanel } from '../kit2d/chartLayout';
import type { LinePanelLayout, Rect } from '../kit2d/chartLayout';
import { modelColor, modelMarker } from '../kit2d/palette';

export const FIGURE_WIDTH = 1380;
export const PANEL_HEIGHT = 196;
export const METRICS = ['mean', 'std', 'min', 'max', 'l2'] as const;
export type Metric = (typeof METRICS)[number];
export const METRIC_TITLES: Record<Metric, string> = {
  mean: 'Mean γ',
  std: 'Std of γ',
  min: 'Min γ',
  max: 'Max γ',
  l2: '‖γ‖ (L2 norm)',
};
const ROLE_TITLES: Record<NormRole, string> = {
  input: 'input',
  post: 'pre-MLP',
  attn_out: 'attn-out',
  ffn_out: 'MLP-out',
  q: 'q',
  k: 'k',
  q_a: 'q_a',
  kv_a: 'kv_a',
};

/** one model × role of the export's stats (null or NaN where a layer lacks the role) */
export type StatsEntry = FigureExport['stats'][number];

export interface StatsModelInfo {
  index: number;
  name: string;
  hiddenSize: number;
}

const numbers = (xs: (number | null)[]): number[] => xs.map((x) => (x === null ? NaN : x));

export interface StatsLayout {
  width: number;
  height: number;
  roles: NormRole[];
  panels: { role: NormRole; metric: Metric; layout: LinePanelLayout }[];
}

/** Rows: mean, std, min, max, ‖γ‖; columns: the roles any shown model has. Models overlaid. */
export function statsLayout(
  stats: StatsEntry[],
  models: StatsModelInfo[],
  shown: number[],
  options: { width?: number; panelHeight?: number } = {},
): StatsLayout {
  const width = options.width ?? FIGURE_WIDTH,
    ph = options.panelHeight ?? PANEL_HEIGHT;
  const visible = stats.filter((s) => shown.includes(s.model) && models.some((m) => m.index === s.model));
  const roles = (['input', 'post'] as const).filter((r) => visible.some((s) => s.norm === r));
  const longest = Math.max(1, ...visible.map((s) => s.mean.length));
  const gap = 24,
    pw = roles.length ? (width - gap * (roles.length - 1)) / roles.length : width;
  const sqrtDs = [...new Set(models.filter((m) => shown.includes(m.index)).map((m) => m.hiddenSize))];
  const panels = METRICS.flatMap((metric, row) =>
    roles.map((role, col) => {
      const box: Rect = { x: col * (pw + gap), y: row * ph, width: pw, height: ph };
      return {
        role,
        metric,
        layout: linePanel({
          box,
          margin: { top: 22, right: 10, bottom: 34, left: 56 },
          title: `${METRIC_TITLES[metric]} · ${ROLE_TITLES[role]}`,
          xLabel: 'layer',
          yLabel: metric === 'l2' ? '‖γ‖' : metric,
          xDomain: [0, longest - 1],
          series: visible
            .filter((s) => s.norm === role)
            .map((s) => ({
              key: String(s.model),
              label: models.find((m) => m.index === s.model)?.name ?? `model ${s.model}`,
              color: modelColor(s.model),
              marker: modelMarker(s.model),
              values: numbers(s[metric]),
              strokeWidth: 1.4,
            })),
          refLines:
            metric === 'l2'
              ? sqrtDs.map((d, k) => ({
                  y: Math.sqrt(d),
                  label: `√${d} = ${Math.sqrt(d).toFixed(1)}`,
                  className: 'f2d-sqrtd',
                  align: k % 2 ? ('start' as const) : ('end' as const),
                }))
              : undefined,
        }),
      };
    }),
  );
  return { width, height: roles.length ? METRICS.length * ph : 0, roles, panels };
}

export interface ReadoutRow {
  model: number;
  name: string;
  role: NormRole;
  values: Record<Metric, number>;
}

/** The numbers at one layer for every shown model and role. */
export function statsReadout(
  stats: StatsEntry[],
  models: StatsModelInfo[],
  shown: number[],
  layer: number,
): ReadoutRow[] {
  return stats
    .filter((s) => shown.includes(s.model) && layer < s.mean.length)
    .map((s) => ({
      model: s.model,
      name: models.find((m) => m.index === s.model)?.name ?? `model ${s.model}`,
      role: s.norm,
      values: Object.fromEntries(METRICS.map((k) => [k, s[k][layer] ?? NaN])) as Record<Metric, number>,
    }));
}

export interface ScaleObservation {
  model: number;
  role: NormRole;
  sentence: string;
  minL2: number;
  maxL2: number;
  /** Pearson r of ‖γ‖ with the layer index: how steadily the scale grows with depth */
  depthTrend: number;
}

/** The seed's scale observation, measured: ‖γ‖ range against √d and its trend with depth. */
/** How ‖γ‖ moves with depth, from its Pearson r with the layer index ('' when undefined). */
function trendWording(trend: number): string {
  if (!Number.isFinite(trend)) return '';
  if (trend > 0.7) return ', rising steadily with depth';
  if (trend > 0.3) return ', rising with depth';
  return trend < -0.3 ? ', falling with depth' : ', with no steady trend over depth';
}

export function scaleObservations(stats: StatsEntry[], models: StatsModelInfo[], shown: number[]): ScaleObservation[] {
  return stats.flatMap((s) => {
    const m = models.find((x) => x.index === s.model);
    if (!m || !shown.includes(s.model)) return [];
    const l2 = numbers(s.l2);
    const layers = l2.flatMap((v, l) => (Number.isFinite(v) ? [l] : []));
    if (layers.length === 0) return [];
    const lo = layers.reduce((a, l) => (l2[l]! < l2[a]! ? l : a)),
      hi = layers.reduce((a, l) => (l2[l]! > l2[a]! ? l : a));
    const trend =
      layers.length > 2
        ? pearson(
            layers,
            layers.map((l) => l2[l]!),
          )
        : NaN;
    const sqrtD = Math.sqrt(m.hiddenSize);
    const trendWords = trendWording(trend);
    const sentence =
      `${m.name}, ${ROLE_TITLES[s.norm]}: ‖γ‖ from ${l2[lo]!.toFixed(2)} (L${lo}) to ${l2[hi]!.toFixed(2)} (L${hi}), ` +
      `${(l2[lo]! / sqrtD).toFixed(2)}–${(l2[hi]! / sqrtD).toFixed(2)} × √${m.hiddenSize}${trendWords}` +
      `${Number.isFinite(trend) ? ` (r with layer ${trend.toFixed(2)})` : ''}.`;
    return [{ model: s.model, role: s.norm, sentence, minL2: l2[lo]!, maxL2: l2[hi]!, depthTrend: trend }];
  });
}
