// Figure 7 live: every layer vector of every loaded model of one width, on the first three
// principal components; orbit, zoom, hover names the model and layer.
import { useEffect, useMemo, useRef, useState } from 'react';
import { useApp } from '../../state/storeContext';
import { useViewResult } from '../../state/useViewResult';
import type { NormRole } from '../../core/types';
import { ViewFrame } from '../ViewFrame';
import { shortName } from '../modelNames';
import { useLoadedModels, useViewParam } from '../viewState';
import type { IndexedModel } from '../viewState';
import { Figure3D } from '../scene3d/Figure3D';
import { LabelOverlay, anchorAttr } from '../scene3d/labels';
import { OrbitRig } from '../scene3d/OrbitRig';
import { OverlaySync } from '../scene3d/OverlaySync';
import { OrbitStore, formatCam, parseCam } from '../scene3d/orbit';
import type { OrbitState } from '../scene3d/orbit';
import { Stage } from '../scene3d/Stage';
import { PcaScene } from './PcaScene';
import { formatPercent, leftOut, markerPath, pcaLayout } from './pcaModel';
import type { Aspect, PcaData } from './pcaModel';
import { RoleToggle } from '../kit2d/Controls';
import { ROLE_LABELS } from '../../core/roles';

const DEFAULT_CAM: OrbitState = { azimuth: -60, elevation: 24, zoom: 1 };
const DISTANCE = 6.2;

const PCA_NOTE = (role: string) => (
  <>
    Each point is one layer’s γ vector ({role}), all layers of all models fitted together; lines join a model’s layers
    in order, a ring marks layer 0 and a star the last layer. Unlike the seed, every layer of every model is used (it
    cut all to 32 layers). Drag to turn, wheel to zoom, hover a point to name it. The PCA is of raw γ, mean included, so
    a layer’s overall scale can dominate PC1: nearness here is not the Pearson r of the compare view.
  </>
);

export function PcaView() {
  return (
    <Figure3D>
      <PcaFigure />
    </Figure3D>
  );
}

type PcaState =
  | { status: 'ready'; data: PcaData; source: 'figures' | 'worker' }
  | { status: 'waiting' | 'computing' | 'none'; message: string };

/**
 * The PCA for the chosen role: store.figures.pca when it is for that role, else computed in the
 * worker from the loaded models (indices mapped back to query positions).
 */
function usePca(norm: NormRole, loaded: IndexedModel[]): PcaState {
  const figures = useApp((s) => s.figures);
  const computing = useApp((s) => s.computing);
  const slots = useApp((s) => s.slots);
  const settled = slots.length > 0 && slots.every((s) => s.status !== 'loading');
  const fromStore = figures?.pca && figures.pca.norm === norm ? figures.pca : null;
  // figures are computed for all models only when all loaded; otherwise (or for the other role) ask the worker
  const needWorker = settled && !fromStore && loaded.length > 0 && (figures !== null || !computing);
  const own = useViewResult(needWorker ? { kind: 'pca', models: loaded.map((m) => m.index), norm } : null);
  if (fromStore) return { status: 'ready', data: fromStore, source: 'figures' };
  if (own.key !== null && own.valueKey === own.key)
    return own.value
      ? { status: 'ready', data: own.value, source: 'worker' }
      : { status: 'none', message: 'Fewer than two layer vectors share a hidden size: nothing to project.' };
  if (needWorker) return { status: 'computing', message: `Computing the PCA of the ${norm} norms in the worker…` };
  return { status: 'waiting', message: 'Loading the models…' };
}

/** The SVG overlay: title, legend, tick and axis labels and the point anchors, placed by data-anchor. */
function PcaLabels({
  layout,
  dataNorm,
}: {
  layout: NonNullable<ReturnType<typeof pcaLayout>>;
  dataNorm: string | undefined;
}) {
  return (
    <>
      <text className="panel-title" x={14} y={24} fontWeight="bold">
        PCA of {dataNorm === 'post' ? 'post-attention' : 'input'} norm γ ({layout.points.length} layer vectors)
      </text>
      <g className="pca-legend" transform="translate(16,44)" data-testid="pca-legend">
        {layout.series.map((s, i) => (
          <g key={s.model} transform={`translate(0,${i * 20})`}>
            <path d={markerPath(s.marker, 6)} transform="translate(7,0)" fill={s.color} stroke="#fff" strokeWidth={1} />
            <text x={20} y={4} className="legend-label">
              {s.name} ({s.points.length} layers)
            </text>
          </g>
        ))}
        <g transform={`translate(0,${layout.series.length * 20 + 4})`}>
          <path d={markerPath('circle', 8)} transform="translate(7,0)" fill="none" stroke="#111" strokeWidth={2} />
          <text x={20} y={4} className="legend-label">
            layer 0
          </text>
          <path d={markerPath('star', 8)} transform="translate(88,0)" fill="#bbb" stroke="#111" strokeWidth={1} />
          <text x={101} y={4} className="legend-label">
            last layer
          </text>
        </g>
      </g>
      {layout.axes[0].ticks.map((t) => (
        <g key={`x${t.label}`} data-anchor={anchorAttr([t.coord, -layout.axes[1].half - 0.1, -layout.axes[2].half])}>
          <text className="tick-label" textAnchor="middle" y={10}>
            {t.label}
          </text>
        </g>
      ))}
      {layout.axes[1].ticks.map((t) => (
        <g key={`y${t.label}`} data-anchor={anchorAttr([layout.axes[0].half + 0.1, t.coord, -layout.axes[2].half])}>
          <text className="tick-label" x={2} y={4}>
            {t.label}
          </text>
        </g>
      ))}
      {layout.axes[2].ticks.map((t) => (
        <g key={`z${t.label}`} data-anchor={anchorAttr([-layout.axes[0].half, -layout.axes[1].half - 0.06, t.coord])}>
          <text className="tick-label" textAnchor="end" x={-3} y={4}>
            {t.label}
          </text>
        </g>
      ))}
      <g data-anchor={anchorAttr([0, -layout.axes[1].half - 0.42, -layout.axes[2].half])} data-testid="pca-axis-0">
        <text className="axis-title" textAnchor="middle">
          {layout.axes[0].label}
        </text>
      </g>
      <g data-anchor={anchorAttr([layout.axes[0].half + 0.5, 0, -layout.axes[2].half])} data-testid="pca-axis-1">
        <text className="axis-title" textAnchor="middle">
          {layout.axes[1].label}
        </text>
      </g>
      <g
        data-anchor={anchorAttr([-layout.axes[0].half, -layout.axes[1].half, layout.axes[2].half + 0.16])}
        data-testid="pca-axis-2"
      >
        <text className="axis-title" textAnchor="middle">
          {layout.axes[2].label}
        </text>
      </g>
      {/* invisible anchors: where every point is on screen (for tests and tools) */}
      {layout.points.map((p) => (
        <g
          key={`${p.model}:${p.layer}`}
          className="pca-anchor"
          data-anchor={anchorAttr(p.pos)}
          data-point={`${p.model}:${p.layer}`}
        />
      ))}
    </>
  );
}

function PcaFigure() {
  const norm = useApp((s) => s.query.norm);
  const loaded = useLoadedModels();
  const [aspectText, setAspect] = useViewParam('aspect', 'cube');
  const aspect: Aspect = aspectText === 'equal' ? 'equal' : 'cube';
  const [camText, setCam] = useViewParam('cam', formatCam(DEFAULT_CAM));
  const pca = usePca(norm, loaded);
  const names = useMemo(() => new Map(loaded.map(({ index, model }) => [index, shortName(model.repo)])), [loaded]);
  const data = pca.status === 'ready' ? pca.data : null;
  const layout = useMemo(() => (data ? pcaLayout(data, names, aspect) : null), [data, names, aspect]);
  const overlay = useMemo(() => new LabelOverlay(), []);
  const [orbit] = useState(() => new OrbitStore(parseCam(camText, DEFAULT_CAM))); // later changes arrive through the effect
  useEffect(() => orbit.set(parseCam(camText, DEFAULT_CAM)), [camText, orbit]);
  const figureRef = useRef<HTMLDivElement>(null);
  const tooltip = useRef<HTMLDivElement>(null);
  const missing = data
    ? leftOut(
        loaded.map(({ index, model }) => ({ index, name: shortName(model.repo), hiddenSize: model.hiddenSize })),
        data,
      )
    : [];

  return (
    <ViewFrame
      id="pca"
      className="pca"
      testId="pca-view"
      title="Layer vectors on three principal components"
      figure="the seed’s Figure 7, live"
      figureRef={figureRef}
      svg={false}
      note={PCA_NOTE(ROLE_LABELS[norm].short)}
      controls={
        <>
          <RoleToggle testIdPrefix="pca-norm" />
          <div className="segmented" role="group" aria-label="Axis scale">
            <button
              className="small"
              aria-pressed={aspect === 'cube'}
              onClick={() => setAspect('cube')}
              data-testid="pca-aspect-cube"
            >
              each axis stretched (the seed’s)
            </button>
            <button
              className="small"
              aria-pressed={aspect === 'equal'}
              onClick={() => setAspect('equal')}
              data-testid="pca-aspect-equal"
            >
              one scale for all axes
            </button>
          </div>
          {data && (
            <span
              className="pca-evr"
              data-testid="pca-evr"
              data-evr={data.explainedVarianceRatio.join(',')}
              data-norm={data.norm}
            >
              explained variance: PC1 {formatPercent(data.explainedVarianceRatio[0])} · PC2{' '}
              {formatPercent(data.explainedVarianceRatio[1])} · PC3 {formatPercent(data.explainedVarianceRatio[2])} (
              {data.norm} norm)
            </span>
          )}
        </>
      }
    >
      {data && data.norm !== norm && (
        <p className="warning">
          No model of one width has a {norm} norm: showing the {data.norm} norm instead.
        </p>
      )}
      {missing.length > 0 && (
        <p className="hint" data-testid="pca-left-out">
          Left out (PCA needs vectors of one width): {missing.join('; ')}.
        </p>
      )}
      <div className="fig3d-figure pca-figure" ref={figureRef}>
        {layout ? (
          <>
            <Stage
              overlay={overlay}
              testId="pca-stage"
              labels={() => <PcaLabels layout={layout} dataNorm={data?.norm} />}
            >
              <OverlaySync overlay={overlay} version={layout} />
              <OrbitRig orbit={orbit} target={[0, 0, -0.1]} distance={DISTANCE} onCommit={setCam} />
              <PcaScene layout={layout} names={names} tooltip={tooltip} />
            </Stage>
            <div className="pca-tooltip" ref={tooltip} data-testid="pca-tooltip" hidden />
          </>
        ) : (
          <div className="fig3d-placeholder" data-testid="pca-waiting">
            {pca.status === 'ready' ? '' : pca.message}
          </div>
        )}
      </div>
    </ViewFrame>
  );
}
