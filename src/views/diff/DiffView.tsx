// Seed Figure 3-1 with its missing null: what changed between a base and a same-shape model,
// beside the update size each layer needs through the storage grid, and whether one size explains all.
import { useMemo, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import { useApp } from '../../state/storeContext';
import { sameShape } from '../../core/diff';
import { useLoadedModels, useViewParam } from '../viewState';
import { shortName } from '../modelNames';
import { EmptyState, Readout, ViewFrame } from '../kit2d/ViewFrame';
import { PairSelect, ROLE_NAMES, RoleToggle } from '../kit2d/Controls';
import { LinePanel } from '../kit2d/LinePanel';
import { markerPath } from '../kit2d/chartLayout';
import { candidatePairs, choosePair } from '../kit2d/pairChoice';
import { fixed, percent, sci } from '../kit2d/format';
import { useViewResult } from '../../state/useViewResult';
import {
  ABS_COLOR,
  DIFF_RULE,
  diffLayout,
  MEASURED_COLOR,
  parseSigma,
  PREDICTED_COLOR,
  SCALE_COLOR,
  SIGMA_LOG_RANGE,
  summarizeDiff,
} from './diffModel';

const TOP = 30;

export function DiffView() {
  const models = useLoadedModels();
  const requested = useApp((s) => s.query.pair);
  const norm = useApp((s) => s.query.norm);
  const [sigmaParam, setSigma] = useViewParam('sigma', '');
  const [hover, setHover] = useState<number | null>(null);
  const figureRef = useRef<SVGSVGElement>(null);

  const pair = choosePair(models, requested, sameShape);
  const ma = pair ? models.find((m) => m.index === pair[0])?.model : undefined;
  const mb = pair ? models.find((m) => m.index === pair[1])?.model : undefined;
  const fit = useViewResult(pair && ma && mb ? { kind: 'fineTuneDiff', models: pair, norm } : null);
  const base = fit.key;
  const sigma = parseSigma(sigmaParam);
  const given = useViewResult(
    pair && ma && mb && sigma !== null ? { kind: 'fineTuneDiff', models: pair, norm, deltaSigma: sigma } : null,
  );

  const fitted = fit.valueKey === base ? fit.value : null;
  // while a new σ is on its way, keep the last prediction of this pair (not of another one)
  const givenHere = sigma !== null && given.valueKey?.startsWith(`${base}|σ=`);
  const shown = givenHere ? given.value : fitted;
  const layout = useMemo(() => (shown ? diffLayout(shown) : null), [shown]);

  const note = (
    <>
      For two models of the same shape (a base and a fine-tune), (a) shows per layer the share of stored values whose
      bits differ and (b) the mean absolute difference on a log axis. The seed read “early layers changed, deep layers
      did not” as SFT focusing on early layers. But a 16-bit value only changes when its update crosses half a grid
      step, and the grid is coarser where |γ| is larger — and γ grows with depth. So (c) estimates, per layer, the
      update size σ_l that explains what was stored, seen through the grid (b = round(a + δ), δ ~ N(0, σ_l²)), with its
      95% interval, and tests one σ for all layers against it. The dashed line in (a) is the share that one update size,
      fitted to every layer, would change by itself; the slider lets you try others.
    </>
  );
  const frame = (children: ReactNode, controls?: ReactNode) => (
    <ViewFrame
      id="diff"
      title="What a fine-tune changed, and how large the update was through the storage grid"
      figure="seed Figure 3-1"
      note={note}
      figureRef={figureRef}
      controls={controls}
    >
      {children}
    </ViewFrame>
  );
  if (!pair || !ma || !mb) {
    return frame(
      <EmptyState id="diff">
        Load two models with the same hidden size and the same number of layers (a base and its fine-tune) to see what
        changed. A diff is defined only value by value, so models of different shapes cannot be diffed.
      </EmptyState>,
    );
  }
  const names: [string, string] = [shortName(ma.repo), shortName(mb.repo)];
  const sigmaUsed = sigma ?? fitted?.deltaSigma ?? 1e-3;
  const logSigma = Math.log10(
    Math.max(10 ** SIGMA_LOG_RANGE[0], Math.min(10 ** SIGMA_LOG_RANGE[1], sigmaUsed || 10 ** SIGMA_LOG_RANGE[0])),
  );

  const controls = (
    <>
      <PairSelect pairs={candidatePairs(models, sameShape)} value={pair} models={models} label="base × model" />
      <RoleToggle />
      <label className="inline">
        σ of the update
        <input
          type="range"
          data-testid="diff-sigma"
          min={SIGMA_LOG_RANGE[0]}
          max={SIGMA_LOG_RANGE[1]}
          step={0.01}
          value={logSigma}
          disabled={!fitted}
          onChange={(e) => setSigma(String(Number((10 ** Number(e.target.value)).toPrecision(3))))}
        />
        <b data-testid="diff-sigma-value">{sci(sigmaUsed)}</b>
        <span className="muted">
          {sigma === null ? '(fitted)' : `(fitted: ${fitted ? sci(fitted.deltaSigma) : '…'})`}
        </span>
      </label>
      {sigma !== null && (
        <button className="small" data-testid="diff-sigma-reset" onClick={() => setSigma('')}>
          use the fitted σ
        </button>
      )}
      {(fit.pending || given.pending) && <span className="muted">computing…</span>}
    </>
  );
  if (fit.error) return frame(<EmptyState id="diff">Could not compute the diff: {fit.error}</EmptyState>, controls);
  if (!shown || !layout)
    return frame(
      <p className="muted" data-testid="diff-computing">
        Computing the per-layer diff of {names[0]} and {names[1]}…
      </p>,
      controls,
    );

  const summary = summarizeDiff(shown, sigma === null ? 'fit' : 'given', names);
  if (summary.compared === 0) {
    return frame(
      <EmptyState id="diff">
        Neither layer of {names[0]} and {names[1]} carries the {ROLE_NAMES[norm]} in both models; try the other norm.
      </EmptyState>,
      controls,
    );
  }
  const { changed, absDiff, scale } = layout;
  const h = hover;
  const hoverText =
    h !== null && h < shown.changedFraction.length && Number.isFinite(shown.changedFraction[h]) ? (
      <span data-testid="diff-readout-layer">
        layer <b>{h}</b>: <b data-testid="diff-hover-changed">{percent(shown.changedFraction[h]!, 2)}</b> of stored
        values differ (rounding alone predicts{' '}
        <b data-testid="diff-hover-predicted">{percent(shown.predictedChangedFraction[h]!, 2)}</b>), mean |Δ|{' '}
        <b data-testid="diff-hover-abs">{sci(shown.meanAbsDiff[h]!, 4)}</b>, update size{' '}
        <b data-testid="diff-hover-scale">
          {shown.updateScale[h]! > 0 ? `σ = ${sci(shown.updateScale[h]!)}` : 'none needed'}
        </b>{' '}
        (95%: {shown.updateScale[h]! > 0 ? `${sci(shown.updateScaleInterval[h]![0])}–` : 'below '}
        {sci(shown.updateScaleInterval[h]![1])})
        {shown.identical[h]
          ? ' — identical'
          : `; changed values moved a median ${fixed(shown.medianUlpsChanged[h]!, 1)} grid step${shown.medianUlpsChanged[h] === 1 ? '' : 's'}, ${percent(shown.oneUlpShare[h]!, 0)} by exactly one`}
      </span>
    ) : undefined;

  return frame(
    <>
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
                    rounding alone, σ = {sci(shown.deltaSigma)}
                  </text>
                </g>
              </g>
            </LinePanel>
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
              <g
                className="f2d-legend"
                transform={`translate(${scale.plot.x + scale.plot.width - 178},${scale.plot.y + 14})`}
              >
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
          </g>
        </svg>
      </div>
      <Readout id="diff" hint="Hover a layer for its numbers.">
        {hoverText}
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
    controls,
  );
}
