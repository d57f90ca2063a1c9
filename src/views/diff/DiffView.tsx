// Seed Figure 3-1 with its missing null: what changed between a base and a same-shape model,
// beside the update size each layer needs through the storage grid, and whether one size explains all.
// Wiring only: the numbers are in diffModel.ts, the controls, figure and readout are parts beside it.
import { useMemo, useRef, useState } from 'react';
import type { ReactNode, RefObject } from 'react';
import { useApp } from '../../state/storeContext';
import { sameShape } from '../../core/diff';
import { useLoadedModels, useViewParam } from '../viewState';
import { shortName } from '../modelNames';
import { ViewFrame } from '../ViewFrame';
import { EmptyState, Readout } from '../kit2d/frameParts';
import { ROLE_NAMES } from '../kit2d/Controls';
import { choosePair } from '../kit2d/pairChoice';
import { useViewResult } from '../../state/useViewResult';
import { DIFF_RULE, diffLayout, hoveredLayer, parseSigma, summarizeDiff } from './diffModel';
import { DiffControls } from './DiffControls';
import { DiffFigure } from './DiffFigure';
import { LayerReadout } from './DiffReadout';

const DIFF_NOTE = (
  <>
    For two models of the same shape (a base and a fine-tune), (a) shows per layer the share of stored values whose bits
    differ and (b) the mean absolute difference on a log axis. The seed read “early layers changed, deep layers did not”
    as SFT focusing on early layers. But a 16-bit value only changes when its update crosses half a grid step, and the
    grid is coarser where |γ| is larger — and γ grows with depth. So (c) estimates, per layer, the update size σ_l that
    explains what was stored, seen through the grid (b = round(a + δ), δ ~ N(0, σ_l²)), with its 95% interval, and tests
    one σ for all layers against it. The dashed line in (a) is the share that one update size, fitted to every layer,
    would change by itself; the slider lets you try others.
  </>
);

function DiffFrame({
  figureRef,
  controls,
  children,
}: {
  figureRef: RefObject<SVGSVGElement | null>;
  controls?: ReactNode;
  children: ReactNode;
}) {
  return (
    <ViewFrame
      id="diff"
      title="What a fine-tune changed, and how large the update was through the storage grid"
      figure="seed Figure 3-1"
      note={DIFF_NOTE}
      figureRef={figureRef}
      controls={controls}
    >
      {children}
    </ViewFrame>
  );
}

/** The fitted diff of the chosen pair, and the one for an asked σ (kept while a new σ is on its way). */
function useDiffResults(pair: [number, number] | null, ready: boolean, sigma: number | null) {
  const norm = useApp((s) => s.query.norm);
  const fit = useViewResult(pair && ready ? { kind: 'fineTuneDiff', models: pair, norm } : null);
  const base = fit.key;
  const given = useViewResult(
    pair && ready && sigma !== null ? { kind: 'fineTuneDiff', models: pair, norm, deltaSigma: sigma } : null,
  );
  const fitted = fit.valueKey === base ? fit.value : null;
  // while a new σ is on its way, keep the last prediction of this pair (not of another one)
  const givenHere = sigma !== null && given.valueKey?.startsWith(`${base}|σ=`);
  const shown = givenHere ? given.value : fitted;
  const layout = useMemo(() => (shown ? diffLayout(shown) : null), [shown]);
  return { norm, fit, fitted, shown, layout, pending: fit.pending || given.pending };
}

export function DiffView() {
  const models = useLoadedModels();
  const requested = useApp((s) => s.query.pair);
  const [sigmaParam, setSigma] = useViewParam('sigma', '');
  const [hover, setHover] = useState<number | null>(null);
  const figureRef = useRef<SVGSVGElement>(null);

  const pair = choosePair(models, requested, sameShape);
  const ma = pair ? models.find((m) => m.index === pair[0])?.model : undefined;
  const mb = pair ? models.find((m) => m.index === pair[1])?.model : undefined;
  const sigma = parseSigma(sigmaParam);
  const { norm, fit, fitted, shown, layout, pending } = useDiffResults(pair, Boolean(ma && mb), sigma);

  if (!pair || !ma || !mb) {
    return (
      <DiffFrame figureRef={figureRef}>
        <EmptyState id="diff">
          Load two models with the same hidden size and the same number of layers (a base and its fine-tune) to see what
          changed. A diff is defined only value by value, so models of different shapes cannot be diffed.
        </EmptyState>
      </DiffFrame>
    );
  }
  const names: [string, string] = [shortName(ma.repo), shortName(mb.repo)];
  const controls = (
    <DiffControls models={models} pair={pair} sigma={sigma} fitted={fitted} pending={pending} setSigma={setSigma} />
  );
  const frame = (children: ReactNode) => (
    <DiffFrame figureRef={figureRef} controls={controls}>
      {children}
    </DiffFrame>
  );
  if (fit.error) return frame(<EmptyState id="diff">Could not compute the diff: {fit.error}</EmptyState>);
  if (!shown || !layout)
    return frame(
      <p className="muted" data-testid="diff-computing">
        Computing the per-layer diff of {names[0]} and {names[1]}…
      </p>,
    );

  const summary = summarizeDiff(shown, sigma === null ? 'fit' : 'given', names);
  if (summary.compared === 0) {
    return frame(
      <EmptyState id="diff">
        Neither layer of {names[0]} and {names[1]} carries the {ROLE_NAMES[norm]} in both models; try the other norm.
      </EmptyState>,
    );
  }
  const layer = hoveredLayer(shown, hover);
  return frame(
    <>
      <DiffFigure
        layout={layout}
        shown={shown}
        names={names}
        norm={norm}
        hover={hover}
        setHover={setHover}
        figureRef={figureRef}
      />
      <Readout id="diff" hint="Hover a layer for its numbers.">
        {layer === null ? undefined : <LayerReadout shown={shown} layer={layer} />}
      </Readout>
      <div className="f2d-summary" data-testid="diff-summary">
        {summary.sentences.map((s) => (
          <p key={s}>{s}</p>
        ))}
      </div>
      <details className="f2d-summary" data-testid="diff-rule">
        <summary>How “one update size” is decided</summary>
        <p className="muted">{DIFF_RULE}</p>
      </details>
    </>,
  );
}
