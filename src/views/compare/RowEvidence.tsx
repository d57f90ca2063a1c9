// "Beyond norm weights": sampled rows of the attention/MLP projections and embeddings of two loaded
// models, compared layer by layer. The cost is planned first (headers only, in the loader worker)
// and shown; rows are fetched only when the user clicks. Network, decoding and statistics all run
// in the loader worker; the panel's state lives in the store (state/rowEvidence.ts).
import { useEffect } from 'react';
import type { LoadedModel } from '../../core/types';
import type { LayerRowStats, RowVerdict } from '../../core/rowEvidence';
import {
  ROW_MIN_ROWS,
  ROW_SHARED_MAX_P,
  ROW_SHARED_MIN_R,
  ROW_SHARED_MIN_Z,
  ROW_SIGNAL_MAX_P,
  ROW_UNRELATED_R_CEILING,
} from '../../core/rowEvidence';
import type { RowSamplesPlan, RowEvidencePhase } from '../../state/rowEvidence';
import { cancelRowEvidence, cancelRowFetch, fetchRowEvidence, planRowEvidence } from '../../state/wiring';
import { useApp, useAppStore } from '../../state/storeContext';
import { fmt, formatBytes } from './compareModel';

export interface RowEvidenceProps {
  /** the pair: positions in the query */
  a: number;
  b: number;
  modelA: LoadedModel;
  modelB: LoadedModel;
}

const HEADLINE: Record<RowVerdict, string> = {
  shared: 'Rows shared: the matrices match row for row',
  'no-evidence': 'No evidence in the sampled rows',
  inconclusive: 'Inconclusive',
};

/** The verdict card's border colours, reused. */
const CARD_CLASS: Record<RowVerdict, string> = {
  shared: 'shared-ancestry',
  'no-evidence': 'no-evidence',
  inconclusive: 'inconclusive',
};

/** "516 KB in 64 requests per model", or each model's numbers when they differ. */
export function describeCost(plan: RowSamplesPlan): string {
  const { a, b } = plan;
  if (a.bytes === b.bytes && a.requests === b.requests)
    return `will read ${formatBytes(a.bytes)} in ${a.requests} request${a.requests === 1 ? '' : 's'} per model`;
  return `will read ${formatBytes(a.bytes)} in ${a.requests} requests from A and ${formatBytes(b.bytes)} in ${b.requests} from B`;
}

/** What the plan samples: "64 tensors (embeddings + 46 layers), up to 256 rows each". */
export function describeSample(plan: RowSamplesPlan): string {
  const layers = new Set(plan.matrices.filter((m) => m.layer >= 0).map((m) => m.layer)).size;
  const embeddings = plan.matrices.some((m) => m.layer < 0);
  const parts = [embeddings ? 'embeddings' : null, layers ? `${layers} layer${layers === 1 ? '' : 's'}` : null]
    .filter(Boolean)
    .join(' + ');
  return `${plan.matrices.length} tensor${plan.matrices.length === 1 ? '' : 's'} (${parts}), up to ${plan.rowsPerTensor} rows each, the same row ids in both models`;
}

const W = 440;
const H = 120;
const M = { l: 34, r: 10, t: 10, b: 26 };

function LayerChart({ layers }: { layers: LayerRowStats[] }) {
  const decoder = layers.filter((l) => l.layer >= 0 && Number.isFinite(l.meanPearson));
  const embedding = layers.find((l) => l.layer < 0 && Number.isFinite(l.meanPearson));
  const maxLayer = Math.max(1, ...decoder.map((l) => l.layer));
  const x0 = M.l + (embedding ? 26 : 0);
  const x = (layer: number) => x0 + (layer / maxLayer) * (W - M.r - x0);
  const y = (r: number) => M.t + (1 - Math.min(1, Math.max(0, r))) * (H - M.t - M.b);
  const points = decoder.map((l) => `${x(l.layer).toFixed(1)},${y(l.meanPearson).toFixed(1)}`).join(' ');
  return (
    <figure className="chart" data-testid="row-evidence-chart" style={{ display: 'inline-block', margin: '6px 0' }}>
      <figcaption>Mean Pearson r of sampled rows, per layer (0…1; below 0 drawn at 0)</figcaption>
      <svg width={W} height={H} role="img" aria-label="mean r per layer">
        {[0, 0.5, 1].map((t) => (
          <g key={t}>
            <line className="grid" x1={M.l} x2={W - M.r} y1={y(t)} y2={y(t)} />
            <text x={M.l - 5} y={y(t)} dy="0.32em" textAnchor="end">
              {t}
            </text>
          </g>
        ))}
        <line
          className="marker"
          x1={M.l}
          x2={W - M.r}
          y1={y(ROW_SHARED_MIN_R)}
          y2={y(ROW_SHARED_MIN_R)}
          opacity={0.5}
        />
        {decoder.length > 1 && <polyline className="line-pearson" points={points} />}
        {decoder.map((l) => (
          <circle key={l.layer} cx={x(l.layer)} cy={y(l.meanPearson)} r={2} className="series-a">
            <title>{`layer ${l.label}: mean r ${fmt(l.meanPearson, 3)} over ${l.usableRows} rows (shuffled ${fmt(l.nullMean, 3)} ± ${fmt(l.nullSd, 3)}), ${Math.round(l.identicalRowShare * 100)}% identical`}</title>
          </circle>
        ))}
        {embedding && (
          <g>
            <rect x={M.l + 6} y={y(embedding.meanPearson) - 3} width={6} height={6} className="series-b">
              <title>{`embeddings: mean r ${fmt(embedding.meanPearson, 3)} over ${embedding.usableRows} rows`}</title>
            </rect>
            <text x={M.l + 9} y={H - M.b + 14} textAnchor="middle">
              emb
            </text>
          </g>
        )}
        {decoder.length > 0 && (
          <>
            <text x={x(decoder[0]!.layer)} y={H - M.b + 14} textAnchor="middle">
              {decoder[0]!.layer}
            </text>
            {decoder.length > 1 && (
              <text x={x(decoder.at(-1)!.layer)} y={H - M.b + 14} textAnchor="middle">
                {decoder.at(-1)!.layer}
              </text>
            )}
            <text className="axis-label" x={(x0 + W - M.r) / 2} y={H - 2} textAnchor="middle">
              layer
            </text>
          </>
        )}
      </svg>
    </figure>
  );
}

export function RowEvidence({ a, b, modelA, modelB }: RowEvidenceProps) {
  const store = useAppStore();
  const panel = useApp((s) => s.rowEvidence);
  const hub = useApp((s) => s.hubUrl);
  const token = useApp((s) => s.token);
  const state: RowEvidencePhase = panel && panel.a === a && panel.b === b ? panel : { phase: 'planning' };

  // plan (headers only) whenever the pair changes; nothing is fetched before the click
  useEffect(() => {
    planRowEvidence(store, a, b);
    return () => cancelRowEvidence(store);
  }, [store, a, b, hub, modelA.repo, modelA.sha, modelB.repo, modelB.sha, token]);

  const plan = state.phase === 'planning' ? null : state.plan;
  const evidence = state.phase === 'done' ? state.evidence : null;
  const cardClass = evidence ? CARD_CLASS[evidence.label] : 'pending';
  const nothing = plan !== null && plan.matrices.length === 0;

  return (
    <section
      className={`verdict row-evidence ${cardClass}`}
      data-testid="row-evidence"
      data-state={state.phase}
      data-label={evidence?.label ?? ''}
    >
      <h3>
        Beyond norm weights: sampled matrix rows
        {evidence && (
          <>
            {' '}
            — <span data-testid="row-evidence-headline">{HEADLINE[evidence.label]}</span>
          </>
        )}
      </h3>
      {state.phase === 'planning' && <p className="muted">planning which rows to read (tensor headers only)…</p>}
      {plan && !nothing && (
        <p data-testid="row-evidence-cost">
          {describeSample(plan)}: <b>{describeCost(plan)}</b>.
          <span className="hint">
            {' '}
            Planning read {plan.planning[0].requests + plan.planning[1].requests} small requests (metadata and tensor
            headers).
          </span>
        </p>
      )}
      {nothing && (
        <p className="muted" data-testid="row-evidence-summary">
          No 2-D tensor has the same name and shape in both models (different widths or architectures), so there are no
          rows to compare.
        </p>
      )}
      {plan && !nothing && (state.phase === 'planned' || state.phase === 'error') && (
        <p>
          <button
            type="button"
            className="primary"
            data-testid="row-evidence-fetch"
            onClick={() => fetchRowEvidence(store)}
          >
            {state.phase === 'error' ? 'Retry: fetch sampled rows' : 'Fetch sampled rows'}
          </button>
        </p>
      )}
      {state.phase === 'fetching' && (
        <p className="muted" data-testid="row-evidence-progress">
          fetching rows…{' '}
          {state.progress
            ? `${state.progress.readsDone}/${state.progress.readsTotal} reads, ${formatBytes(state.progress.bytes)}`
            : ''}{' '}
          <button type="button" className="small" onClick={() => cancelRowFetch(store)}>
            Cancel
          </button>
        </p>
      )}
      {state.phase === 'error' && (
        <p className="error" style={{ color: 'var(--error)' }} data-testid="row-evidence-error">
          {state.message}
          {!state.plan && (
            <>
              {' '}
              <button type="button" className="small" onClick={() => planRowEvidence(store, a, b)}>
                Retry
              </button>
            </>
          )}
        </p>
      )}
      {state.phase === 'done' && evidence && (
        <>
          <p data-testid="row-evidence-summary">
            <b>{evidence.summary}</b>
          </p>
          {evidence.layers.length > 0 && <LayerChart layers={evidence.layers} />}
          <dl className="numbers">
            <dt>mean r over layers</dt>
            <dd>{fmt(evidence.meanPearson, 3)}</dd>
            <dt>shuffled pairs</dt>
            <dd>{`${fmt(evidence.nullMean, 3)} ± ${fmt(evidence.nullSd, 3)}`}</dd>
            <dt>z</dt>
            <dd>{fmt(evidence.z, 1)}</dd>
            <dt>p ({evidence.permutations} shuffles)</dt>
            <dd>
              {Number.isFinite(evidence.pValue) && evidence.pValue < 0.001
                ? evidence.pValue.toExponential(1)
                : fmt(evidence.pValue, 3)}
            </dd>
            <dt>rows identical</dt>
            <dd>
              {Number.isFinite(evidence.identicalRowShare) ? `${Math.round(evidence.identicalRowShare * 100)}%` : 'n/a'}
            </dd>
          </dl>
          <ul className="reasons">
            {evidence.reasons.map((r) => (
              <li key={r}>{r}</li>
            ))}
          </ul>
          <p className="hint" data-testid="row-evidence-transfer">
            Read {formatBytes(state.transfer[0].bytes)} in {state.transfer[0].requests} requests ({modelA.repo}) and{' '}
            {formatBytes(state.transfer[1].bytes)} in {state.transfer[1].requests} requests ({modelB.repo})
            {state.transfer[0].cachedBytes + state.transfer[1].cachedBytes > 0
              ? `; ${formatBytes(state.transfer[0].cachedBytes + state.transfer[1].cachedBytes)} from the local cache`
              : ''}
            .
          </p>
        </>
      )}
      {state.phase === 'done' &&
        state.warnings.map((w) => (
          <p key={w} className="warning">
            {w}
          </p>
        ))}
      <details className="thresholds">
        <summary>How the rows are chosen and judged</summary>
        <ul>
          <li>
            <b>Rows:</b> where both models hold a 2-D tensor of the same name and shape (attention and MLP projections,
            embeddings), the same seeded run of whole rows is read from each, as single range requests (rows are
            contiguous on disk; neighbouring rows share one request). At most{' '}
            {formatBytes(plan?.budget.maxBytes ?? null)} and {plan?.budget.maxRequests ?? '?'} requests per model: every
            range request counts against the Hub's per-IP limit.
          </li>
          <li>
            <b>Statistic:</b> Pearson r between model A's row k and model B's row k, averaged per layer, then over
            layers. A fine-tune keeps these rows nearly identical (r ≈ 1); unrelated models give r ≈ 0.
          </li>
          <li>
            <b>Null:</b> B's rows re-paired at random with A's rows of the same width, all layers in one shuffle:
            unrelated models have no row correspondence. Whole rows are shuffled rather than hidden dimensions, so
            structure both models share for other reasons raises the null as much as the observed r. A derivative that
            permuted its hidden dimensions looks unrelated here (a missed relation, never a false one).
          </li>
          <li>
            <b>Rows shared</b> needs mean r ≥ {ROW_SHARED_MIN_R}, z ≥ {ROW_SHARED_MIN_Z} and p ≤ {ROW_SHARED_MAX_P}.{' '}
            <b>Inconclusive:</b> p ≤ {ROW_SIGNAL_MAX_P} with r above {ROW_UNRELATED_R_CEILING}, some layers matching on
            their own, or fewer than {ROW_MIN_ROWS} usable rows. <b>No evidence</b> otherwise.
          </li>
        </ul>
      </details>
    </section>
  );
}
