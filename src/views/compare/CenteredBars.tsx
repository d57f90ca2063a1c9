// The seed's Figure 1b: 50 dimensions sampled by quartile, each vector minus its own mean.
import { useMemo } from 'react';
import { scaleBand, scaleLinear } from 'd3-scale';
import { sampleByQuartile } from '../../core/sampling';
import { meanStd } from '../../core/metrics';

const W = 260;
const H = 150;
const M = { l: 40, r: 6, t: 16, b: 14 };

export function CenteredBars(props: {
  a: Float32Array;
  b: Float32Array;
  seed: number;
  labelA: string;
  labelB: string;
}) {
  const { a, b, seed } = props;
  const dims = useMemo(() => sampleByQuartile(a, b, 50, seed), [a, b, seed]);
  const ma = useMemo(() => meanStd(a).mean, [a]);
  const mb = useMemo(() => meanStd(b).mean, [b]);
  const values = dims.map((d) => [a[d]! - ma, b[d]! - mb] as const);
  const m = Math.max(1e-9, ...values.flatMap(([u, v]) => [Math.abs(u), Math.abs(v)]));
  const x = scaleBand<number>()
    .domain(dims.map((_, i) => i))
    .range([M.l, W - M.r])
    .padding(0.15);
  const y = scaleLinear()
    .domain([-m, m])
    .nice()
    .range([H - M.b, M.t]);
  const bw = x.bandwidth() / 2;
  return (
    <svg className="bars" width={W} height={H} data-testid="centered-bars">
      <text x={M.l} y={10} className="legend-text">
        <tspan className="series-a">■</tspan> {props.labelA} − mean <tspan className="series-b">■</tspan> {props.labelB}{' '}
        − mean
      </text>
      {y.ticks(3).map((t) => (
        <text key={t} x={M.l - 4} y={y(t)} dy="0.32em" textAnchor="end">
          {t}
        </text>
      ))}
      <line x1={M.l} x2={W - M.r} y1={y(0)} y2={y(0)} className="zero" />
      {values.map(([u, v], i) => (
        <g key={dims[i]}>
          <rect className="series-a" x={x(i)!} width={bw} y={Math.min(y(0), y(u))} height={Math.abs(y(u) - y(0))} />
          <rect
            className="series-b"
            x={x(i)! + bw}
            width={bw}
            y={Math.min(y(0), y(v))}
            height={Math.abs(y(v) - y(0))}
          />
        </g>
      ))}
    </svg>
  );
}
