// The three panels of seed Figure 3-1, with their legends: (a) share changed beside rounding alone,
// (b) mean |Δ| on a log axis, (c) the update size σ_l each layer needs, with its interval.
import type { RefObject } from 'react';
import type { FineTuneDiff } from '../../core/diff';
import type { NormRole } from '../../core/types';
import { ROLE_NAMES } from '../kit2d/Controls';
import { LinePanel } from '../kit2d/LinePanel';
import { markerPath } from '../kit2d/chartLayout';
import { sci } from '../kit2d/format';
import { ABS_COLOR, MEASURED_COLOR, PREDICTED_COLOR, SCALE_COLOR } from './diffModel';
import type { DiffLayout } from './diffModel';

const TOP = 30;

interface PanelProps {
  layout: DiffLayout;
  hover: number | null;
  setHover: (layer: number | null) => void;
}

/** (a) the measured share as bars, the share rounding alone predicts as a dashed line. */
function ChangedPanel({ layout, hover, setHover, deltaSigma }: PanelProps & { deltaSigma: number }) {
  const { changed } = layout;
  return (
    <LinePanel
      layout={changed}
      hover={hover}
      onHover={setHover}
      testId="diff-changed"
      underlay={layout.bars.map((b) => (
        <rect
          key={b.layer}
          x={b.x}
          y={b.y}
          width={b.width}
          height={Math.max(0.5, b.height)}
          fill={MEASURED_COLOR}
          opacity={0.9}
        />
      ))}
    >
      <g
        className="f2d-legend"
        transform={`translate(${changed.plot.x + changed.plot.width - 250},${changed.plot.y + 14})`}
      >
        <rect x={2} y={-5} width={16} height={10} fill={MEASURED_COLOR} />
        <text x={26} dy="0.32em">
          measured
        </text>
        <g transform="translate(0,16)">
          <line x1={0} x2={20} stroke={PREDICTED_COLOR} strokeWidth={1.4} strokeDasharray="5 3" />
          <path d={markerPath('diamond', 10, 0, 2.6)} fill={PREDICTED_COLOR} />
          <text x={26} dy="0.32em">
            rounding alone, σ = {sci(deltaSigma)}
          </text>
        </g>
      </g>
    </LinePanel>
  );
}

/** (b) mean |Δ| on a log axis; identical layers marked on its floor. */
function AbsPanel({ layout, hover, setHover }: PanelProps) {
  const { absDiff } = layout;
  return (
    <LinePanel layout={absDiff} hover={hover} onHover={setHover} testId="diff-abs">
      {layout.identicalMarks.map((m) => (
        <path
          key={m.layer}
          className="f2d-identical"
          d={`M${m.x - 3},${m.y - 2}h6v1.4h-6zM${m.x - 3},${m.y + 1}h6v1.4h-6z`}
        />
      ))}
      <g
        className="f2d-legend"
        transform={`translate(${absDiff.plot.x + absDiff.plot.width - 150},${absDiff.plot.y + 14})`}
      >
        <line x1={0} x2={20} stroke={ABS_COLOR} strokeWidth={1.6} />
        <path d={markerPath('circle', 10, 0)} fill={ABS_COLOR} />
        <text x={26} dy="0.32em">
          mean |Δ|
        </text>
        {layout.identicalMarks.length > 0 && (
          <g transform="translate(0,16)">
            <path className="f2d-identical" d="M7,-2h6v1.4h-6zM7,1h6v1.4h-6z" />
            <text x={26} dy="0.32em">
              identical (|Δ| = 0)
            </text>
          </g>
        )}
      </g>
    </LinePanel>
  );
}

/** (c) σ_l per layer with its 95% interval as whiskers. */
function ScalePanel({ layout, hover, setHover }: PanelProps) {
  const { scale } = layout;
  return (
    <LinePanel
      layout={scale}
      hover={hover}
      onHover={setHover}
      testId="diff-scale"
      underlay={layout.whiskers.map((w) => (
        <g key={w.layer}>
          <line
            className={w.upperOnly ? 'f2d-whisker-bound' : 'f2d-whisker'}
            x1={w.x}
            x2={w.x}
            y1={w.top}
            y2={w.bottom}
          />
          <line className="f2d-whisker" x1={w.x - 2.5} x2={w.x + 2.5} y1={w.top} y2={w.top} />
        </g>
      ))}
    >
      <g className="f2d-legend" transform={`translate(${scale.plot.x + scale.plot.width - 178},${scale.plot.y + 14})`}>
        <line x1={0} x2={20} stroke={SCALE_COLOR} strokeWidth={1.2} />
        <path d={markerPath('circle', 10, 0)} fill={SCALE_COLOR} />
        <text x={26} dy="0.32em">
          σ_l, 95% interval
        </text>
        <g transform="translate(0,16)">
          <line className="f2d-whisker-bound" x1={10} x2={10} y1={-6} y2={6} />
          <text x={26} dy="0.32em">
            none needed: upper bound
          </text>
        </g>
      </g>
    </LinePanel>
  );
}

export function DiffFigure({
  layout,
  shown,
  names,
  norm,
  hover,
  setHover,
  figureRef,
}: PanelProps & {
  shown: FineTuneDiff;
  names: [string, string];
  norm: NormRole;
  figureRef: RefObject<SVGSVGElement | null>;
}) {
  return (
    <div className="f2d-figure-box">
      <svg
        ref={figureRef}
        className="f2d-svg"
        width={layout.width}
        height={layout.height + TOP + 6}
        viewBox={`0 0 ${layout.width} ${layout.height + TOP + 6}`}
        data-testid="diff-figure"
      >
        <text className="f2d-suptitle" fontWeight={700} x={layout.width / 2} y={18} textAnchor="middle">
          {names[0]} → {names[1]} · {ROLE_NAMES[norm]} · stored as {shown.grid}
        </text>
        <g transform={`translate(0,${TOP})`}>
          <ChangedPanel layout={layout} hover={hover} setHover={setHover} deltaSigma={shown.deltaSigma} />
          <AbsPanel layout={layout} hover={hover} setHover={setHover} />
          <ScalePanel layout={layout} hover={hover} setHover={setHover} />
        </g>
      </svg>
    </div>
  );
}
