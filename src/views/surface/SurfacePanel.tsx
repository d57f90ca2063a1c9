// One model's panel: canvas, tick labels and title in the SVG overlay.
import { useMemo } from 'react';
import type { ReactNode } from 'react';
import { LabelOverlay, anchorAttr } from '../scene3d/labels';
import { OverlaySync } from '../scene3d/OverlaySync';
import { Stage } from '../scene3d/Stage';
import { SurfaceScene } from './SurfaceScene';
import { BOX } from './surfaceModel';
import type { SurfaceLayout, SurfaceMesh, SurfacePick } from './surfaceModel';

interface Props {
  layout: SurfaceLayout;
  mesh: SurfaceMesh;
  title: string;
  testId: string;
  onHover: (pick: SurfacePick | null) => void;
  /** the orbit rig (shared store) */
  children: ReactNode;
}

export function SurfacePanel({ layout, mesh, title, testId, onHover, children }: Props) {
  const overlay = useMemo(() => new LabelOverlay(), []);
  const { width: W, depth: D, height: H } = BOX;
  return (
    <div className="surface-panel fig3d-figure" data-testid={testId}>
      <Stage
        overlay={overlay}
        labels={() => (
          <>
            <text className="panel-title" x={12} y={22} fontWeight="bold">
              {title}
            </text>
            {layout.dimTicks.map((t) => (
              <g key={`d${t.label}`} data-anchor={anchorAttr(t.at)}>
                <text className="tick-label" textAnchor="middle" y={12}>
                  {t.label}
                </text>
              </g>
            ))}
            {layout.layerTicks.map((t) => (
              <g key={`l${t.label}`} data-anchor={anchorAttr(t.at)}>
                <text className="tick-label" x={3} y={4}>
                  {t.label}
                </text>
              </g>
            ))}
            {layout.gammaTicks.map((t) => (
              <g key={`g${t.label}`} data-anchor={anchorAttr(t.at)}>
                <text className="tick-label" textAnchor="end" x={-3} y={4}>
                  {t.label}
                </text>
              </g>
            ))}
            <g data-anchor={anchorAttr([W / 2, -0.3, 0])}>
              <text className="axis-title" textAnchor="middle">
                dimension
              </text>
            </g>
            <g data-anchor={anchorAttr([W + 0.26, D / 2, 0])}>
              <text className="axis-title" textAnchor="middle">
                layer
              </text>
            </g>
            <g data-anchor={anchorAttr([-0.02, 0, H + 0.08])}>
              <text className="axis-title" textAnchor="middle">
                γ
              </text>
            </g>
          </>
        )}
      >
        <OverlaySync overlay={overlay} version={layout} />
        {children}
        <SurfaceScene layout={layout} mesh={mesh} onHover={onHover} />
      </Stage>
    </div>
  );
}
