// γ_a against γ_b over every dimension: a shared pattern shows as a line, none as a blob.
import { useEffect, useRef } from 'react';
import { scaleLinear } from 'd3-scale';
import { extent } from 'd3-array';

const W = 260;
const H = 200;
const M = { l: 40, r: 8, t: 8, b: 30 };

export function ScatterPlot({
  a,
  b,
  labelA,
  labelB,
}: {
  a: Float32Array;
  b: Float32Array;
  labelA: string;
  labelB: string;
}) {
  const ref = useRef<HTMLCanvasElement>(null);
  const [xa, xb] = extent(a) as [number, number];
  const [ya, yb] = extent(b) as [number, number];
  const x = scaleLinear()
    .domain([xa, xb === xa ? xa + 1 : xb])
    .nice()
    .range([M.l, W - M.r]);
  const y = scaleLinear()
    .domain([ya, yb === ya ? ya + 1 : yb])
    .nice()
    .range([H - M.b, M.t]);
  useEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (!ctx) return;
    ctx.clearRect(0, 0, W, H);
    ctx.fillStyle = 'rgba(91, 60, 160, 0.35)';
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) ctx.fillRect(x(a[i]!) - 1, y(b[i]!) - 1, 2, 2);
  });
  return (
    <div className="scatter" style={{ width: W, height: H }}>
      <canvas ref={ref} width={W} height={H} />
      <svg width={W} height={H}>
        {x.ticks(4).map((t) => (
          <text key={`x${t}`} x={x(t)} y={H - M.b + 13} textAnchor="middle">
            {t}
          </text>
        ))}
        {y.ticks(4).map((t) => (
          <text key={`y${t}`} x={M.l - 4} y={y(t)} dy="0.32em" textAnchor="end">
            {t}
          </text>
        ))}
        <rect x={M.l} y={M.t} width={W - M.l - M.r} height={H - M.t - M.b} className="frame" />
        <text x={(W + M.l) / 2} y={H - 3} textAnchor="middle" className="axis-label">
          {labelA}
        </text>
        <text transform={`translate(10,${(H - M.b) / 2}) rotate(-90)`} textAnchor="middle" className="axis-label">
          {labelB}
        </text>
      </svg>
    </div>
  );
}
