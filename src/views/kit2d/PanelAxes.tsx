// The axes of a 2-D panel, drawn the same in every chart: AxisLabels (tick labels and both axis
// labels, also used alone by the layer × layer matrices) and PanelAxes (a line or bar panel: its title,
// grid lines, frame and AxisLabels).
import type { Rect, Tick } from './chartLayout';

export interface AxisLabelsProps {
  plot: Rect;
  xLabel: string;
  yLabel: string;
  yTicks: Tick[];
  /** omitted for bar charts of samples, whose x has no scale */
  xTicks?: Tick[];
  /** baseline of the x tick labels below the plot */
  xTickGap?: number;
  /** baseline of the x label below the plot (more room when x has ticks) */
  xLabelGap?: number;
  /** where the rotated y label sits */
  yLabelX: number;
}

export function AxisLabels({
  plot,
  xLabel,
  yLabel,
  yTicks,
  xTicks = [],
  xTickGap = 14,
  xLabelGap = 31,
  yLabelX,
}: AxisLabelsProps) {
  return (
    <>
      {yTicks.map((t) => (
        <text key={`y${t.value}`} className="f2d-tick" x={plot.x - 5} y={t.pos} dy="0.32em" textAnchor="end">
          {t.label}
        </text>
      ))}
      {xTicks.map((t) => (
        <text
          key={`x${t.value}`}
          className="f2d-tick"
          x={t.pos}
          y={plot.y + plot.height + xTickGap}
          textAnchor="middle"
        >
          {t.label}
        </text>
      ))}
      <text className="f2d-axis" x={plot.x + plot.width / 2} y={plot.y + plot.height + xLabelGap} textAnchor="middle">
        {xLabel}
      </text>
      <text
        className="f2d-axis"
        transform={`translate(${yLabelX},${plot.y + plot.height / 2}) rotate(-90)`}
        textAnchor="middle"
      >
        {yLabel}
      </text>
    </>
  );
}

export interface PanelAxesProps extends Omit<AxisLabelsProps, 'yLabelX' | 'xTickGap'> {
  box: Rect;
  title: string;
}

export function PanelAxes({ box, title, ...axes }: PanelAxesProps) {
  const { plot } = axes;
  return (
    <>
      <text className="f2d-title" fontWeight={700} x={plot.x + plot.width / 2} y={box.y + 14} textAnchor="middle">
        {title}
      </text>
      {axes.yTicks.map((t) => (
        <line key={`y${t.value}`} className="f2d-grid" x1={plot.x} x2={plot.x + plot.width} y1={t.pos} y2={t.pos} />
      ))}
      {(axes.xTicks ?? []).map((t) => (
        <line key={`x${t.value}`} className="f2d-grid" x1={t.pos} x2={t.pos} y1={plot.y} y2={plot.y + plot.height} />
      ))}
      <rect className="f2d-frame" x={plot.x} y={plot.y} width={plot.width} height={plot.height} />
      <AxisLabels {...axes} yLabelX={box.x + 13} />
    </>
  );
}
