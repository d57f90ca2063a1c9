// Draws a LinePanelLayout: frame, grid, ticks, reference lines, series with markers, the selected
// layer and the hovered one. Pointer events report the nearest layer; the keyboard reaches the panel
// with Tab, moves the layer with the arrows, picks it with Enter and leaves with Escape.
import { memo } from 'react';
import type { MouseEvent, PointerEvent, ReactNode } from 'react';
import { layerAtPixel, markerPath } from './chartLayout';
import type { LinePanelLayout, PathLayout } from './chartLayout';
import { svgPoint } from './svgPoint';
import { KeyHit } from './KeyHit';
import { PanelAxes } from './PanelAxes';
import { LINE_KEYS_HINT, stepKeyAction } from './chartKeys';

export interface LinePanelProps {
  layout: LinePanelLayout;
  /** hovered layer, drawn as a thin vertical line */
  hover?: number | null;
  onHover?: (layer: number | null) => void;
  onPick?: (layer: number) => void;
  testId?: string;
  /** markers are drawn only up to this many points per series */
  maxMarkers?: number;
  /** drawn under the series (bars, bands) */
  underlay?: ReactNode;
  /** drawn over the series (legends, annotations) */
  children?: ReactNode;
  /** reachable by Tab (default); panels that share one reading can leave it to the first */
  keyboard?: boolean;
  /** the chart's accessible name (default: its title); the keys are added */
  keyLabel?: string;
}

/** The series do not change while the pointer moves: drawn once per layout. */
const SeriesPaths = memo(function SeriesPaths({ paths, maxMarkers }: { paths: PathLayout[]; maxMarkers: number }) {
  return (
    <>
      {paths.map((s) => (
        <g key={s.key} data-series={s.key}>
          <path d={s.d} fill="none" stroke={s.color} strokeWidth={s.strokeWidth} strokeDasharray={s.dash} />
          {s.marker &&
            s.points.length <= maxMarkers &&
            s.points.map((pt) => (
              <path key={pt.index} d={markerPath(s.marker!, pt.x, pt.y)} fill={s.color} stroke="none" />
            ))}
        </g>
      ))}
    </>
  );
});

export function LinePanel({
  layout: p,
  hover = null,
  onHover,
  onPick,
  testId,
  maxMarkers = 80,
  underlay,
  children,
  keyboard = true,
  keyLabel,
}: LinePanelProps) {
  const { plot } = p;
  const hoverX =
    hover !== null && hover >= p.xDomain[0] && hover <= p.xDomain[1]
      ? plot.x + ((hover - p.xDomain[0]) / (p.xDomain[1] - p.xDomain[0] || 1)) * plot.width
      : null;
  return (
    <g className="f2d-panel" data-testid={testId}>
      <PanelAxes
        box={p.box}
        plot={plot}
        title={p.title}
        xLabel={p.xLabel}
        yLabel={p.yLabel}
        yTicks={p.yTicks}
        xTicks={p.xTicks}
      />
      {p.refLines.map((r) => (
        <g key={`r${r.label}${r.y}`}>
          <line className={r.className} x1={r.x1} x2={r.x2} y1={r.y} y2={r.y} />
          {r.label && (
            <text
              className="f2d-ref-label"
              x={r.align === 'start' ? r.x1 + 4 : r.x2 - 4}
              y={r.y - 4}
              textAnchor={r.align === 'start' ? 'start' : 'end'}
            >
              {r.label}
            </text>
          )}
        </g>
      ))}
      {underlay}
      {p.marker && (
        <line className="f2d-layer-marker" x1={p.marker.x} x2={p.marker.x} y1={p.marker.y1} y2={p.marker.y2} />
      )}
      <SeriesPaths paths={p.paths} maxMarkers={maxMarkers} />
      {hoverX !== null && (
        <line className="f2d-hover-line" x1={hoverX} x2={hoverX} y1={plot.y} y2={plot.y + plot.height} />
      )}
      {children}
      {(onHover || onPick) && (
        <LineHit layout={p} hover={hover} onHover={onHover} onPick={onPick} keyboard={keyboard} label={keyLabel} />
      )}
    </g>
  );
}

/** The panel's hit area: the pointer and, unless `keyboard` is false, the keys move the hovered layer. */
function LineHit({
  layout: p,
  hover,
  onHover,
  onPick,
  keyboard,
  label,
}: Pick<LinePanelProps, 'onHover' | 'onPick' | 'keyboard'> & {
  layout: LinePanelLayout;
  hover: number | null;
  label?: string;
}) {
  const { plot } = p;
  const lo = Math.ceil(p.xDomain[0]);
  const hi = Math.floor(p.xDomain[1]);
  const pointer = {
    className: 'f2d-hit',
    onPointerMove: (e: PointerEvent<SVGRectElement>) => onHover?.(layerAtPixel(p, svgPoint(e)[0])),
    onPointerLeave: () => onHover?.(null),
    onClick: (e: MouseEvent<SVGRectElement>) => {
      const layer = layerAtPixel(p, svgPoint(e)[0]);
      if (layer !== null) onPick?.(layer);
    },
  };
  const domain = `${p.xDomain[0]},${p.xDomain[1]}`;
  if (!keyboard) return <rect {...pointer} data-domain={domain} {...plot} />;
  return (
    <KeyHit
      {...pointer}
      domain={domain}
      rect={plot}
      roleDescription="line chart"
      label={`${label ?? p.title}: ${LINE_KEYS_HINT}${onPick ? ', Enter picks it' : ''}`}
      onEnter={() => {
        if (hover === null) onHover?.(lo);
      }}
      onLeave={() => onHover?.(null)}
      onKey={(key) => {
        if (key === 'Enter' && hover !== null && onPick) {
          onPick(hover);
          return true;
        }
        const action = stepKeyAction(key, hover, lo, hi);
        if (action?.kind !== 'move') return false;
        onHover?.(action.index);
        return true;
      }}
    />
  );
}

export interface LegendEntry {
  key: string;
  label: string;
  color: string;
  dash?: string;
  marker?: string | null;
  /** a filled box instead of a line (areas, bars) */
  swatch?: boolean;
}

/** A horizontal legend drawn inside the figure (so it is part of the PNG/SVG). */
export function SvgLegend({
  x,
  y,
  entries,
  gap = 18,
  boxed = false,
}: {
  x: number;
  y: number;
  entries: LegendEntry[];
  gap?: number;
  boxed?: boolean;
}) {
  const widths = entries.map((e) => 34 + e.label.length * 6.2);
  const total = widths.reduce((s, w) => s + w, 0) + gap * (entries.length - 1);
  let cursor = x;
  return (
    <g className="f2d-legend">
      {boxed && <rect className="f2d-legend-bg" x={x - 6} y={y - 10} width={total + 6} height={20} rx={3} />}
      {entries.map((e, i) => {
        const at = cursor;
        cursor += widths[i]! + gap;
        return (
          <g key={e.key} transform={`translate(${at},${y})`}>
            {e.swatch ? (
              <rect x={2} y={-5} width={20} height={10} fill={e.color} fillOpacity={0.45} stroke={e.color} />
            ) : (
              <line x1={0} x2={24} y1={0} y2={0} stroke={e.color} strokeWidth={2} strokeDasharray={e.dash} />
            )}
            {e.marker && <path d={e.marker} transform="translate(12,0)" fill={e.color} />}
            <text x={30} dy="0.32em">
              {e.label}
            </text>
          </g>
        );
      })}
    </g>
  );
}
