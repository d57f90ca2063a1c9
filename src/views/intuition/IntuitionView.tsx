// Seed Figures 1, 3 and 4, live for any pair: sampled γ bars, the same bars centred, and the
// per-layer cosine/Pearson line with the shown layer marked (click a layer to show it).
import type { ReactNode, RefObject } from 'react';
import { useMemo, useRef, useState } from 'react';
import { useApp } from '../../state/storeContext';
import { useLoadedModels, useViewParam } from '../viewState';
import { shortName } from '../modelNames';
import { ViewFrame } from '../ViewFrame';
import { EmptyState, Readout } from '../kit2d/frameParts';
import { PairSelect, ROLE_NAMES, RoleToggle } from '../kit2d/Controls';
import { LinePanel, SvgLegend } from '../kit2d/LinePanel';
import { PanelAxes } from '../kit2d/PanelAxes';
import { markerPath } from '../kit2d/chartLayout';
import { candidatePairs, choosePair, sameWidth } from '../kit2d/pairChoice';
import { INIT_COLOR, modelColor } from '../kit2d/palette';
import { fixed } from '../kit2d/format';
import { svgPoint } from '../kit2d/svgPoint';
import {
  COSINE_COLOR,
  diagonalOf,
  intuitionLayout,
  parseSeed,
  PEARSON_COLOR,
  resolveLayer,
  sampleAt,
} from './intuitionModel';
import type { BarPanelLayout } from './intuitionModel';

const TOP = 30;

type Hover = { kind: 'dim'; sample: number } | { kind: 'layer'; layer: number } | null;

function BarPanel({
  p,
  colors,
  names,
  onHover,
  hover,
}: {
  p: BarPanelLayout;
  colors: [string, string];
  names: [string, string];
  hover: number | null;
  onHover: (sample: number | null) => void;
}) {
  const { plot } = p;
  const slot = hover !== null ? p.slots[hover] : undefined;
  return (
    <g className="f2d-panel" data-testid={`intuition-panel-${p.tag.replace(/\W/g, '')}`}>
      <text className="f2d-tag" fontWeight={700} x={p.box.x + 4} y={p.box.y + 14}>
        {p.tag}
      </text>
      <PanelAxes
        box={p.box}
        plot={plot}
        title={p.title}
        xLabel={p.xLabel}
        yLabel={p.yLabel}
        yTicks={p.yTicks}
        xLabelGap={18}
      />
      {slot && (
        <rect className="f2d-hover-band" x={slot.x0} y={plot.y} width={slot.x1 - slot.x0} height={plot.height} />
      )}
      {p.bars.map((b) => (
        <rect
          key={`${b.sample}-${b.series}`}
          x={b.x}
          y={b.y}
          width={b.width}
          height={Math.max(b.height, 0.5)}
          fill={colors[b.series]}
        />
      ))}
      <line className="f2d-zero" x1={plot.x} x2={plot.x + plot.width} y1={p.zeroY} y2={p.zeroY} />
      {p.initY !== null && <line className="f2d-init" x1={plot.x} x2={plot.x + plot.width} y1={p.initY} y2={p.initY} />}
      <g className="f2d-statbox" transform={`translate(${plot.x + 6},${plot.y + 6})`}>
        <rect
          width={Math.max(...p.stat.map((s, i) => s.length * (i === 0 ? 7.1 : 5.8))) + 12}
          height={p.stat.length * 15 + 6}
          rx={3}
        />
        {p.stat.map((s, i) => (
          <text
            key={s}
            x={6}
            y={14 + i * 15}
            className={i === 0 ? 'f2d-stat' : 'f2d-stat-sub'}
            fontWeight={i === 0 ? 600 : 400}
          >
            {s}
          </text>
        ))}
      </g>
      <g transform={`translate(${plot.x + plot.width - 150},${plot.y + 14})`} className="f2d-legend">
        <rect
          className="f2d-legend-bg"
          x={-6}
          y={-10}
          width={150}
          height={(names.length + (p.initY !== null ? 1 : 0)) * 15 + 6}
          rx={3}
        />
        {p.initY !== null && (
          <g>
            <line x1={0} x2={20} stroke={INIT_COLOR} strokeDasharray="5 3" />
            <text x={26} dy="0.32em">
              init (1.0)
            </text>
          </g>
        )}
        {names.map((n, i) => (
          <g key={n + i} transform={`translate(0,${(i + (p.initY !== null ? 1 : 0)) * 15})`}>
            <rect x={4} y={-5} width={12} height={10} fill={colors[i]} />
            <text x={26} dy="0.32em">
              {n}
            </text>
          </g>
        ))}
      </g>
      <rect
        className="f2d-hit"
        x={plot.x}
        y={plot.y}
        width={plot.width}
        height={plot.height}
        onPointerMove={(e) => onHover(sampleAt(p, svgPoint(e)[0]))}
        onPointerLeave={() => onHover(null)}
      />
    </g>
  );
}

const INTUITION_NOTE = (
  <>
    Raw cosine asks whether two γ vectors point the same way; Pearson r asks whether their fluctuations match. Because γ
    is mostly positive and concentrated, the shared mean direction dominates the dot product, so (a) can show cos ≈ 0.99
    while the bars do not match. (b) subtracts each model’s own mean and compares only the pattern. (c) repeats both
    measures for every same-index layer; the red line marks the layer shown, by default the one with the highest raw
    cosine (the most favourable case). {4 * Math.floor(50 / 4)} dimensions are sampled, 12 per quartile of the pair’s
    mean (the seed’s “50”); the printed cos and r use every dimension. Click a layer in (c) to show it.
  </>
);

/** The three panels: raw bars (a), centred bars (b), cosine and Pearson per layer (c). */
function IntuitionFigure({
  layout,
  height,
  names,
  colors,
  norm,
  hover,
  setHover,
  diagonal,
  setLayer,
  svgRef,
}: {
  layout: NonNullable<ReturnType<typeof intuitionLayout>>;
  height: number;
  names: [string, string];
  colors: [string, string];
  norm: keyof typeof ROLE_NAMES;
  hover: Hover;
  setHover: (h: Hover) => void;
  diagonal: ReturnType<typeof diagonalOf>;
  setLayer: (v: string) => void;
  svgRef: RefObject<SVGSVGElement | null>;
}) {
  return (
    <div className="f2d-figure-box">
      <svg
        ref={svgRef}
        className="f2d-svg"
        width={layout.width}
        height={height}
        viewBox={`0 0 ${layout.width} ${height}`}
        data-testid="intuition-figure"
      >
        <text className="f2d-suptitle" fontWeight={700} x={layout.width / 2} y={18} textAnchor="middle">
          {names[0]} vs {names[1]} · {ROLE_NAMES[norm]} · layer {layout.layer}
        </text>
        <g transform={`translate(0,${TOP})`}>
          <BarPanel
            p={layout.raw}
            colors={colors}
            names={names}
            hover={hover?.kind === 'dim' ? hover.sample : null}
            onHover={(s) => setHover(s === null ? null : { kind: 'dim', sample: s })}
          />
          <BarPanel
            p={layout.centred}
            colors={colors}
            names={names}
            hover={hover?.kind === 'dim' ? hover.sample : null}
            onHover={(s) => setHover(s === null ? null : { kind: 'dim', sample: s })}
          />
          <LinePanel
            layout={layout.perLayer}
            testId="intuition-per-layer"
            hover={hover?.kind === 'layer' ? hover.layer : null}
            onHover={(l) => setHover(l === null ? null : { kind: 'layer', layer: l })}
            onPick={(l) => {
              if (Number.isFinite(diagonal[l]?.cosine)) setLayer(String(l));
            }}
          >
            <text className="f2d-tag" fontWeight={700} x={layout.perLayer.box.x + 4} y={layout.perLayer.box.y + 14}>
              (c)
            </text>
            <SvgLegend
              boxed
              x={layout.perLayer.plot.x + layout.perLayer.plot.width - 212}
              y={layout.perLayer.plot.y + layout.perLayer.plot.height * 0.55}
              entries={[
                { key: 'c', label: 'raw cosine', color: COSINE_COLOR, marker: markerPath('circle', 0, 0) },
                { key: 'p', label: 'Pearson r', color: PEARSON_COLOR, marker: markerPath('triangle', 0, 0) },
              ]}
            />
          </LinePanel>
        </g>
      </svg>
    </div>
  );
}

/** The readout text for the hovered dimension or layer; undefined shows the hint. */
function intuitionReading(
  hoverDim: number | undefined,
  hoverLayer: ReturnType<typeof diagonalOf>[number] | undefined,
  va: ArrayLike<number> | undefined,
  vb: ArrayLike<number> | undefined,
  layout: ReturnType<typeof intuitionLayout> | null,
  names: [string, string],
  hiddenSize: number,
): ReactNode {
  if (hoverDim !== undefined && va && vb && layout) {
    return (
      <span data-testid="intuition-readout-dim">
        dimension <b>{hoverDim}</b>: {names[0]} γ = <b>{fixed(va[hoverDim]!, 5)}</b> (centred{' '}
        {fixed(va[hoverDim]! - layout.meanA, 5)}), {names[1]} γ = <b>{fixed(vb[hoverDim]!, 5)}</b> (centred{' '}
        {fixed(vb[hoverDim]! - layout.meanB, 5)})
      </span>
    );
  } else if (hoverLayer) {
    return (
      <span data-testid="intuition-readout-layer">
        layer <b>{hoverLayer.layer}</b>: raw cosine{' '}
        <b data-testid="intuition-hover-cos">{fixed(hoverLayer.cosine, 4)}</b>, Pearson r{' '}
        <b data-testid="intuition-hover-r">{fixed(hoverLayer.pearson, 4)}</b> (all {hiddenSize} dims) — click to show
        this layer
      </span>
    );
  }
  return undefined;
}

export function IntuitionView() {
  const models = useLoadedModels();
  const requested = useApp((s) => s.query.pair);
  const norm = useApp((s) => s.query.norm);
  const [layerParam, setLayer] = useViewParam('layer', '');
  const [seedParam, setSeed] = useViewParam('seed', '1');
  const [hover, setHover] = useState<Hover>(null);
  const figureRef = useRef<SVGSVGElement>(null);

  const pair = choosePair(models, requested, sameWidth);
  const ma = pair ? models.find((m) => m.index === pair[0])?.model : undefined;
  const mb = pair ? models.find((m) => m.index === pair[1])?.model : undefined;
  const diagonal = useMemo(() => (ma && mb ? diagonalOf(ma, mb, norm) : []), [ma, mb, norm]);
  const layer = resolveLayer(layerParam, diagonal);
  const seed = parseSeed(seedParam);
  const va = layer !== null ? ma?.layers[layer]?.[norm] : undefined;
  const vb = layer !== null ? mb?.layers[layer]?.[norm] : undefined;
  const layout = useMemo(
    () =>
      va && vb && layer !== null && va.length === vb.length
        ? intuitionLayout({ a: va, b: vb, diagonal, layer, seed })
        : null,
    [va, vb, diagonal, layer, seed],
  );

  if (!pair || !ma || !mb) {
    return (
      <ViewFrame
        id="intuition"
        title="Cosine vs Pearson for one layer"
        figure="seed Figures 1, 3, 4"
        note={INTUITION_NOTE}
        figureRef={figureRef}
      >
        <EmptyState id="intuition">
          Load at least two models of the same hidden size to compare their γ dimension by dimension.
        </EmptyState>
      </ViewFrame>
    );
  }
  const names: [string, string] = [shortName(ma.repo), shortName(mb.repo)];
  const colors: [string, string] = [modelColor(pair[0]), pair[1] === pair[0] ? '#999' : modelColor(pair[1])];
  const controls = (
    <>
      <PairSelect pairs={candidatePairs(models, sameWidth)} value={pair} models={models} />
      <RoleToggle />
      <button
        data-testid="intuition-resample"
        onClick={() => setSeed(String((seed + 1) % 0xffffffff))}
        title="draw another sample of dimensions"
      >
        Resample dimensions (seed {seed})
      </button>
      {layerParam !== '' && (
        <button className="small" onClick={() => setLayer('')}>
          back to the highest-cosine layer
        </button>
      )}
    </>
  );
  const height = (layout?.height ?? 0) + TOP + 8;
  const hoverDim = hover?.kind === 'dim' && layout ? layout.dims[hover.sample] : undefined;
  const hoverLayer = hover?.kind === 'layer' ? diagonal[hover.layer] : undefined;

  const reading = intuitionReading(hoverDim, hoverLayer, va, vb, layout, names, ma.hiddenSize);
  return (
    <ViewFrame
      id="intuition"
      title="Cosine vs Pearson for one layer"
      figure="seed Figures 1, 3, 4"
      note={INTUITION_NOTE}
      figureRef={figureRef}
      controls={controls}
    >
      {!layout ? (
        <EmptyState id="intuition">
          {names[0]} and {names[1]} have no layer where both carry the {ROLE_NAMES[norm]}; try the other norm.
        </EmptyState>
      ) : (
        <>
          <IntuitionFigure
            layout={layout}
            height={height}
            names={names}
            colors={colors}
            norm={norm}
            hover={hover}
            setHover={setHover}
            diagonal={diagonal}
            setLayer={setLayer}
            svgRef={figureRef}
          />
          <Readout
            id="intuition"
            hint="Hover a bar for its dimension, or a layer in (c) for its values; click a layer to show it."
          >
            {reading}
          </Readout>
          <p className="f2d-summary" data-testid="intuition-summary">
            Layer {layout.layer}: raw cosine <b data-testid="intuition-cos">{fixed(layout.cos, 4)}</b>, Pearson r{' '}
            <b data-testid="intuition-r">{fixed(layout.r, 4)}</b> over all {layout.d} dimensions. With the same means
            and spreads and no shared pattern at all (r = 0), the cosine would be {fixed(layout.cosAtZeroR, 4)}: the
            part of the cosine that the pattern adds is {fixed(layout.cos - layout.cosAtZeroR, 4)}.
          </p>
        </>
      )}
      {pair && requested && (requested[0] !== pair[0] || requested[1] !== pair[1]) && (
        <p className="hint">
          The requested pair is not comparable (different widths or not loaded); showing {names[0]} × {names[1]}.
        </p>
      )}
    </ViewFrame>
  );
}
