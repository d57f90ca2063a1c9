// The deep check of the pair on screen (issue 14): its cost first (which tensors, bytes per model,
// an estimated time; headers only were read), then on click — or at once with deep=1 in the link —
// the matrices themselves: the hidden-dimension map found and how clearly, the test with its null,
// the effect size and the bytes read. Network, decoding and statistics run in the loader worker.
import { useEffect } from 'react';
import type { LoadedModel } from '../../core/types';
import type { MatrixEvidence } from '../../core/deep/api';
import {
  cancelDeepCheck,
  deepKey,
  deepTimeEstimate,
  measuredMsPerRow,
  estimateDeepCheck,
  startDeepCheck,
  type DeepCheckEntry,
  type DeepCost,
  type DeepRunResult,
} from '../../state/deepCheck';
import { useApp, useAppStore } from '../../state/storeContext';
import { fmt, statisticText } from './compareModel';
import { formatBytes } from '../../core/format';
import { StdCurves } from './StdCurves';

export interface DeepCheckProps {
  a: number;
  b: number;
  modelA: LoadedModel;
  modelB: LoadedModel;
}

export const VERDICT_WORDS: Record<string, string> = {
  'shared-ancestry': 'Shared ancestry',
  'no-evidence': 'No evidence of shared ancestry',
  inconclusive: 'Inconclusive',
  'no-information': 'No information',
};

const MAP_WORDS: Record<MatrixEvidence['hiddenMap'], string> = {
  identity: 'identity (dimension i of A is dimension i of B)',
  permuted: 'a permutation (B re-ordered its hidden dimensions)',
  none: 'none found',
};

function pText(p: number): string {
  if (!Number.isFinite(p)) return 'n/a';
  return p < 0.001 ? p.toExponential(1) : fmt(p, 3);
}

function CostLine({ cost, models }: { cost: DeepCost; models: [LoadedModel, LoadedModel] }) {
  const msPerRow = useApp((s) => measuredMsPerRow(s.deepChecks));
  const time = deepTimeEstimate(cost, models, msPerRow);
  return (
    <div data-testid="deep-cost">
      <p>
        Will read at most <b>{formatBytes(cost.maxBytesPerModel[0])}</b> of {cost.sides[0].repo} and{' '}
        <b>{formatBytes(cost.maxBytesPerModel[1])}</b> of {cost.sides[1].repo}, about{' '}
        <b>{Math.max(1, Math.round(time.seconds))} s</b> (estimated).
      </p>
      <p className="hint" data-testid="deep-time-basis" data-seconds={time.seconds}>
        {time.basis}
      </p>
      <ul className="reasons">
        {cost.sides.map((s) => (
          <li key={s.repo}>
            {s.repo}: tokenizer.json{' '}
            {s.tokenizerBytes === null
              ? '(size not listed by the server; counted at its 32 MB cap)'
              : formatBytes(s.tokenizerBytes)}{' '}
            + at most {formatBytes(s.rowBudgetBytes)} of rows from {s.tensors} ({s.tensorCount} tensors).
            {s.unsupported.map((u) => (
              <span key={u} className="warning">
                {' '}
                {u}
              </span>
            ))}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** The headline statistic is the unit matching's when a test of that name reports it: a count of fixed points. */
function isCountStatistic(e: MatrixEvidence): boolean {
  return e.tests?.find((t) => t.statisticName === e.statisticName)?.name === 'unit-matching';
}

function share(bytes: number, total: number | null): string {
  return total ? ` (${((100 * bytes) / total).toFixed(total > 1e9 ? 3 : 1)}% of its files)` : '';
}

function Result({ r, modelA, modelB }: { r: DeepRunResult; modelA: LoadedModel; modelB: LoadedModel }) {
  const e = r.evidence;
  const [ta, tb] = r.transfer;
  return (
    <div data-testid="deep-result" data-verdict={e.verdict} data-hidden-map={e.hiddenMap} data-p={e.pValue}>
      <p data-testid="deep-headline">
        <b>Matrices: {VERDICT_WORDS[e.verdict]}</b> — p = {pText(e.pValue)}, {e.effectName} {fmt(e.effect, 3)}.
      </p>
      <dl className="numbers">
        <dt>hidden map</dt>
        <dd data-testid="deep-hidden-map">{MAP_WORDS[e.hiddenMap]}</dd>
        <dt>{e.statisticName}</dt>
        <dd data-testid="deep-statistic">{statisticText(e.statistic, isCountStatistic(e))}</dd>
        <dt>p</dt>
        <dd>{pText(e.pValue)}</dd>
        <dt>shared tokens</dt>
        <dd>
          {r.shared.sharedCount} of {r.shared.sizeA} / {r.shared.sizeB}
        </dd>
      </dl>
      <p data-testid="deep-clarity">
        <b>How clearly:</b> {e.hiddenClarity}
      </p>
      <p className="hint" data-testid="deep-null">
        <b>Null:</b> {e.nullDescription}
      </p>
      <ul className="reasons">
        {e.reasons.map((x) => (
          <li key={x}>{x}</li>
        ))}
      </ul>
      <p
        className="hint"
        data-testid="deep-transfer"
        data-bytes-a={ta.rowBytes + ta.tokenizerBytes}
        data-bytes-b={tb.rowBytes + tb.tokenizerBytes}
      >
        Matrix bytes read for the pair: {formatBytes(e.bytesRead)}. {modelA.repo}: {formatBytes(ta.rowBytes)} of rows +{' '}
        {formatBytes(ta.tokenizerBytes)} tokenizer in {ta.requests} row requests
        {share(ta.rowBytes + ta.tokenizerBytes, modelA.totalModelBytes)}; {modelB.repo}: {formatBytes(tb.rowBytes)} +{' '}
        {formatBytes(tb.tokenizerBytes)} in {tb.requests}
        {share(tb.rowBytes + tb.tokenizerBytes, modelB.totalModelBytes)}
        {ta.cachedBytes + tb.cachedBytes > 0 ? `; ${formatBytes(ta.cachedBytes + tb.cachedBytes)} from the cache` : ''}.
        Worker compute {Math.round(r.computeMs)} ms, {(r.wallMs / 1000).toFixed(1)} s in all.
      </p>
      {e.stdProfile ? <StdCurves p={e.stdProfile} nameA={modelA.repo} nameB={modelB.repo} /> : null}
      <details>
        <summary>Tensors compared ({e.tensors.length})</summary>
        <p className="hint">{e.tensors.join(', ')}</p>
      </details>
      {r.warnings.map((w) => (
        <p key={w} className="warning">
          {w}
        </p>
      ))}
    </div>
  );
}

function Controls({ entry, a, b }: { entry: DeepCheckEntry | undefined; a: number; b: number }) {
  const store = useAppStore();
  if (entry?.phase === 'running')
    return (
      <p className="muted" data-testid="deep-progress" role="status">
        {entry.progress ? `${entry.progress.step}… ${formatBytes(entry.progress.bytes)} read` : 'starting…'}{' '}
        <button type="button" className="small" onClick={() => cancelDeepCheck(store, a, b)}>
          Cancel deep check
        </button>
      </p>
    );
  if (entry?.phase === 'estimated' || entry?.phase === 'error')
    return (
      <p>
        <button
          type="button"
          className="primary"
          data-testid="deep-run"
          aria-label="Run the deep check of this pair"
          onClick={() => startDeepCheck(store, a, b)}
        >
          {entry.phase === 'error' ? 'Retry deep check' : 'Run deep check'}
        </button>
      </p>
    );
  return null;
}

export function DeepCheck(props: DeepCheckProps) {
  return <DeepCheckPanel {...props} />;
}

function DeepCheckPanel({ a, b, modelA, modelB }: DeepCheckProps) {
  const store = useAppStore();
  const entry = useApp((s) => s.deepChecks[deepKey(a, b)]);
  const deepLink = useApp((s) => s.query.extra['deep'] === '1');
  useEffect(() => {
    if (!deepLink) estimateDeepCheck(store, a, b);
  }, [store, a, b, deepLink, modelA.sha, modelB.sha]);
  const verdict = entry?.phase === 'done' ? entry.result.evidence.verdict : 'pending';
  return (
    <section
      className={`verdict deep-check ${verdict}`}
      data-testid="deep-check"
      data-state={entry?.phase ?? 'none'}
      aria-label="Deep check: the weight matrices themselves"
    >
      <h3>Deep check: the weight matrices themselves</h3>
      {entry === undefined && <p className="muted">Its cost is worked out once the verdicts are in.</p>}
      {entry?.phase === 'estimating' && <p className="muted">working out the cost (tensor headers only)…</p>}
      {entry?.cost && entry.phase !== 'done' && <CostLine cost={entry.cost} models={[modelA, modelB]} />}
      {deepLink && entry?.phase !== 'done' && (
        <p className="hint">deep=1 in the link: the check runs for every pair without asking.</p>
      )}
      <Controls entry={entry} a={a} b={b} />
      {entry?.phase === 'error' && (
        <p className="error" style={{ color: 'var(--error)' }} data-testid="deep-error">
          {entry.message}
        </p>
      )}
      {entry?.phase === 'done' && <Result r={entry.result} modelA={modelA} modelB={modelB} />}
      <details className="thresholds">
        <summary>What the deep check reads and tests</summary>
        <ul>
          <li>
            <b>Reading:</b> both tokenizers (tokenizer.json) to find the token strings both models share; embedding rows
            of a sample of those tokens and rows of a few layers' q/k/v/o and gate/up/down projections, by Range (rows
            are contiguous; neighbours share a request). BF16, F16, F32 and FP8 E4M3 with its 128×128 block scales.
            Never a whole file: at most 48 MB of rows per model plus the tokenizer, and at most a fifth of the tensors'
            bytes for small models.
          </li>
          <li>
            <b>Alignment:</b> the shared-token embedding columns say how B's hidden dimensions correspond to A's
            (identity, a permutation, or none); the matrices are compared through that correspondence, so permuting or
            folding norms into the matrices does not hide a derivative.
          </li>
          <li>
            <b>Test:</b> the p-value is valid under "trained from independent initialisations"; the null and its
            resolution are stated with each result.
          </li>
        </ul>
      </details>
    </section>
  );
}
