// The explorer: raw cosine beside Pearson for one pair and role, with hover, pin and the diagonal.
import { useEffect, useMemo } from 'react';
import type { ReactNode } from 'react';
import { ViewFrame } from '../ViewFrame';
import { useApp, useAppStore } from '../../state/storeContext';
import { setHover, setQuery } from '../../state/actions';
import { colorScaleFor, prepareColorTables } from '../heatmap/heatmapModel';
import type { ScaleMode } from '../heatmap/heatmapModel';
import { Heatmap } from '../heatmap/Heatmap';
import { findPair, selectedPair } from './compareModel';
import { CellInspector } from './CellInspector';
import { DiagonalChart } from './DiagonalChart';
import { DiagonalSummary } from './DiagonalSummary';
import { PairPicker } from './PairPicker';
import { VerdictCard } from './VerdictCard';
import { DeepCheck } from './DeepCheck';
import { AncestryCard } from './AncestryCard';
import { evidenceKey } from '../../state/store';
import { shortName } from '../modelNames';
import { ROLE_NAMES, RoleToggle } from '../kit2d/Controls';
import { roleWidth } from '../../core/pairs';
import { useDeferredMount } from '../kit2d/useDeferredMount';
import type { LoadedModel, NormRole } from '../../core/types';

function roleMissingReason(ma: LoadedModel, mb: LoadedModel, role: NormRole): string {
  const wa = roleWidth(ma, role);
  const wb = roleWidth(mb, role);
  if (wa === undefined && wb === undefined) return ': neither model has it';
  if (wa === undefined) return `: ${shortName(ma.repo)} has no such norm`;
  if (wb === undefined) return `: ${shortName(mb.repo)} has no such norm`;
  return `: the widths differ (${wa} vs ${wb})`;
}

/** Pair, role and metric focus; the fixed-scale and significance switches (all in the permalink). */
/** The compare view in the shared frame; the heatmaps carry their own downloads. */
function CompareFrame({ controls, children }: { controls: ReactNode; children: ReactNode }) {
  return (
    <ViewFrame
      id="compare"
      className="compare"
      testId="compare-view"
      title="Two models, layer by layer"
      figure="seed Figures 1c, 2"
      controls={controls}
    >
      {children}
    </ViewFrame>
  );
}

function CompareControls() {
  const store = useAppStore();
  const query = useApp((s) => s.query);
  const scaleMode: ScaleMode = query.extra['scale'] === 'fixed' ? 'fixed' : 'auto';
  const showSignificance = query.extra['sig'] === '1';
  return (
    <>
      <PairPicker />
      <RoleToggle testIdPrefix="norm" />
      <div className="segmented" role="group" aria-label="Metric focus">
        {(['pearson', 'cosine'] as const).map((metric) => (
          <button
            key={metric}
            aria-pressed={query.metric === metric}
            onClick={() => setQuery(store, { metric })}
            data-testid={`metric-${metric}`}
          >
            {metric === 'pearson' ? 'focus Pearson' : 'focus cosine'}
          </button>
        ))}
      </div>
      <label className="inline">
        <input
          type="checkbox"
          checked={scaleMode === 'fixed'}
          onChange={(e) => {
            const extra = { ...query.extra };
            if (e.target.checked) extra['scale'] = 'fixed';
            else delete extra['scale'];
            setQuery(store, { extra });
          }}
        />
        fixed colour scales (cosine 0.9–1, r −1…1)
      </label>
      <label className="inline">
        <input
          type="checkbox"
          data-testid="toggle-significance"
          checked={showSignificance}
          onChange={(e) => {
            const extra = { ...query.extra };
            if (e.target.checked) extra['sig'] = '1';
            else delete extra['sig'];
            setQuery(store, { extra });
          }}
        />
        outline significant cells
      </label>
    </>
  );
}

const samePin = (pinned: [number, number] | null, shown: [number, number] | null) =>
  pinned !== null && shown !== null && pinned[0] === shown[0] && pinned[1] === shown[1];

export function CompareView() {
  const store = useAppStore();
  const pairs = useApp((s) => s.pairs);
  const slots = useApp((s) => s.slots);
  const query = useApp((s) => s.query);
  const hover = useApp((s) => s.hover);
  const evidenceMap = useApp((s) => s.evidence);
  const sel = selectedPair(pairs, query.pair);
  const pair = sel ? findPair(pairs, sel[0], sel[1], query.norm) : null;
  const scaleMode: ScaleMode = query.extra['scale'] === 'fixed' ? 'fixed' : 'auto';
  const cosScale = useMemo(() => (pair ? colorScaleFor('cosine', pair.cosine, scaleMode) : null), [pair, scaleMode]);
  const pearScale = useMemo(() => (pair ? colorScaleFor('pearson', pair.pearson, scaleMode) : null), [pair, scaleMode]);
  // the heatmaps first; the inspector, the diagonal and row sampling in a transition after them
  const rest = useDeferredMount(pairs.length > 0);
  useEffect(() => prepareColorTables(), []);

  if (!sel) return null;
  const ma = slots[sel[0]]?.model;
  const mb = slots[sel[1]]?.model;
  if (!ma || !mb) return null;
  const nameA = shortName(ma.repo);
  const nameB = shortName(mb.repo);
  if (!pair || !cosScale || !pearScale) {
    return (
      <CompareFrame
        controls={
          <>
            <PairPicker />
            <RoleToggle testIdPrefix="norm" />
          </>
        }
      >
        <p className="caption" data-testid="role-missing">
          {nameA} and {nameB} cannot be compared on the {ROLE_NAMES[query.norm]}
          {roleMissingReason(ma, mb, query.norm)}. Choose another role above.
        </p>
      </CompareFrame>
    );
  }
  const pinned = query.cell && query.cell[0] < pair.rows && query.cell[1] < pair.cols ? query.cell : null;
  const active = hover ?? pinned;
  const onPin = (cell: [number, number]) =>
    setQuery(store, { cell: pinned && pinned[0] === cell[0] && pinned[1] === cell[1] ? null : cell });
  const evidence = evidenceMap[evidenceKey(sel[0], sel[1], query.norm)];
  const showSignificance = query.extra['sig'] === '1';
  const baselines = pairs
    .filter((p) => p.norm === query.norm && !(p.a === sel[0] && p.b === sel[1]))
    .flatMap((p) => {
      const e = evidenceMap[evidenceKey(p.a, p.b, p.norm)];
      const la = slots[p.a]?.model;
      const lb = slots[p.b]?.model;
      return e && la && lb ? [{ label: `${shortName(la.repo)} × ${shortName(lb.repo)}`, evidence: e }] : [];
    });
  const roleName = ROLE_NAMES[query.norm];
  const heatmaps = [
    { metric: 'cosine' as const, values: pair.cosine, scale: cosScale, title: 'Raw cosine' },
    { metric: 'pearson' as const, values: pair.pearson, scale: pearScale, title: 'Pearson r (mean-centred)' },
  ];
  if (query.metric === 'pearson') heatmaps.reverse();

  return (
    <CompareFrame controls={<CompareControls />}>
      <p className="caption">
        {roleName}: rows are layers of <b>{nameA}</b> ({pair.rows}), columns layers of <b>{nameB}</b> ({pair.cols});
        every cell uses all {roleWidth(ma, query.norm) ?? ma.hiddenSize} dimensions
        {ma.zeroCentred || mb.zeroCentred
          ? ` of the applied γ = 1 + w (${[ma, mb]
              .filter((m) => m.zeroCentred)
              .map((m) => shortName(m.repo))
              .join(' and ')} store${[ma, mb].filter((m) => m.zeroCentred).length > 1 ? '' : 's'} γ − 1)`
          : ''}
        . Hover a cell to inspect it, click to pin.
      </p>
      <AncestryCard a={sel[0]} b={sel[1]} names={[nameA, nameB]} />
      <VerdictCard evidence={evidence} role={query.norm} names={[nameA, nameB]} baselines={baselines} />
      <div className="heatmaps">
        {heatmaps.map((h) => (
          <Heatmap
            key={h.metric}
            testId={`heatmap-${h.metric}`}
            title={h.title}
            values={h.values}
            rows={pair.rows}
            cols={pair.cols}
            scale={h.scale}
            rowLabel={`${nameA} layer`}
            colLabel={`${nameB} layer`}
            hover={hover}
            pinned={pinned}
            focused={query.metric === h.metric}
            path={h.metric === 'pearson' ? evidence?.alignment : null}
            significanceThreshold={h.metric === 'pearson' && showSignificance ? evidence?.cellThreshold : null}
            onHover={(cell) => setHover(store, cell)}
            onPin={onPin}
            onUnpin={() => setQuery(store, { cell: null })}
            csvName={`normscope-${h.metric}-${nameA}-${nameB}-${query.norm}`}
          />
        ))}
        {rest && <CellInspector pair={pair} modelA={ma} modelB={mb} cell={active} pinned={samePin(pinned, active)} />}
      </div>
      {rest && (
        <div className="below">
          <DiagonalChart pair={pair} activeLayer={active ? active[0] : null} />
          <DiagonalSummary pair={pair} />
        </div>
      )}
      {/* the matrices themselves: the cost first, read on request (or at once with deep=1) */}
      {rest && <DeepCheck key={`${ma.sha}-${mb.sha}`} a={sel[0]} b={sel[1]} modelA={ma} modelB={mb} />}
    </CompareFrame>
  );
}
