// Seed Figure 8 + the scale observation: per-layer mean, std, min, max and ‖γ‖ of every loaded
// model, input and post, overlaid; √d marks the norm of an all-ones γ.
import { useMemo, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import { useApp } from '../../state/storeContext';
import { useLoadedModels, useViewParam } from '../viewState';
import { shortName } from '../modelNames';
import { ViewFrame } from '../ViewFrame';
import { EmptyState, Readout } from '../kit2d/frameParts';
import { ModelToggles } from '../kit2d/Controls';
import { LinePanel, SvgLegend } from '../kit2d/LinePanel';
import { markerPath } from '../kit2d/chartLayout';
import { parseSubset, toggleSubset } from '../kit2d/pairChoice';
import { modelColor, modelMarker } from '../kit2d/palette';
import { fixed } from '../kit2d/format';
import { ReadoutTable } from '../kit2d/ReadoutTable';
import { layerStatsTable } from '../../core/layerStatsTable';
import { METRICS, scaleObservations, statsLayout, statsReadout } from './statsModel';

const TOP = 36;

const STATS_NOTE = (
  <>
    Per layer (x) and model (colour), the mean, standard deviation, minimum and maximum of γ over all dimensions, and
    its L2 norm ‖γ‖. γ starts at 1.0, where ‖γ‖ = √d (dashed red); trained models leave that far behind, and in many the
    scale climbs with depth. A large shared scale is what inflates raw cosine, and a large scale next to a small pattern
    is what low-precision formats lose (see the precision view). Derived models overlap line for line. Hover a layer for
    every number; tick models on or off.
  </>
);

/** The hover readout: every shown model's statistics at one layer. */
function StatsReadoutTable({ layer, rows }: { layer: number; rows: ReturnType<typeof statsReadout> }) {
  return (
    <ReadoutTable
      testId="stats-readout-table"
      layer={layer}
      columns={['norm', 'mean', 'std', 'min', 'max', '‖γ‖']}
      rows={rows.map((r) => ({
        key: `${r.model}-${r.role}`,
        model: r.model,
        name: r.name,
        testId: `stats-readout-${r.model}-${r.role}`,
        cells: [
          { key: 'role', text: r.role },
          ...METRICS.map((k) => ({
            key: k,
            text: fixed(r.values[k], k === 'l2' ? 3 : 5),
            testId: `stats-value-${r.model}-${r.role}-${k}`,
          })),
        ],
      }))}
    />
  );
}

export function StatsView() {
  const models = useLoadedModels();
  const figures = useApp((s) => s.figures);
  const [subsetParam, setSubset] = useViewParam('subset', '');
  const [hover, setHover] = useState<number | null>(null);
  const figureRef = useRef<SVGSVGElement>(null);

  const loaded = models.map((m) => m.index);
  const shown = parseSubset(subsetParam, loaded);
  const info = useMemo(
    () => models.map(({ index, model }) => ({ index, name: shortName(model.repo), hiddenSize: model.hiddenSize })),
    [models],
  );
  // the worker's figures when every model loaded; otherwise (a failed load) the loaded ones, here
  const local = useMemo(
    () =>
      figures
        ? null
        : models.flatMap(({ index, model }) => layerStatsTable([model]).map((s) => ({ ...s, model: index }))),
    [figures, models],
  );
  const stats = figures?.stats ?? local;
  const shownKey = shown.join(',');
  const layout = useMemo(
    () => (stats ? statsLayout(stats, info, shownKey.split(',').map(Number)) : null),
    [stats, info, shownKey],
  );

  const frame = (children: ReactNode) => (
    <ViewFrame
      id="stats"
      title="Layer-wise γ statistics and the scale of ‖γ‖"
      figure="seed Figure 8, scale observation"
      note={STATS_NOTE}
      figureRef={figureRef}
      controls={
        models.length > 0 ? (
          <ModelToggles models={models} shown={shown} onToggle={(i) => setSubset(toggleSubset(shown, loaded, i))} />
        ) : undefined
      }
    >
      {children}
    </ViewFrame>
  );
  if (models.length === 0)
    return frame(<EmptyState id="stats">Load at least one model to see its per-layer statistics.</EmptyState>);
  if (!stats || !layout)
    return frame(
      <p className="muted" data-testid="stats-computing">
        Computing the per-layer statistics…
      </p>,
    );
  if (layout.panels.length === 0)
    return frame(<EmptyState id="stats">None of the shown models has norm vectors on its decoder layers.</EmptyState>);

  const rows = hover !== null ? statsReadout(stats, info, shown, hover) : [];
  const legend = info
    .filter((m) => shown.includes(m.index))
    .map((m) => ({
      key: String(m.index),
      label: m.name,
      color: modelColor(m.index),
      marker: markerPath(modelMarker(m.index), 0, 0),
    }));
  const observations = scaleObservations(stats, info, shown);

  return frame(
    <>
      <div className="f2d-figure-box">
        <svg
          ref={figureRef}
          className="f2d-svg"
          width={layout.width}
          height={layout.height + TOP}
          viewBox={`0 0 ${layout.width} ${layout.height + TOP}`}
          data-testid="stats-figure"
        >
          <SvgLegend x={60} y={14} entries={legend} />
          <line className="f2d-sqrtd" x1={layout.width - 260} x2={layout.width - 236} y1={14} y2={14} />
          <text x={layout.width - 230} y={14} dy="0.32em">
            √d: ‖γ‖ of an all-ones γ (its initial value)
          </text>
          <g transform={`translate(0,${TOP})`}>
            {layout.panels.map((p, i) => (
              <LinePanel
                key={`${p.role}-${p.metric}`}
                layout={p.layout}
                hover={hover}
                onHover={setHover}
                testId={`stats-${p.role}-${p.metric}`}
                maxMarkers={64}
                keyboard={i === 0}
                keyLabel="Layer statistics of every shown model (one layer read out for all panels)"
              />
            ))}
          </g>
        </svg>
      </div>
      <Readout id="stats" hint="Hover a layer to read every model’s statistics there.">
        {hover !== null && rows.length > 0 ? <StatsReadoutTable layer={hover} rows={rows} /> : undefined}
      </Readout>
      <div className="f2d-summary" data-testid="stats-scale">
        <p>
          <b>Scale.</b> γ is initialised at 1.0, so an untrained layer has ‖γ‖ = √d (
          {[...new Set(info.filter((m) => shown.includes(m.index)).map((m) => m.hiddenSize))]
            .map((d) => `${Math.sqrt(d).toFixed(1)} for d = ${d}`)
            .join(', ')}
          ). Measured:
        </p>
        <ul>
          {observations.map((o) => (
            <li key={`${o.model}-${o.role}`}>{o.sentence}</li>
          ))}
        </ul>
      </div>
    </>,
  );
}
