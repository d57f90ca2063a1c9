// Seed Figure 5 and Appendix E as data: one small Pearson heatmap per model pair (diagonal mean r
// in the title), and the table of mean diagonal cosine and r with the verdict's relation label.
import { scaleLinear } from 'd3-scale';
import { diagonalSummary } from '../../core/metrics';
import type { Evidence } from '../../core/verdict';
import type { NormRole, PairMatrices } from '../../core/types';
import { colorScaleFor } from '../heatmap/heatmapModel';
import type { ColorScale } from '../heatmap/heatmapModel';
import { layerTickValues } from '../kit2d/chartLayout';
import type { Rect, Tick } from '../kit2d/chartLayout';
import { tableCsv } from '../../core/csv';

export const FIGURE_WIDTH = 1380;
const COLUMNS = 3;
const PLOT = 250;
const MARGIN = { top: 46, left: 48, bottom: 40 };
const LEGEND_W = 58;

export interface MultipleLayout {
  key: string;
  a: number;
  b: number;
  title: string;
  subtitle: string;
  diagonalR: number;
  box: Rect;
  plot: Rect;
  rows: number;
  cols: number;
  values: Float64Array;
  cosine: Float64Array;
  scale: ColorScale;
  xTicks: Tick[];
  yTicks: Tick[];
  rowLabel: string;
  colLabel: string;
  /** end of the dotted i = j line, in plot pixels from the plot's corner */
  diagonalEnd: [number, number];
  legend: { x: number; y: number; height: number; ticks: Tick[] };
}

export interface PairsLayout {
  width: number;
  height: number;
  multiples: MultipleLayout[];
}

const tickLabel = (v: number) => {
  if (Math.abs(v) < 1e-9) return '0';
  return v.toFixed(Math.abs(v) >= 0.2 ? 1 : 2);
};

/** Small multiples of every pair's Pearson matrix for one role, in query order, three per row. */
export function pairsLayout(
  pairs: PairMatrices[],
  norm: NormRole,
  name: (index: number) => string,
  width = FIGURE_WIDTH,
): PairsLayout {
  const shown = pairs.filter((p) => p.norm === norm && p.rows > 0 && p.cols > 0);
  const colW = width / COLUMNS;
  const rowHeights: number[] = [];
  const heightOf = (p: PairMatrices) => Math.round(Math.min(1.5, p.rows / p.cols) * PLOT);
  shown.forEach((p, k) => {
    const row = Math.floor(k / COLUMNS);
    rowHeights[row] = Math.max(rowHeights[row] ?? 0, heightOf(p) + MARGIN.top + MARGIN.bottom);
  });
  const rowY = rowHeights.map((_, r) => rowHeights.slice(0, r).reduce((s, h) => s + h, 0));
  const multiples = shown.map((p, k): MultipleLayout => {
    const row = Math.floor(k / COLUMNS),
      col = k % COLUMNS;
    const box: Rect = { x: col * colW, y: rowY[row]!, width: colW, height: rowHeights[row]! };
    const plotW = Math.min(PLOT, colW - MARGIN.left - LEGEND_W - 16);
    const plotH = Math.round(Math.min(1.5, p.rows / p.cols) * plotW);
    // centred in the column, leaving room for the row labels on the left and the colour bar on the right
    const plot: Rect = {
      x: box.x + MARGIN.left + (colW - MARGIN.left - LEGEND_W - plotW) / 2,
      y: box.y + MARGIN.top,
      width: plotW,
      height: plotH,
    };
    const cw = plot.width / p.cols,
      ch = plot.height / p.rows;
    const scale = colorScaleFor('pearson', p.pearson, 'auto');
    const diagonalR = diagonalSummary(p.pearson, p.rows, p.cols).diagonalMean;
    const n = Math.min(p.rows, p.cols);
    const legendY = scaleLinear()
      .domain(scale.domain)
      .range([plot.y + plot.height, plot.y]);
    return {
      key: `${p.a},${p.b}`,
      a: p.a,
      b: p.b,
      title: `${name(p.a)} vs ${name(p.b)}`,
      subtitle: `(diag: r = ${Number.isFinite(diagonalR) ? diagonalR.toFixed(3) : 'n/a'})`,
      diagonalR,
      box,
      plot,
      rows: p.rows,
      cols: p.cols,
      values: p.pearson,
      cosine: p.cosine,
      scale,
      xTicks: layerTickValues(p.cols).map((t) => ({ value: t, pos: plot.x + (t + 0.5) * cw, label: String(t) })),
      yTicks: layerTickValues(p.rows).map((t) => ({ value: t, pos: plot.y + (t + 0.5) * ch, label: String(t) })),
      rowLabel: `${name(p.a)} layer`,
      colLabel: `${name(p.b)} layer`,
      diagonalEnd: [n * cw, n * ch],
      legend: {
        x: plot.x + plot.width + 10,
        y: plot.y,
        height: plot.height,
        ticks: legendY.ticks(5).map((t) => ({ value: t, pos: legendY(t), label: tickLabel(t) })),
      },
    };
  });
  return { width, height: rowHeights.reduce((s, h) => s + h, 0), multiples };
}

export type RelationClass = 'shared-ancestry' | 'no-evidence' | 'inconclusive' | 'no-information' | 'pending';

export interface Relation {
  text: string;
  cls: RelationClass;
}

const VERDICT_TEXT: Record<Evidence['verdict'], string> = {
  'shared-ancestry': 'Shared ancestry',
  'no-evidence': 'No evidence of shared ancestry',
  inconclusive: 'Inconclusive',
  'no-information': 'No information (constant norms)',
};

/** The Appendix E relation label from the verdict; "computing…" while the verdict is on its way. */
export function relationLabel(evidence: Evidence | undefined, computing: boolean, roleAvailable: boolean): Relation {
  if (evidence) return { text: VERDICT_TEXT[evidence.verdict], cls: evidence.verdict };
  if (!roleAvailable) return { text: 'not tested: a model lacks this norm', cls: 'pending' };
  return { text: computing ? 'computing…' : 'not computed', cls: 'pending' };
}

export interface TableCell {
  norm: NormRole;
  cosine: number;
  pearson: number;
  relation: Relation;
}

export interface TableRow {
  a: number;
  b: number;
  names: [string, string];
  cells: TableCell[];
}

/** Appendix E: per pair and role, the mean diagonal (i ↔ i) raw cosine and Pearson r, and the relation. */
export function appendixTable(
  pairs: PairMatrices[],
  evidence: Record<string, Evidence>,
  options: {
    computing: boolean;
    name: (index: number) => string;
    hasRole: (index: number, norm: NormRole) => boolean;
    roles?: NormRole[];
  },
): TableRow[] {
  const roles = options.roles ?? ['input', 'post'];
  const keys: [number, number][] = [];
  for (const p of pairs) if (!keys.some(([a, b]) => a === p.a && b === p.b)) keys.push([p.a, p.b]);
  return keys.map(([a, b]) => ({
    a,
    b,
    names: [options.name(a), options.name(b)],
    cells: roles.map((norm): TableCell => {
      const p = pairs.find((q) => q.a === a && q.b === b && q.norm === norm);
      const cos = p ? diagonalSummary(p.cosine, p.rows, p.cols).diagonalMean : NaN;
      const r = p ? diagonalSummary(p.pearson, p.rows, p.cols).diagonalMean : NaN;
      const available = options.hasRole(a, norm) && options.hasRole(b, norm);
      return {
        norm,
        cosine: cos,
        pearson: r,
        relation: relationLabel(evidence[`${a},${b},${norm}`], options.computing, available),
      };
    }),
  }));
}

/** The summary table as CSV: one line per pair and role, diagonal means at full precision and the verdict. */
export function appendixCsv(table: readonly TableRow[]): string {
  return tableCsv(
    ['model A', 'model B', 'norm', 'mean diagonal raw cosine', 'mean diagonal Pearson r', 'relation'],
    table.flatMap((row) =>
      row.cells.map((c) => [row.names[0], row.names[1], c.norm, c.cosine, c.pearson, c.relation.text]),
    ),
  );
}
