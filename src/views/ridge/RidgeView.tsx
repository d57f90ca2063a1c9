// Seed Figure 9: per-layer γ distributions stacked by depth, two models overlaid, input and post
// side by side; every `step`-th layer (URL `step=`).
import { useMemo, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import { useApp } from '../../state/storeContext';
import { useLoadedModels, useViewParam } from '../viewState';
import { shortName } from '../modelNames';
import { ViewFrame } from '../ViewFrame';
import { EmptyState, Readout } from '../kit2d/frameParts';
import { PairSelect, ROLE_NAMES } from '../kit2d/Controls';
import { anyPair, candidatePairs, choosePair } from '../kit2d/pairChoice';
import { INIT_COLOR, modelColor, RIDGE_FILL_OPACITY } from '../kit2d/palette';
import { SvgLegend } from '../kit2d/LinePanel';
import { fixed } from '../kit2d/format';
import { svgPoint } from '../kit2d/svgPoint';
import { useViewResult } from '../../state/useViewResult';
import { clippedNotes, DEFAULT_STEP, parseStep, ridgeFirstHit, ridgeHit, ridgeKeyHit, ridgeLayout } from './ridgeModel';
import { KeyHit } from '../kit2d/KeyHit';
import { ModelName } from '../kit2d/ReadoutTable';
import type { RidgeHit, RidgePanel } from './ridgeModel';
import { modelRoles } from '../../core/pairs';
import { NORM_ROLES } from '../../core/types';
import { ROLE_LABELS } from '../../core/roles';

const TOP = 30;

function stepWords(step: number): string {
  if (step === 1) return 'every layer';
  const suffix = { 2: 'nd', 3: 'rd' }[step] ?? 'th';
  return `every ${step}${suffix} layer`;
}
const STEPS = [1, 2, 3, 4, 5, 6, 8, 10, 12];

/** room for the legend row: two model names and the init line */
const legendWidth = (models: number, init: boolean) => models * 150 + (init ? 95 : 0);

function Panel({
  p,
  names,
  onHover,
  hover,
}: {
  p: RidgePanel;
  names: Map<number, string>;
  hover: RidgeHit | null;
  onHover: (h: RidgeHit | null) => void;
}) {
  const { plot } = p;
  const models = [...new Set(p.paths.map((x) => x.model))];
  const hoverRow = hover && hover.norm === p.norm ? p.rows.find((r) => r.layer === hover.layer) : undefined;
  return (
    <g className="f2d-panel" data-testid={`ridge-panel-${p.norm}`}>
      <text className="f2d-title" fontWeight={700} x={plot.x + plot.width / 2} y={p.box.y + 16} textAnchor="middle">
        {ROLE_NAMES[p.norm]}
      </text>
      <rect className="f2d-frame" x={p.box.x + 4} y={plot.y - 6} width={p.box.width - 8} height={plot.height + 10} />
      {p.xTicks.map((t) => (
        <g key={t.value}>
          <line x1={t.pos} x2={t.pos} y1={plot.y + plot.height + 4} y2={plot.y + plot.height + 8} stroke="#333" />
          <text className="f2d-tick" x={t.pos} y={plot.y + plot.height + 19} textAnchor="middle">
            {t.label}
          </text>
        </g>
      ))}
      <text className="f2d-axis" x={plot.x + plot.width / 2} y={plot.y + plot.height + 34} textAnchor="middle">
        γ value
      </text>
      {p.initX !== null && (
        <line className="f2d-init" x1={p.initX} x2={p.initX} y1={plot.y - 6} y2={plot.y + plot.height + 4} />
      )}
      {hoverRow && (
        <rect
          className="f2d-hover-band"
          x={plot.x}
          y={hoverRow.baseline - p.spacing * 0.75}
          width={plot.width}
          height={p.spacing}
        />
      )}
      {p.rows.map((r) => (
        <g key={r.layer}>
          <text className="f2d-tick" x={p.box.x + 10} y={r.baseline} dy="-0.2em">
            {r.label}
          </text>
        </g>
      ))}
      {p.paths.map((path) => (
        <g key={`${path.layer}-${path.model}`}>
          <path d={path.d} fill={modelColor(path.model)} fillOpacity={RIDGE_FILL_OPACITY} stroke="none" />
          <path d={path.outline} fill="none" stroke={modelColor(path.model)} strokeWidth={0.9} />
        </g>
      ))}
      {p.rows.map((r) => (
        <line
          key={`b${r.layer}`}
          x1={plot.x}
          x2={plot.x + plot.width}
          y1={r.baseline}
          y2={r.baseline}
          stroke="#6c6c8a"
          strokeWidth={0.6}
        />
      ))}
      {hover && hover.norm === p.norm && (
        <line
          className="f2d-hover-line"
          x1={plot.x + (((hover.range[0] + hover.range[1]) / 2 - p.lo) / (p.hi - p.lo)) * plot.width}
          x2={plot.x + (((hover.range[0] + hover.range[1]) / 2 - p.lo) / (p.hi - p.lo)) * plot.width}
          y1={plot.y}
          y2={plot.y + plot.height}
        />
      )}
      <SvgLegend
        x={plot.x + plot.width - legendWidth(models.length, p.initX !== null)}
        y={p.box.y + 34}
        entries={[
          ...models.map((m) => ({
            key: String(m),
            label: names.get(m) ?? `model ${m}`,
            color: modelColor(m),
            swatch: true,
          })),
          ...(p.initX !== null ? [{ key: 'init', label: 'init (1.0)', color: INIT_COLOR, dash: '6 4' }] : []),
        ]}
      />
      <KeyHit
        rect={{ x: plot.x, y: plot.y - 6, width: plot.width, height: plot.height + 6 }}
        roleDescription="ridge plot"
        label={`${ROLE_LABELS[p.norm].short} γ distributions by layer: up and down arrow keys move between layers, left and right along γ, Escape leaves`}
        onEnter={() => {
          if (!hover || hover.norm !== p.norm) onHover(ridgeFirstHit(p));
        }}
        onLeave={() => onHover(null)}
        onKey={(key) => {
          const next = ridgeKeyHit(p, hover, key);
          if (next === null || next === 'leave') return false;
          onHover(next);
          return true;
        }}
        onPointerMove={(e) => onHover(ridgeHit(p, ...svgPoint(e)))}
        onPointerLeave={() => onHover(null)}
      />
    </g>
  );
}

const RIDGE_NOTE = (
  <>
    Each ridge is the histogram of one layer’s γ over all dimensions (60 bins), stacked by depth with layer 0 at the
    bottom; the two models overlay in their colours, input norm left and post-attention norm right. Ridges of one layer
    share a height scale, so the two models compare at that layer; each layer is scaled on its own so narrow early
    layers do not flatten the rest. The x range covers 99.8% of the values of each panel (the seed fixed −0.2…2.0 and
    silently dropped GLM’s post values above 2); what falls outside is listed below. The red line is γ’s initial value
    1.0.
  </>
);

export function RidgeView() {
  const models = useLoadedModels();
  const requested = useApp((s) => s.query.pair);
  const [stepParam, setStep] = useViewParam('step', String(DEFAULT_STEP));
  const [hover, setHover] = useState<RidgeHit | null>(null);
  const figureRef = useRef<SVGSVGElement>(null);
  const step = parseStep(stepParam);

  const pair = choosePair(models, requested, anyPair);
  const chosen = pair ? pair.map((i) => models.find((m) => m.index === i)!) : models.slice(0, 1);
  // two panels: input and pre-MLP where the models have them, else the first two roles they all
  // have (histograms need no common width)
  const roles = NORM_ROLES.filter((r) => chosen.every((m) => modelRoles(m.model).includes(r))).slice(0, 2);
  // the result carries the query positions it was computed for, so a late result keeps its colours
  const computed = useViewResult(
    chosen.length ? { kind: 'ridge', models: chosen.map((m) => m.index), norms: roles, step } : null,
  );
  const views = computed.value?.views ?? null;
  const layout = useMemo(
    () => (computed.value ? ridgeLayout(computed.value.views, computed.value.positions) : null),
    [computed.value],
  );
  const names = new Map(models.map((m) => [m.index, shortName(m.model.repo)]));

  const controls = (
    <>
      {pair && <PairSelect pairs={candidatePairs(models, anyPair)} value={pair} models={models} label="models" />}
      <label className="inline">
        show
        <select data-testid="ridge-step" value={step} onChange={(e) => setStep(e.target.value)}>
          {STEPS.map((s) => (
            <option key={s} value={s}>
              {stepWords(s)}
            </option>
          ))}
        </select>
      </label>
      {computed.pending && <span className="muted">computing…</span>}
    </>
  );
  const frame = (children: ReactNode) => (
    <ViewFrame
      id="ridge"
      title="γ distributions by depth"
      figure="seed Figure 9"
      note={RIDGE_NOTE}
      figureRef={figureRef}
      controls={models.length ? controls : undefined}
    >
      {children}
    </ViewFrame>
  );
  if (chosen.length === 0)
    return frame(
      <EmptyState id="ridge">Load at least one model (two to overlay them) to see its γ distributions.</EmptyState>,
    );
  if (computed.error)
    return frame(<EmptyState id="ridge">Could not compute the histograms: {computed.error}</EmptyState>);
  if (!layout || !views) return frame(<p className="muted">Computing the histograms…</p>);
  if (layout.panels.length === 0)
    return frame(<EmptyState id="ridge">These models have no norm vectors on their decoder layers.</EmptyState>);
  const notes = views.flatMap((v) =>
    clippedNotes(v, (m) => names.get(m) ?? `model ${m}`).map((n) => `${ROLE_NAMES[v.norm].split(' ')[0]}: ${n}`),
  );

  return frame(
    <>
      <div className="f2d-figure-box">
        <svg
          ref={figureRef}
          className="f2d-svg"
          width={layout.width}
          height={layout.height + TOP}
          viewBox={`0 0 ${layout.width} ${layout.height + TOP}`}
          data-testid="ridge-figure"
        >
          <text className="f2d-suptitle" fontWeight={700} x={layout.width / 2} y={18} textAnchor="middle">
            γ distribution by layer · {chosen.map((m) => shortName(m.model.repo)).join(' vs ')} · {stepWords(step)}
          </text>
          <g transform={`translate(0,${TOP})`}>
            {layout.panels.map((p) => (
              <Panel key={p.norm} p={p} names={names} hover={hover} onHover={setHover} />
            ))}
          </g>
        </svg>
      </div>
      <Readout
        id="ridge"
        hint="Hover a ridge, or Tab to a panel and use the arrow keys, to read the densities at that γ."
      >
        {hover ? (
          <span data-testid="ridge-readout" data-lo={hover.range[0]} data-hi={hover.range[1]}>
            {ROLE_NAMES[hover.norm].split(' ')[0]} · layer <b data-testid="ridge-hover-layer">{hover.layer}</b> · γ in [
            {fixed(hover.range[0], 3)}, {fixed(hover.range[1], 3)}):{' '}
            {hover.models.map((m, i) => (
              <span key={m.model} data-model={m.model} data-share={m.density * (hover.range[1] - hover.range[0])}>
                {i > 0 && '; '}
                <ModelName model={m.model} name={names.get(m.model) ?? `model ${m.model}`} /> density{' '}
                {fixed(m.density, 2)} ({fixed(m.density * (hover.range[1] - hover.range[0]) * 100, 1)}% of its values)
              </span>
            ))}
          </span>
        ) : undefined}
      </Readout>
      {notes.length > 0 && (
        <details className="hint" data-testid="ridge-clipped">
          <summary>
            {notes.length} layer{notes.length > 1 ? 's have' : ' has'} values outside the plotted range
          </summary>
          <ul>
            {notes.map((n) => (
              <li key={n}>{n}</li>
            ))}
          </ul>
        </details>
      )}
    </>,
  );
}
