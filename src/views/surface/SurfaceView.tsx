// Figure 6 live: layer × dimension surfaces of γ, one panel per model, all on one height and
// colour scale, for a chosen window or stride of dimensions. Panels turn together.
import { useEffect, useMemo, useRef, useState } from 'react';
import type { ReactNode, RefObject } from 'react';
import { useApp, useAppStore } from '../../state/storeContext';
import { setQuery } from '../../state/actions';
import { strideCovering, surfaceView } from '../../core/surface';
import type { LoadedModel } from '../../core/types';
import { ViewFrame } from '../ViewFrame';
import { shortName } from '../modelNames';
import { useLoadedModels, useViewParam } from '../viewState';
import { Figure3D } from '../scene3d/Figure3D';
import { OrbitRig } from '../scene3d/OrbitRig';
import { OrbitStore, formatCam, parseCam } from '../scene3d/orbit';
import type { OrbitState, Vec3 } from '../scene3d/orbit';
import { SurfacePanel } from './SurfacePanel';
import { SurfaceLegend } from './SurfaceLegend';
import {
  BOX,
  clampWindow,
  DEFAULT_COUNT,
  describeWindow,
  SEED_DOMAIN,
  shiftWindow,
  surfaceLayout,
} from './surfaceModel';
import type { DimWindow, SurfacePick } from './surfaceModel';
import { RoleToggle } from '../kit2d/Controls';
import { ROLE_LABELS } from '../../core/roles';

const DEFAULT_CAM: OrbitState = { azimuth: -58, elevation: 26, zoom: 1 };
export const SURFACE_TARGET: Vec3 = [BOX.width / 2, BOX.depth / 2, BOX.height * 0.3];
export const SURFACE_DISTANCE = 3.5;

function SurfaceFrame({
  figureRef,
  note,
  children,
}: {
  figureRef: RefObject<HTMLDivElement | null>;
  note?: ReactNode;
  children: ReactNode;
}) {
  return (
    <ViewFrame
      id="surface"
      className="surface"
      testId="surface-view"
      title="γ over layers and dimensions"
      figure="the seed’s Figure 6, live"
      figureRef={figureRef}
      svg={false}
      note={note}
    >
      {children}
    </ViewFrame>
  );
}

export function SurfaceView() {
  return (
    <Figure3D>
      <SurfaceFigure />
    </Figure3D>
  );
}

const intOr = (text: string, fallback: number) => {
  const n = Number(text);
  return text !== '' && Number.isFinite(n) ? Math.floor(n) : fallback;
};

/** The window of dimensions (start, count, stride, presets) and the colour range. */
function WindowControls({
  width,
  win,
  setWindow,
  rangeText,
  setRange,
}: {
  width: number;
  win: DimWindow;
  setWindow: (w: DimWindow) => void;
  rangeText: string;
  setRange: (v: string) => void;
}) {
  return (
    <div className="controls surface-controls">
      <RoleToggle testIdPrefix="surface-norm" />
      <label className="inline">
        first dim
        <input
          type="number"
          min={0}
          max={width - 1}
          value={win.start}
          data-testid="surface-start"
          onChange={(e) => setWindow({ ...win, start: Number(e.target.value) })}
        />
      </label>
      <label className="inline">
        count
        <input
          type="number"
          min={1}
          max={512}
          value={win.count}
          data-testid="surface-count"
          onChange={(e) => setWindow({ ...win, count: Number(e.target.value) })}
        />
      </label>
      <label className="inline">
        stride
        <input
          type="number"
          min={1}
          value={win.stride}
          data-testid="surface-stride"
          onChange={(e) => setWindow({ ...win, stride: Number(e.target.value) })}
        />
      </label>
      <button className="small" onClick={() => setWindow(shiftWindow(win, -1, width))} disabled={win.start === 0}>
        ◀ previous
      </button>
      <button className="small" onClick={() => setWindow(shiftWindow(win, 1, width))}>
        next ▶
      </button>
      <button
        className="small"
        data-testid="surface-seed-window"
        onClick={() => setWindow({ start: 0, count: 100, stride: 1 })}
      >
        first 100 (the seed’s)
      </button>
      <button
        className="small"
        data-testid="surface-spread"
        onClick={() => setWindow({ start: 0, count: win.count, stride: strideCovering(width, win.count) })}
      >
        spread over all {width}
      </button>
      <label className="inline">
        <input
          type="checkbox"
          checked={rangeText === 'seed'}
          onChange={(e) => setRange(e.target.checked ? 'seed' : 'data')}
          data-testid="surface-seed-range"
        />
        colours 0–2 (the seed’s)
      </label>
    </div>
  );
}

/** One button per model with the norm, or all side by side. */
function ModelsShown({
  withRole,
  showText,
  setShow,
  allPressed,
}: {
  withRole: Entry[];
  showText: string;
  setShow: (v: string) => void;
  allPressed: boolean;
}) {
  return (
    <div className="segmented" role="group" aria-label="Models shown">
      <button className="small" aria-pressed={allPressed} onClick={() => setShow('all')} data-testid="surface-show-all">
        all side by side
      </button>
      {withRole.map(({ index, model }) => (
        <button
          key={index}
          className="small"
          aria-pressed={showText === String(index)}
          onClick={() => setShow(String(index))}
          data-testid={`surface-show-${index}`}
        >
          {shortName(model.repo)}
        </button>
      ))}
    </div>
  );
}

type Entry = { index: number; model: LoadedModel };

/** The panels' layout: one colour domain over every model with the role, meshes for the shown ones. */
function figureLayout(
  loaded: Entry[],
  withRole: Entry[],
  panels: Entry[],
  norm: keyof typeof ROLE_LABELS,
  win: DimWindow,
  rangeText: string,
) {
  if (panels.length === 0) return null;
  const models: LoadedModel[] = [];
  for (const { index, model } of loaded) models[index] = model;
  // one colour domain across ALL models with the role, so switching panels keeps colours
  const all = surfaceView(
    models,
    withRole.map((m) => m.index),
    norm,
    win,
  );
  const view = surfaceView(
    models,
    panels.map((m) => m.index),
    norm,
    { ...win, domain: all.domain },
  );
  return surfaceLayout({ ...view, domain: all.domain }, rangeText === 'seed' ? { domain: SEED_DOMAIN } : {});
}

/** Writes one hovered γ into the readout without a React render (hover is frequent). */
function showReading(el: HTMLDivElement | null, pick: SurfacePick | null, names: Map<number, string>): void {
  if (!el) return;
  // leaving a surface keeps the last reading, greyed, so it can still be read or copied
  el.classList.toggle('stale', pick === null);
  if (!pick) return;
  el.textContent = `${names.get(pick.model) ?? pick.model} · layer ${pick.layer} · dimension ${pick.dim} · γ = ${pick.gamma.toFixed(4)}`;
  el.setAttribute('data-model', String(pick.model));
  el.setAttribute('data-layer', String(pick.layer));
  el.setAttribute('data-dim', String(pick.dim));
  el.setAttribute('data-gamma', String(pick.gamma));
}

function SurfaceFigure() {
  const store = useAppStore();
  const norm = useApp((s) => s.query.norm);
  const loaded = useLoadedModels();
  const [startText] = useViewParam('start', '0');
  const [countText] = useViewParam('count', String(DEFAULT_COUNT));
  const [strideText] = useViewParam('stride', '1');
  const [showText, setShow] = useViewParam('show', 'all');
  const [rangeText, setRange] = useViewParam('range', 'data');
  const [camText, setCam] = useViewParam('cam', formatCam(DEFAULT_CAM));

  // memoised so the layout below depends on them directly and recomputes only when they change
  const withRole = useMemo(() => loaded.filter(({ model }) => model.layers.some((l) => l[norm])), [loaded, norm]);
  const width = Math.max(0, ...withRole.map(({ model }) => model.hiddenSize));
  const win = useMemo(
    () =>
      clampWindow(
        { start: intOr(startText, 0), count: intOr(countText, DEFAULT_COUNT), stride: intOr(strideText, 1) },
        width || 1,
      ),
    [startText, countText, strideText, width],
  );
  const shown = useMemo(
    () => (showText === 'all' ? withRole : withRole.filter(({ index }) => String(index) === showText)),
    [withRole, showText],
  );
  const panels = shown.length > 0 ? shown : withRole;

  const layout = useMemo(
    () => figureLayout(loaded, withRole, panels, norm, win, rangeText),
    [loaded, norm, win, rangeText, panels, withRole],
  );

  const [orbit] = useState(() => new OrbitStore(parseCam(camText, DEFAULT_CAM))); // later changes arrive through the effect
  useEffect(() => orbit.set(parseCam(camText, DEFAULT_CAM)), [camText, orbit]);
  const figureRef = useRef<HTMLDivElement>(null);
  const hoverRef = useRef<HTMLDivElement>(null);
  const names = new Map(loaded.map(({ index, model }) => [index, shortName(model.repo)]));

  const report = (pick: SurfacePick | null) => showReading(hoverRef.current, pick, names);

  const setWindow = (w: DimWindow) => {
    const c = clampWindow(w, width || 1);
    const extra = { ...store.getState().query.extra };
    const put = (k: string, v: number, fallback: number) => (v === fallback ? delete extra[k] : (extra[k] = String(v)));
    put('start', c.start, 0);
    put('count', c.count, DEFAULT_COUNT);
    put('stride', c.stride, 1);
    setQuery(store, { extra });
  };

  if (withRole.length === 0) {
    return (
      <SurfaceFrame figureRef={figureRef}>
        <p className="fig3d-placeholder">
          {loaded.length === 0 ? 'Loading the models…' : `No loaded model has a ${norm} norm.`}
        </p>
      </SurfaceFrame>
    );
  }

  return (
    <SurfaceFrame
      figureRef={figureRef}
      note={
        <>
          Height and colour are γ of the {ROLE_LABELS[norm].short}, on one scale for every model: equal heights mean
          equal γ. The seed showed only the first 100 dimensions; choose any window, or a stride that spreads the
          columns over all {width}. Drag to turn (all panels turn together), wheel to zoom, hover to read a value.
        </>
      }
    >
      <WindowControls width={width} win={win} setWindow={setWindow} rangeText={rangeText} setRange={setRange} />
      <div className="controls">
        <ModelsShown
          withRole={withRole}
          showText={showText}
          setShow={setShow}
          allPressed={showText === 'all' || shown.length === 0}
        />
        <span className="muted" data-testid="surface-window">
          {layout ? describeWindow(layout.dims, width, win.stride) : ''}
        </span>
      </div>
      <div className="surface-hover" ref={hoverRef} data-testid="surface-hover" aria-live="polite">
        Hover a surface to read one γ.
      </div>
      {layout && (
        <div className={`surface-figure ${panels.length === 1 ? 'single' : ''}`} ref={figureRef}>
          <div className="surface-panels">
            {layout.meshes.map((mesh) => (
              <SurfacePanel
                key={mesh.model}
                layout={layout}
                mesh={mesh}
                title={`${names.get(mesh.model) ?? mesh.model} — ${norm === 'input' ? 'input' : 'post-attention'} norm γ`}
                testId={`surface-panel-${mesh.model}`}
                onHover={report}
              >
                <OrbitRig orbit={orbit} target={SURFACE_TARGET} distance={SURFACE_DISTANCE} onCommit={setCam} />
              </SurfacePanel>
            ))}
          </div>
          <SurfaceLegend domain={layout.domain} />
        </div>
      )}
    </SurfaceFrame>
  );
}
