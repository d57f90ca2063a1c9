// One layer pair up close: its numbers, why raw cosine is high, and the two vectors themselves.
import { useEffect, useMemo, useState } from 'react';
import { cellTestKey } from '../../state/cellTest';
import { requestCellTest } from '../../state/wiring';
import { useApp, useAppStore } from '../../state/storeContext';
import type { PairTest } from '../../core/nulls';
import type { LoadedModel, PairMatrices } from '../../core/types';
import { cosineFromMoments, meanStd } from '../../core/metrics';
import { cellValue, fmt } from './compareModel';
import { shortName } from '../modelNames';
import { ScatterPlot } from './ScatterPlot';
import { CenteredBars } from './CenteredBars';

interface Props {
  pair: PairMatrices;
  modelA: LoadedModel;
  modelB: LoadedModel;
  cell: [number, number] | null;
  pinned: boolean;
}

export function CellInspector({ pair, modelA, modelB, cell, pinned }: Props) {
  const [seed, setSeed] = useState(1);
  const va = cell ? modelA.layers[cell[0]]?.[pair.norm] : undefined;
  const vb = cell ? modelB.layers[cell[1]]?.[pair.norm] : undefined;
  const moments = useMemo(() => (va && vb ? { a: meanStd(va), b: meanStd(vb) } : null), [va, vb]);
  const cellTest = useCellTest(pair, va && vb ? cell : null);
  const nameA = shortName(modelA.repo);
  const nameB = shortName(modelB.repo);
  // the reading, announced to screen readers as the arrows move the cell (the element stays mounted)
  const announce = cell
    ? `${nameA} layer ${cell[0]} × ${nameB} layer ${cell[1]}: raw cosine ${fmt(cellValue(pair.cosine, pair.cols, cell))}, ` +
      `Pearson r ${fmt(cellValue(pair.pearson, pair.cols, cell))}${pinned ? ', pinned' : ''}`
    : '';
  const live = (
    <p className="sr-only" aria-live="polite" aria-atomic="true" data-testid="cell-announce">
      {announce}
    </p>
  );
  if (!cell) {
    return (
      <>
        {live}
        <aside className="inspector empty" data-testid="cell-inspector">
          <p>
            Hover a cell, or Tab to a heatmap and use the arrow keys, to see that layer pair; click or Enter pins it.
          </p>
        </aside>
      </>
    );
  }
  const cos = cellValue(pair.cosine, pair.cols, cell);
  const r = cellValue(pair.pearson, pair.cols, cell);
  const cosIfUnrelated = moments
    ? cosineFromMoments(moments.a.mean, moments.a.std, moments.b.mean, moments.b.std, 0)
    : NaN;
  return (
    <>
      {live}
      <aside className="inspector" data-testid="cell-inspector">
        <h3>
          {nameA} L{cell[0]} × {nameB} L{cell[1]} {pinned && <span className="badge">pinned</span>}
        </h3>
        <dl className="numbers">
          <dt>raw cosine</dt>
          <dd data-testid="cell-cosine">{fmt(cos)}</dd>
          <dt>Pearson r</dt>
          <dd data-testid="cell-pearson">{fmt(r)}</dd>
          <dt title="The cosine these two vectors would have if their patterns were unrelated (r = 0): it depends only on the means and standard deviations">
            cosine if r = 0
          </dt>
          <dd data-testid="cell-cos-r0">{fmt(cosIfUnrelated)}</dd>
          {moments && (
            <>
              <dt>mean ± std</dt>
              <dd>
                {fmt(moments.a.mean, 3)} ± {fmt(moments.a.std, 3)} · {fmt(moments.b.mean, 3)} ± {fmt(moments.b.std, 3)}
              </dd>
            </>
          )}
        </dl>
        <CellNull test={cellTest} d={va?.length ?? 0} />
        {moments && Number.isFinite(r) && <CosineDecomposition a={moments.a} b={moments.b} r={r} />}
        {Number.isFinite(cosIfUnrelated) && (
          <p className="hint">
            {Math.abs(cos - cosIfUnrelated) < 0.01
              ? 'Almost all of this cosine comes from the two means: unrelated patterns would score nearly the same.'
              : 'The shared pattern, not only the means, contributes to this cosine.'}
          </p>
        )}
        {va && vb ? (
          <>
            <ScatterPlot a={va} b={vb} labelA={`${nameA} L${cell[0]} γ`} labelB={`${nameB} L${cell[1]} γ`} />
            <CenteredBars a={va} b={vb} seed={seed} labelA={nameA} labelB={nameB} />
            <button className="small" onClick={() => setSeed((s) => s + 1)} data-testid="resample">
              resample 50 dimensions
            </button>
          </>
        ) : (
          <p className="hint">One of these layers has no {pair.norm} norm: not comparable.</p>
        )}
      </aside>
    </>
  );
}

/**
 * cos = (μa·μb + r·σa·σb) / √((μa²+σa²)(μb²+σb²)): the two terms of the numerator, each over
 * the same denominator, are how much of the cosine the means and the pattern contribute.
 */
function CosineDecomposition({
  a,
  b,
  r,
}: {
  a: { mean: number; std: number };
  b: { mean: number; std: number };
  r: number;
}) {
  const denom = Math.sqrt((a.mean ** 2 + a.std ** 2) * (b.mean ** 2 + b.std ** 2));
  const fromMeans = (a.mean * b.mean) / denom;
  const fromPattern = (r * a.std * b.std) / denom;
  return (
    <p className="decomposition" data-testid="cos-decomposition">
      cos = <b>{fmt(fromMeans)}</b> from the means + <b>{fmt(fromPattern)}</b> from the shared pattern
      <br />
      <span className="hint">= (μa·μb + r·σa·σb) / √((μa²+σa²)(μb²+σb²)), population σ</span>
    </p>
  );
}

/** The hovered pair's own permutation test (an action, in the worker), a moment after the pointer settles. */
function useCellTest(pair: PairMatrices, cell: [number, number] | null): PairTest | null {
  const store = useAppStore();
  const i = cell?.[0] ?? -1;
  const j = cell?.[1] ?? -1;
  const key = useApp((s) => (cell ? cellTestKey(s.slots, pair.a, pair.b, pair.norm, cell) : null));
  const test = useApp((s) => (key ? s.cellTests[key] : undefined));
  useEffect(() => {
    if (i < 0 || j < 0) return;
    const timer = setTimeout(() => void requestCellTest(store, pair.a, pair.b, pair.norm, [i, j]), 150);
    return () => clearTimeout(timer);
  }, [store, pair.a, pair.b, pair.norm, i, j]);
  return test ?? null;
}

function CellNull({ test, d }: { test: PairTest | null; d: number }) {
  if (!test)
    return (
      <p className="hint" data-testid="cell-null">
        permutation test of this pair…
      </p>
    );
  return (
    <dl className="numbers" data-testid="cell-null">
      <dt title="Spearman rank correlation: robust to the heavy-tailed outlier channels of γ">Spearman ρ</dt>
      <dd data-testid="cell-spearman">{fmt(test.spearman)}</dd>
      <dt title={`${test.permutations} seeded shuffles of one vector's dimensions; two-sided`}>permutation p</dt>
      <dd data-testid="cell-p">
        {test.pValue < 0.001 ? `< ${fmt(1 / (test.permutations + 1), 4)}` : fmt(test.pValue, 3)}
      </dd>
      <dt title="r divided by the permutation null's sd">z (empirical sd {fmt(test.nullSd, 4)})</dt>
      <dd data-testid="cell-z">{fmt(test.z, 1)}</dd>
      <dt title="Under any fixed vectors a random permutation gives r with mean 0 and variance exactly 1/(d−1)">
        analytic null sd
      </dt>
      <dd>
        {fmt(test.analyticSd, 4)} = 1/√{d - 1}
      </dd>
    </dl>
  );
}
