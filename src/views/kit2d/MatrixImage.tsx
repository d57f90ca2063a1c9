// A layer × layer matrix drawn as one pixel per cell inside the figure's SVG (an <image> with a
// PNG data URL), so the figure still exports as a single SVG file; and its vertical colour bar.
import { useMemo } from 'react';
import { heatmapPixels } from '../heatmap/heatmapModel';
import type { ColorScale } from '../heatmap/heatmapModel';
import type { Rect, Tick } from './chartLayout';

function matrixDataUrl(values: ArrayLike<number>, rows: number, cols: number, scale: ColorScale): string {
  if (rows === 0 || cols === 0 || typeof document === 'undefined') return '';
  const canvas = document.createElement('canvas');
  canvas.width = cols;
  canvas.height = rows;
  const ctx = canvas.getContext('2d');
  if (!ctx) return '';
  const image = ctx.createImageData(cols, rows);
  image.data.set(heatmapPixels(values, rows, cols, scale));
  ctx.putImageData(image, 0, 0);
  return canvas.toDataURL('image/png');
}

export function MatrixImage({
  values,
  rows,
  cols,
  scale,
  plot,
  testId,
}: {
  values: ArrayLike<number>;
  rows: number;
  cols: number;
  scale: ColorScale;
  plot: Rect;
  testId?: string;
}) {
  const href = useMemo(() => matrixDataUrl(values, rows, cols, scale), [values, rows, cols, scale]);
  return (
    <image
      data-testid={testId}
      href={href}
      x={plot.x}
      y={plot.y}
      width={plot.width}
      height={plot.height}
      preserveAspectRatio="none"
      imageRendering="pixelated"
    />
  );
}

export function ColorBar({
  id,
  scale,
  x,
  y,
  height,
  ticks,
  width = 11,
}: {
  id: string;
  scale: ColorScale;
  x: number;
  y: number;
  height: number;
  ticks: Tick[];
  width?: number;
}) {
  const [lo, hi] = scale.domain;
  const gradientId = `f2d-grad-${id.replace(/[^A-Za-z0-9_-]/g, '_')}`;
  return (
    <g className="f2d-colorbar">
      <defs>
        <linearGradient id={gradientId} x1="0" y1="1" x2="0" y2="0">
          {Array.from({ length: 11 }, (_, i) => (
            <stop key={i} offset={`${i * 10}%`} stopColor={scale.color(lo + ((hi - lo) * i) / 10)} />
          ))}
        </linearGradient>
      </defs>
      <rect x={x} y={y} width={width} height={height} fill={`url(#${gradientId})`} stroke="#999" strokeWidth={0.6} />
      {ticks.map((t) => (
        <g key={t.value}>
          <line x1={x + width} x2={x + width + 3} y1={t.pos} y2={t.pos} stroke="#666" />
          <text className="f2d-tick" x={x + width + 5} y={t.pos} dy="0.32em">
            {t.label}
          </text>
        </g>
      ))}
    </g>
  );
}
