import type { ColorScale } from './heatmapModel';

/** Vertical colour bar with the scale's ticks. */
export function ColorLegend({ scale, height }: { scale: ColorScale; height: number }) {
  const [lo, hi] = scale.domain;
  const stops = Array.from({ length: 11 }, (_, i) => lo + ((hi - lo) * i) / 10);
  const id = `grad-${scale.label.replace(/\W+/g, '')}-${lo.toFixed(3)}-${hi.toFixed(3)}`;
  return (
    <svg className="legend" width={62} height={height + 16}>
      <defs>
        <linearGradient id={id} x1="0" y1="1" x2="0" y2="0">
          {stops.map((v, i) => (
            <stop key={i} offset={`${i * 10}%`} stopColor={scale.color(v)} />
          ))}
        </linearGradient>
      </defs>
      <rect x={4} y={8} width={12} height={height} fill={`url(#${id})`} stroke="#999" />
      {scale.ticks.map((t) => {
        const y = 8 + height - ((t - lo) / (hi - lo)) * height;
        return (
          <text key={t} x={20} y={y} dy="0.32em">
            {Math.abs(t) < 1e-9 ? '0' : t.toFixed(Math.abs(hi - lo) < 0.2 ? 3 : 2)}
          </text>
        );
      })}
    </svg>
  );
}
