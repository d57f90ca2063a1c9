// The seed's future work, measured: per layer, how many storage-grid steps the centred pattern of
// γ spans at the layer's mean level, and the share of dimensions that would collapse onto the mean
// if γ were stored as mean + δ in BF16 or FP16 (swamping), next to ‖γ‖ against √d.
import type { PrecisionProfile } from '../../core/precision';
import { linePanel } from '../kit2d/chartLayout';
import type { LinePanelLayout, Rect } from '../kit2d/chartLayout';
import { percent, sci } from '../kit2d/format';
import { modelColor, modelMarker } from '../kit2d/palette';

export const FIGURE_WIDTH = 1380;
export const FIGURE_HEIGHT = 320;
export const FORMATS = ['bf16', 'f16'] as const;
export type Format = (typeof FORMATS)[number];
export const FORMAT_NAMES: Record<Format, string> = { bf16: 'BF16', f16: 'FP16' };
/** BF16 solid, FP16 dashed, in every panel */
export const FORMAT_DASH: Record<Format, string | undefined> = { bf16: undefined, f16: '5 3' };

export interface PrecisionLayout {
  width: number;
  height: number;
  norm: PrecisionLayoutPanel;
  spread: PrecisionLayoutPanel;
  lost: PrecisionLayoutPanel;
}

type PrecisionLayoutPanel = LinePanelLayout;

export function precisionLayout(
  profiles: PrecisionProfile[],
  names: Map<number, string>,
  options: { width?: number; height?: number; marker?: number | null } = {},
): PrecisionLayout {
  const width = options.width ?? FIGURE_WIDTH,
    height = options.height ?? FIGURE_HEIGHT;
  const gap = 24,
    pw = (width - 2 * gap) / 3;
  const box = (k: number): Rect => ({ x: k * (pw + gap), y: 0, width: pw, height });
  const longest = Math.max(1, ...profiles.map((p) => p.mean.length));
  const xDomain: [number, number] = [0, longest - 1];
  const name = (m: number) => names.get(m) ?? `model ${m}`;
  const perFormat = (pick: (p: PrecisionProfile, f: Format) => number[]) =>
    profiles.flatMap((p) =>
      FORMATS.map((f) => ({
        key: `${p.model}-${f}`,
        label: `${name(p.model)} ${FORMAT_NAMES[f]}`,
        color: modelColor(p.model),
        dash: FORMAT_DASH[f],
        marker: f === 'bf16' ? modelMarker(p.model) : null,
        values: pick(p, f),
        strokeWidth: 1.4,
      })),
    );
  const norm = linePanel({
    box: box(0),
    title: '(a) ‖γ‖ per layer (dashed: √d, all-ones γ)',
    xLabel: 'layer',
    yLabel: '‖γ‖',
    xDomain,
    marker: options.marker,
    series: profiles.map((p) => ({
      key: String(p.model),
      label: name(p.model),
      color: modelColor(p.model),
      marker: modelMarker(p.model),
      values: p.l2,
      strokeWidth: 1.4,
    })),
    refLines: [...new Set(profiles.map((p) => p.d))].map((d, k) => ({
      y: Math.sqrt(d),
      label: `√${d} = ${Math.sqrt(d).toFixed(1)}`,
      className: 'f2d-sqrtd',
      align: k % 2 ? ('start' as const) : ('end' as const),
    })),
  });
  const spread = linePanel({
    box: box(1),
    title: '(b) Pattern spread in grid steps: std / ulp(mean)',
    xLabel: 'layer',
    yLabel: 'std of γ − mean, in ulps of the mean',
    xDomain,
    yLog: true,
    marker: options.marker,
    series: perFormat((p, f) => p[f].stdInUlps),
    refLines: [{ y: 1, label: '1 step: the pattern is one grid step wide', className: 'f2d-ulp-ref' }],
  });
  const lost = linePanel({
    box: box(2),
    title: '(c) Dimensions lost if stored as mean + δ',
    xLabel: 'layer',
    yLabel: 'share within ½ ulp of the mean (%)',
    xDomain,
    marker: options.marker,
    yDomain: [
      0,
      Math.max(
        5,
        ...profiles.flatMap((p) => FORMATS.flatMap((f) => p[f].lostShare.filter(Number.isFinite).map((x) => x * 100))),
      ) * 1.08,
    ],
    series: perFormat((p, f) => p[f].lostShare.map((x) => x * 100)),
  });
  return { width, height, norm, spread, lost };
}

export interface PrecisionFinding {
  model: number;
  sentence: string;
  worstLayer: number | null;
  worstShare: number;
}

/** Per model: the layer where BF16 would lose the most of the pattern, in words with its numbers. */
export function precisionFindings(profiles: PrecisionProfile[], names: Map<number, string>): PrecisionFinding[] {
  return profiles.map((p) => {
    const name = names.get(p.model) ?? `model ${p.model}`;
    const layers = p.bf16.lostShare.flatMap((s, l) => (Number.isFinite(s) ? [l] : []));
    if (layers.length === 0)
      return { model: p.model, sentence: `${name}: no layer has this norm.`, worstLayer: null, worstShare: NaN };
    const worst = layers.reduce((a, l) => (p.bf16.lostShare[l]! > p.bf16.lostShare[a]! ? l : a));
    const share = p.bf16.lostShare[worst]!;
    const f16Max = Math.max(...p.f16.lostShare.filter(Number.isFinite));
    const minSteps = Math.min(...p.bf16.stdInUlps.filter(Number.isFinite));
    const sentence =
      `${name}: the tightest layer in BF16 is L${worst} (mean ${p.mean[worst]!.toFixed(3)}, std ${sci(p.std[worst]!)}), where one grid step at the mean is ` +
      `${sci(p.bf16.ulpAtMean[worst]!)} and the pattern spans ${p.bf16.stdInUlps[worst]!.toFixed(1)} steps; ${percent(share)} of its dimensions lie within half a step of the mean ` +
      `and would be stored as the mean itself. Across layers the pattern spans at least ${minSteps.toFixed(1)} BF16 steps; FP16, with 3 more mantissa bits, loses at most ${percent(f16Max)}.`;
    return { model: p.model, sentence, worstLayer: worst, worstShare: share };
  });
}
