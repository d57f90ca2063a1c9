// The one colour bar every panel shares (SVG, so the PNG export keeps it).
import { ticks } from 'd3-array';
import { colorOf } from './surfaceModel';

const H = 260;

export function SurfaceLegend({ domain }: { domain: [number, number] }) {
  const [lo, hi] = domain;
  const stops = Array.from({ length: 17 }, (_, i) => lo + ((hi - lo) * i) / 16);
  const css = (v: number) =>
    `rgb(${colorOf(v, domain)
      .map((x) => Math.round(x * 255))
      .join(',')})`;
  const id = `surface-grad-${lo.toFixed(4)}-${hi.toFixed(4)}`;
  return (
    <svg className="surface-legend" width={70} height={H + 40} data-testid="surface-legend" data-domain={`${lo},${hi}`}>
      <defs>
        <linearGradient id={id} x1="0" y1="1" x2="0" y2="0">
          {stops.map((v, i) => (
            <stop key={i} offset={`${(i / 16) * 100}%`} stopColor={css(v)} />
          ))}
        </linearGradient>
      </defs>
      <text x={4} y={12} className="axis-title">
        γ
      </text>
      <rect x={4} y={22} width={14} height={H} fill={`url(#${id})`} stroke="#999" />
      {ticks(lo, hi, 6).map((t) => (
        <text key={t} x={22} y={22 + H - ((t - lo) / (hi - lo)) * H} dy="0.32em" className="tick-label">
          {Number(t.toPrecision(3))}
        </text>
      ))}
    </svg>
  );
}
