// Seed Figure 10 / Appendix D: input − post per layer, compared between two models; the per-layer
// Pearson of the diffs and the full layer × layer heatmap.
import { useMemo, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import { useApp } from '../../state/storeContext';
import { withinLayerSummary } from '../../core/withinLayer';
import type { LoadedModel } from '../../core/types';
import { useLoadedModels, useViewParam } from '../viewState';
import { shortName } from '../modelNames';
import { ViewFrame } from '../ViewFrame';
import { EmptyState, Readout } from '../kit2d/frameParts';
import { AxisLabels } from '../kit2d/PanelAxes';
import { PairSelect } from '../kit2d/Controls';
import { LinePanel, SvgLegend } from '../kit2d/LinePanel';
import { ColorBar, MatrixImage } from '../kit2d/MatrixImage';
import { markerPath } from '../kit2d/chartLayout';
import { candidatePairs, choosePair } from '../kit2d/pairChoice';
import { modelColor, modelMarker } from '../kit2d/palette';
import { fixed } from '../kit2d/format';
import { useViewResult } from '../../state/useViewResult';
import { hasBothRoles, withinLayout } from './withinModel';
import { MatrixHit } from '../heatmap/MatrixHit';

const TOP = 52;
const fits = (a: LoadedModel, b: LoadedModel) => a.hiddenSize === b.hiddenSize && hasBothRoles(a) && hasBothRoles(b);

type Hover = { kind: 'layer'; layer: number } | { kind: 'cell'; cell: [number, number] } | null;

/** What the mean same-layer r of the input − post diffs says about shared ancestry. */
function patternWords(sameIndexMean: number): string {
  if (sameIndexMean > 0.5)
    return 'The two models split scale between attention and FFN in the same pattern, as a derived model would.';
  if (Math.abs(sameIndexMean) < 0.05) return 'No shared attention-vs-FFN pattern: what independent models show.';
  return 'A weak shared pattern; see the verdict in the explorer before reading anything into it.';
}

const WITHIN_NOTE = (
  <>
    Inside each block, the input norm scales the attention path and the post-attention norm the FFN path. Their
    difference diff = input − post, dimension by dimension, is a fingerprint of how a model splits scale between the
    two. (a) and (b) give its mean and spread per layer for both models; (c) the Pearson r of the two models’ diffs at
    the same layer; (d) r for every pair of layers, where a derived model shows a bright diagonal (shifted if layers
    were added or removed). Independent models sit near r = 0 everywhere. Hover for values; click a layer in (a)–(c) to
    mark it.
  </>
);

/** Panel (d): r of the two models' diffs for every layer pair, with hover. */
function WithinHeatmap({
  h,
  names,
  hover,
  setHover,
}: {
  h: NonNullable<ReturnType<typeof withinLayout>>['heatmap'];
  names: [string, string];
  hover: Hover;
  setHover: (h: Hover) => void;
}) {
  const cw = h.plot.width / h.cols,
    ch = h.plot.height / h.rows;
  return (
    <g className="f2d-panel" data-testid="within-heatmap">
      <text className="f2d-title" fontWeight={700} x={h.plot.x + h.plot.width / 2} y={14} textAnchor="middle">
        (d) r of the diffs, every layer pair
      </text>
      <MatrixImage
        values={h.values}
        rows={h.rows}
        cols={h.cols}
        scale={h.scale}
        plot={h.plot}
        testId="within-heatmap-image"
      />
      <rect className="f2d-frame" x={h.plot.x} y={h.plot.y} width={h.plot.width} height={h.plot.height} />
      <line
        className="f2d-diagonal"
        x1={h.plot.x}
        y1={h.plot.y}
        x2={h.plot.x + h.diagonalEnd[0]}
        y2={h.plot.y + h.diagonalEnd[1]}
      />
      <AxisLabels
        plot={h.plot}
        xLabel={`${names[1]} layer`}
        yLabel={`${names[0]} layer`}
        xTicks={h.xTicks}
        yTicks={h.yTicks}
        xTickGap={12}
        xLabelGap={27}
        yLabelX={h.plot.x - 30}
      />
      <ColorBar
        id="within"
        scale={h.scale}
        x={h.legend.x}
        y={h.legend.y}
        height={h.legend.height}
        ticks={h.legend.ticks}
      />
      {hover?.kind === 'cell' && (
        <rect
          className="f2d-hover-cell"
          x={h.plot.x + hover.cell[1] * cw}
          y={h.plot.y + hover.cell[0] * ch}
          width={Math.max(cw, 3)}
          height={Math.max(ch, 3)}
        />
      )}
      <MatrixHit
        plot={h.plot}
        rows={h.rows}
        cols={h.cols}
        label="(d) r of the diffs, every layer pair"
        hover={hover?.kind === 'cell' ? hover.cell : null}
        onHover={(cell) => setHover(cell ? { kind: 'cell', cell } : null)}
      />
    </g>
  );
}

/** The readout text for the hovered layer or cell; undefined shows the hint. */
function withinReading(
  hover: Hover,
  names: [string, string],
  summaries: readonly [ReturnType<typeof withinLayerSummary>, ReturnType<typeof withinLayerSummary>],
  current: { pearson: ArrayLike<number> },
  h: NonNullable<ReturnType<typeof withinLayout>>['heatmap'],
): ReactNode {
  if (hover?.kind === 'layer') {
    return (
      <span data-testid="within-readout-layer">
        layer <b>{hover.layer}</b>: mean(input − post) {names[0]} {fixed(summaries[0].mean[hover.layer] ?? NaN, 4)},{' '}
        {names[1]} {fixed(summaries[1].mean[hover.layer] ?? NaN, 4)}; std{' '}
        {fixed(summaries[0].std[hover.layer] ?? NaN, 4)} / {fixed(summaries[1].std[hover.layer] ?? NaN, 4)}; Pearson r
        of the diffs <b data-testid="within-hover-r">{fixed(current.pearson[hover.layer] ?? NaN, 4)}</b>
      </span>
    );
  } else if (hover?.kind === 'cell') {
    return (
      <span data-testid="within-readout-cell">
        {names[0]} layer <b>{hover.cell[0]}</b> × {names[1]} layer <b>{hover.cell[1]}</b>: r ={' '}
        <b data-testid="within-hover-cell-r">{fixed(h.values[hover.cell[0] * h.cols + hover.cell[1]]!, 4)}</b>
      </span>
    );
  }
  return undefined;
}

/** The measured same-layer and off-diagonal means, in words. */
function WithinSummary({ layout, finite }: { layout: NonNullable<ReturnType<typeof withinLayout>>; finite: number }) {
  return (
    <p className="f2d-summary" data-testid="within-summary">
      Mean same-layer r of the diffs: <b data-testid="within-mean-r">{fixed(layout.sameIndexMean, 4)}</b> over {finite}{' '}
      layers; off-diagonal mean {fixed(layout.offDiagonalMean, 4)}. {patternWords(layout.sameIndexMean)}
    </p>
  );
}

export function WithinView() {
  const models = useLoadedModels();
  const requested = useApp((s) => s.query.pair);
  const [layerParam, setLayer] = useViewParam('layer', '');
  const [hover, setHover] = useState<Hover>(null);
  const figureRef = useRef<SVGSVGElement>(null);

  const pair = choosePair(models, requested, fits);
  const ma = pair ? models.find((m) => m.index === pair[0])?.model : undefined;
  const mb = pair ? models.find((m) => m.index === pair[1])?.model : undefined;
  const computed = useViewResult(pair && ma && mb ? { kind: 'withinLayer', models: pair } : null);
  const key = computed.key;
  const summaries = useMemo(
    () => (ma && mb ? ([withinLayerSummary(ma), withinLayerSummary(mb)] as const) : null),
    [ma, mb],
  );
  const marker = layerParam !== '' && Number.isInteger(Number(layerParam)) ? Number(layerParam) : null;
  const current = computed.valueKey === key ? computed.value : null;
  const nameA = shortName(ma?.repo ?? '');
  const nameB = shortName(mb?.repo ?? '');
  const names: [string, string] = [nameA, nameB];
  const [pa, pb] = pair ?? [-1, -1];
  const layout = useMemo(
    () =>
      current && summaries && pa >= 0
        ? withinLayout({
            pair: current,
            summaries: [summaries[0], summaries[1]],
            positions: [pa, pb],
            names: [nameA, nameB],
            marker,
          })
        : null,
    [current, summaries, marker, pa, pb, nameA, nameB],
  );

  const frame = (children: ReactNode, controls?: ReactNode) => (
    <ViewFrame
      id="within"
      title="Within-layer analysis: input − post, compared"
      figure="seed Figure 10, Appendix D"
      note={WITHIN_NOTE}
      figureRef={figureRef}
      controls={controls}
    >
      {children}
    </ViewFrame>
  );
  if (!pair || !ma || !mb) {
    return frame(
      <EmptyState id="within">
        Load at least two models of the same hidden size that both have an input and a post-attention norm in their
        layers (models with a single norm per block have no within-layer difference).
      </EmptyState>,
    );
  }
  const controls = (
    <>
      <PairSelect pairs={candidatePairs(models, fits)} value={pair} models={models} />
      {computed.pending && <span className="muted">computing…</span>}
    </>
  );
  if (computed.error)
    return frame(
      <EmptyState id="within">Could not compute the within-layer comparison: {computed.error}</EmptyState>,
      controls,
    );
  if (!layout || !current || !summaries)
    return frame(<p className="muted">Computing input − post for both models…</p>, controls);

  const h = layout.heatmap;
  const pick = (l: number) => setLayer(String(l) === layerParam ? '' : String(l));
  const layerHover = hover?.kind === 'layer' ? hover.layer : null;
  const legend = pair.map((p, k) => ({
    key: String(p),
    label: names[k]!,
    color: modelColor(p),
    marker: markerPath(modelMarker(p), 0, 0),
  }));

  const reading = withinReading(hover, names, summaries, current, h);
  return frame(
    <>
      <div className="f2d-figure-box">
        <svg
          ref={figureRef}
          className="f2d-svg"
          width={layout.width}
          height={layout.height + TOP}
          viewBox={`0 0 ${layout.width} ${layout.height + TOP}`}
          data-testid="within-figure"
        >
          <text className="f2d-suptitle" fontWeight={700} x={layout.width / 2} y={18} textAnchor="middle">
            Within-layer analysis: input_layernorm − post_attention_layernorm · {names[0]} vs {names[1]}
          </text>
          <SvgLegend x={60} y={40} entries={legend} />
          <g transform={`translate(0,${TOP})`}>
            {([layout.mean, layout.std, layout.pearson] as const).map((p, k) => (
              <LinePanel
                key={k}
                layout={p}
                hover={layerHover}
                onHover={(l) => setHover(l === null ? null : { kind: 'layer', layer: l })}
                onPick={pick}
                testId={`within-${['mean', 'std', 'pearson'][k]}`}
              />
            ))}
            <WithinHeatmap h={h} names={names} hover={hover} setHover={setHover} />
          </g>
        </svg>
      </div>
      <Readout id="within" hint="Hover a layer in (a)–(c) or a cell in (d).">
        {reading}
      </Readout>
      <WithinSummary layout={layout} finite={current.pearson.filter(Number.isFinite).length} />
    </>,
    controls,
  );
}
