// The SVG labels over the centering stage: title, cosine box, angle, tip labels, the 1 label, axis
// names. The scene writes their text and positions (data-live anchors) on each frame.
import type { StageSize } from '../scene3d/Stage';
import { axisNamesFor } from './centeringModel';
import type { CenteringMode } from './centeringModel';
import { COLOR_A, COLOR_B, COLOR_ONES } from './sceneShared';
import type { ReadoutNodes } from './sceneShared';

interface Props {
  size: StageSize;
  nodes: ReadoutNodes;
  mode: CenteringMode;
}

export function FigureLabels({ size, nodes, mode }: Props) {
  return (
    <>
      <text ref={nodes.figTitle} className="fig-title" x={size.width / 2} y={26} textAnchor="middle" fontWeight="bold">
        Raw cosine similarity (α = 0)
      </text>
      <g transform="translate(14,44)">
        <rect className="fig-box" width={150} height={30} rx={3} />
        <text ref={nodes.figCosine} className="fig-cos" x={10} y={21} data-testid="fig-cos">
          cos = …
        </text>
      </g>
      <text
        ref={nodes.figAngle}
        className="fig-angle"
        x={size.width - 18}
        y={size.height - 20}
        textAnchor="end"
        data-testid="fig-angle"
      >
        …
      </text>
      <g data-anchor="0,0,0" data-live="A">
        <text className="tip-label" x={6} y={-6} fill={COLOR_A}>
          A
        </text>
      </g>
      <g data-anchor="0,0,0" data-live="B">
        <text className="tip-label" x={6} y={-6} fill={COLOR_B}>
          B
        </text>
      </g>
      {/* where the draggable tips are on screen (tests and tools read data-sx, data-sy) */}
      <g data-anchor="0,0,0" data-live="tipA" data-testid="anchor-tip-a" />
      <g data-anchor="0,0,0" data-live="tipB" data-testid="anchor-tip-b" />
      <g data-anchor="0,0,0" data-live="ones">
        <text className="ones-label" x={6} y={4} fill={COLOR_ONES}>
          {mode === 'toy' ? '1' : '1/√d'}
        </text>
      </g>
      {axisNamesFor(mode).map(
        (name, k) =>
          name && (
            <g key={name} data-anchor="0,0,0" data-live={`axis${k}`}>
              <text className="axis-name" x={4} y={4}>
                {name}
              </text>
            </g>
          ),
      )}
    </>
  );
}
