// The seed's Figure 1c: same-index cosine and Pearson per layer, with the active layer marked. Hover or
// Tab to it and move with the arrows to read one layer's values (announced).
import { useState } from 'react';
import { scaleLinear } from 'd3-scale';
import { line } from 'd3-shape';
import type { PairMatrices } from '../../core/types';
import { diagonalSeries } from './compareModel';
import type { DiagonalPoint } from './compareModel';
import { fmt } from './compareModel';
import { KeyHit } from '../kit2d/KeyHit';
import { LINE_KEYS_HINT, stepKeyAction } from '../kit2d/chartKeys';
import { svgPoint } from '../kit2d/svgPoint';

const W = 560;
const H = 220;
const M = { l: 44, r: 12, t: 24, b: 32 };

export function DiagonalChart({ pair, activeLayer }: { pair: PairMatrices; activeLayer: number | null }) {
  const [read, setRead] = useState<number | null>(null);
  const series = diagonalSeries(pair);
  const finite = series.flatMap((p) => [p.cosine, p.pearson]).filter(Number.isFinite);
  const lo = Math.min(-0.1, ...finite);
  const x = scaleLinear()
    .domain([0, Math.max(1, series.length - 1)])
    .range([M.l, W - M.r]);
  const y = scaleLinear()
    .domain([lo, 1.02])
    .nice()
    .range([H - M.b, M.t]);
  const path = (key: 'cosine' | 'pearson') =>
    line<DiagonalPoint>()
      .defined((p) => Number.isFinite(p[key]))
      .x((p) => x(p.layer))
      .y((p) => y(p[key]))(series) ?? '';
  const last = series.length - 1;
  const layerAt = (px: number) => Math.max(0, Math.min(last, Math.round(x.invert(px))));
  const reading = read !== null ? series[read] : undefined;
  return (
    <figure className="chart" data-testid="diagonal-chart">
      <figcaption>Same-index layers (i ↔ i): raw cosine vs Pearson</figcaption>
      <svg width={W} height={H} data-testid="diagonal-svg">
        {y.ticks(5).map((t) => (
          <g key={t}>
            <line className="grid" x1={M.l} x2={W - M.r} y1={y(t)} y2={y(t)} />
            <text x={M.l - 5} y={y(t)} dy="0.32em" textAnchor="end">
              {t}
            </text>
          </g>
        ))}
        {x.ticks(Math.min(10, series.length)).map((t) => (
          <text key={t} x={x(t)} y={H - M.b + 14} textAnchor="middle">
            {t}
          </text>
        ))}
        <text className="axis-label" x={(W + M.l) / 2} y={H - 4} textAnchor="middle">
          layer
        </text>
        <line className="zero" x1={M.l} x2={W - M.r} y1={y(0)} y2={y(0)} />
        <path className="line-cosine" d={path('cosine')} />
        <path className="line-pearson" d={path('pearson')} />
        {activeLayer !== null && activeLayer < series.length && (
          <line className="marker" x1={x(activeLayer)} x2={x(activeLayer)} y1={M.t} y2={H - M.b} />
        )}
        {reading && <line className="read-line" x1={x(read!)} x2={x(read!)} y1={M.t} y2={H - M.b} />}
        <g transform={`translate(${M.l + 8},${M.t - 10})`}>
          <line className="line-cosine" x2={18} />
          <text x={22} dy="0.32em">
            raw cosine
          </text>
          <line className="line-pearson" x1={110} x2={128} />
          <text x={132} dy="0.32em">
            Pearson r
          </text>
        </g>
        <KeyHit
          className="hit"
          rect={{ x: M.l, y: M.t, width: W - M.l - M.r, height: H - M.t - M.b }}
          roleDescription="line chart"
          label={`Same-index layers, raw cosine and Pearson r: ${LINE_KEYS_HINT}`}
          onEnter={() => setRead((r) => r ?? 0)}
          onLeave={() => setRead(null)}
          onKey={(key) => {
            const action = stepKeyAction(key, read, 0, last);
            if (action?.kind !== 'move') return false;
            setRead(action.index);
            return true;
          }}
          onPointerMove={(e) => setRead(layerAt(svgPoint(e)[0]))}
          onPointerLeave={() => setRead(null)}
        />
      </svg>
      <p className="chart-reading" aria-live="polite" data-testid="diagonal-reading">
        {reading
          ? `layer ${reading.layer}: raw cosine ${fmt(reading.cosine, 4)}, Pearson r ${fmt(reading.pearson, 4)}`
          : 'Hover or Tab to the chart and use the arrow keys to read a layer.'}
      </p>
    </figure>
  );
}
