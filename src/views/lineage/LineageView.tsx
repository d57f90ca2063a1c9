// view=lineage: what each model card claims, against what the weights show; the family scan; the map.
import { ViewFrame } from '../ViewFrame';
import { useMemo, useState } from 'react';
import { useApp, useAppStore } from '../../state/storeContext';
import { addDeclaredBases, cancelFamilyScan, openPair, openScanChild, scanFamily } from '../../state/lineageActions';
import { STATUS_WORDS, type LineageRow } from '../../core/lineage/judge';
import { API_BUCKET, budgetSentence, DEFAULT_SCAN_LIMIT, MAX_SCAN_LIMIT } from '../../core/lineage/scan';
import { claimsOf, lineageRows, pairFindings, type SlotLike } from './lineageModel';
import type { MapInput } from './lineageMapModel';
import { LineageMap } from './LineageMap';
import type { FamilyScanState, ScanChild } from '../../state/familyScan';
import { errorHint } from '../picker/errorHints';
import { RelativesPanel } from './RelativesPanel';
import { combinedVerdicts } from '../../state/ancestry';

const RELATION_WORDS: Record<string, string> = {
  finetune: 'fine-tune',
  adapter: 'adapter',
  quantized: 'quantization',
  merge: 'merge',
  unspecified: 'derivative (relation not stated)',
};
const VERDICT_WORDS: Record<string, string> = {
  'shared-ancestry': 'shared ancestry',
  'no-evidence': 'no evidence of shared ancestry',
  inconclusive: 'inconclusive',
  'no-information': 'no information (constant norms)',
};

function StatusBadge({ status }: { status: LineageRow['status'] }) {
  return (
    <span className={`lineage-status ${status}`} data-testid="status">
      {STATUS_WORDS[status]}
    </span>
  );
}

function Judgements({ rows }: { rows: LineageRow[] }) {
  const store = useAppStore();
  if (rows.length === 0)
    return (
      <p className="muted">
        No claim among the loaded models names another loaded model, and no undeclared shared ancestry was found.
      </p>
    );
  return (
    <table className="lineage-table" data-testid="lineage-judgements">
      <thead>
        <tr>
          <th>child</th>
          <th>base</th>
          <th>declared</th>
          <th>measured</th>
          <th>status</th>
          <th>in plain words</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr
            key={`${r.child}-${r.base}`}
            data-testid="lineage-row"
            data-child={r.child}
            data-base={r.base}
            data-status={r.status}
            onClick={() => openPair(store, r.baseIndex, r.childIndex)}
            className="clickable"
          >
            <td>{r.child}</td>
            <td>{r.base}</td>
            <td>{r.declared ? RELATION_WORDS[r.declared] : 'nothing'}</td>
            <td>
              {r.verdict
                ? `${VERDICT_WORDS[r.verdict]}${r.r !== null && Number.isFinite(r.r) ? ` (r = ${r.r.toFixed(2)})` : ''}`
                : '–'}
            </td>
            <td>
              <StatusBadge status={r.status} />
            </td>
            <td className="small">{r.explanation}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function childProgress(c: ScanChild): string {
  if (c.status === 'loading')
    return c.progress
      ? `loading: ${c.progress.phase}${c.progress.tensorsTotal ? ` ${c.progress.tensorsDone}/${c.progress.tensorsTotal}` : ''}`
      : 'loading…';
  if (c.status === 'comparing') return 'comparing with the base…';
  if (c.status === 'queued') return 'queued';
  if (c.status === 'error') return 'failed';
  return c.roles.length
    ? c.roles.map((r) => `${r.norm} r ${r.r.toFixed(2)}, p ${r.p.toFixed(3)} (${r.permutations} draws)`).join(' · ')
    : 'done';
}

/** A scanned child's outcome: its load error, its judged status, or an ellipsis while pending. */
function ChildOutcome({ c }: { c: ScanChild }) {
  if (c.status === 'error' && c.error) {
    return (
      <span className="error" data-testid="scan-error" data-kind={c.error.kind}>
        could not load: {c.error.message} {errorHint(c.error)}
      </span>
    );
  }
  if (!c.row) return '…';
  return (
    <>
      <StatusBadge status={c.row.status} /> <span className="small">{c.row.explanation}</span>
    </>
  );
}

/** The scan's state in one line: listing, failed, or how many children are judged. */
function ScanStatus({ scan, done }: { scan: FamilyScanState; done: number }) {
  if (scan.status === 'listing') return `Listing the models that declare ${scan.base} as their base…`;
  if (scan.status === 'error') {
    return (
      <span className="error" role="alert">
        {scan.error?.message}
      </span>
    );
  }
  return `${scan.children.length} declared children of ${scan.base}${scan.more ? ` (the ${scan.limit} most downloaded; the Hub lists more)` : ''}, sorted by downloads · ${done} of ${scan.children.length} judged${scan.status === 'done' ? ` · worker time ${(scan.workerMs / 1000).toFixed(1)} s, wall ${(scan.wallMs! / 1000).toFixed(1)} s` : ''}`;
}

function ScanTable({ scan }: { scan: FamilyScanState }) {
  const store = useAppStore();
  return (
    <table className="lineage-table" data-testid="scan-table">
      <thead>
        <tr>
          <th>child</th>
          <th>declared</th>
          <th>downloads</th>
          <th>progress</th>
          <th>measured</th>
          <th>status</th>
        </tr>
      </thead>
      <tbody>
        {scan.children.map((c) => (
          <tr
            key={c.id}
            data-testid="scan-row"
            data-child={c.id}
            data-status={c.row?.status ?? c.status}
            className={scanRowOpens(scan, c.id) ? 'clickable' : ''}
            onClick={() => scanRowOpens(scan, c.id) && openScanChild(store, c.id)}
          >
            <td>
              {c.id}
              {c.gguf ? <span className="badge-local">GGUF{c.quant ? ` ${c.quant}` : ''}</span> : null}
            </td>
            <td>{c.relation ? RELATION_WORDS[c.relation] : 'not stated'}</td>
            <td>{c.downloads.toLocaleString('en')}</td>
            <td className="small" data-testid="scan-progress">
              {childProgress(c)}
            </td>
            <td>{c.row?.verdict ? VERDICT_WORDS[c.row.verdict] : '–'}</td>
            <td>
              <ChildOutcome c={c} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Only a loaded, comparable child opens as a pair. */
const scanRowOpens = (scan: FamilyScanState, id: string) => {
  const c = scan.children.find((x) => x.id === id);
  return !!c?.row && c.row.status !== 'not-comparable';
};

function FamilyScan() {
  const store = useAppStore();
  const scan = useApp((s) => s.scan);
  const firstLoaded = useApp((s) => s.slots.find((x) => x.model && !x.ref.local)?.ref.repo ?? '');
  const [base, setBase] = useState('');
  const [limit, setLimit] = useState(String(DEFAULT_SCAN_LIMIT));
  const mapInput = useMemo<MapInput | null>(() => {
    if (!scan || scan.children.length === 0) return null;
    const rows = scan.children.flatMap((c) => (c.row ? [c.row] : []));
    return {
      nodes: [
        { id: scan.base, index: null },
        ...scan.children.map((c) => ({ id: c.id, index: null, failed: c.status === 'error' })),
      ],
      rows,
      findings: [],
      idOf: () => scan.base,
      scanBase: scan.base,
      unjudged: scan.children
        .filter((c) => c.status === 'error')
        .map((c) => ({ base: scan.base, child: c.id, title: `${c.id} could not be loaded: its claim is not judged` })),
    };
  }, [scan]);
  const done = scan?.children.filter((c) => c.status === 'done' || c.status === 'error').length ?? 0;
  return (
    <section data-testid="family-scan">
      <h3>Family scan: the declared children of a model</h3>
      <form
        className="scan-form"
        onSubmit={(e) => {
          e.preventDefault();
          const b = (base || scan?.base || firstLoaded).trim();
          if (b) scanFamily(store, b, Math.min(MAX_SCAN_LIMIT, Math.max(1, Number(limit) || DEFAULT_SCAN_LIMIT)));
        }}
      >
        <label>
          base model{' '}
          <input
            data-testid="scan-base"
            value={base}
            placeholder={scan?.base || firstLoaded || 'org/name'}
            onChange={(e) => setBase(e.target.value)}
          />
        </label>{' '}
        <label>
          up to{' '}
          <input
            data-testid="scan-limit"
            type="number"
            min={1}
            max={MAX_SCAN_LIMIT}
            value={limit}
            onChange={(e) => setLimit(e.target.value)}
            style={{ width: '4em' }}
          />{' '}
          children
        </label>{' '}
        <button type="submit" data-testid="scan-start">
          list the children and judge each claim
        </button>
        {scan && scan.status !== 'done' && scan.status !== 'error' && (
          <>
            {' '}
            <button type="button" data-testid="scan-cancel" onClick={() => cancelFamilyScan(store)}>
              Cancel
            </button>
          </>
        )}
      </form>
      {scan && (
        <>
          <p data-testid="scan-status" data-status={scan.status}>
            <ScanStatus scan={scan} done={done} />
          </p>
          <p className="muted small" data-testid="scan-budget" data-calls={scan.apiCalls}>
            {budgetSentence(scan.apiCalls, API_BUCKET)} (list pages and model-info calls; the list is reused for 5
            minutes{scan.listFromCache ? ' and came from that cache' : ''}, model info is cached by commit).
          </p>
          {scan.children.length > 0 && <ScanTable scan={scan} />}
          {mapInput && (
            <LineageMap
              input={mapInput}
              testId="scan-map"
              onEdge={(e) =>
                e.open.kind === 'scan' && scanRowOpens(scan, e.open.child) && openScanChild(store, e.open.child)
              }
              onNode={(n) => scanRowOpens(scan, n.id) && openScanChild(store, n.id)}
            />
          )}
        </>
      )}
    </section>
  );
}

export function LineageView() {
  const store = useAppStore();
  const slots = useApp((s) => s.slots);
  const evidence = useApp((s) => s.evidence);
  const notComparable = useApp((s) => s.notComparable);
  const deep = useApp((s) => s.deepChecks);
  // the one verdict from all the evidence where the deep check ran (it wins over the norms alone)
  // eslint-disable-next-line react-hooks/exhaustive-deps -- recomputed when the deep checks or the norm verdicts change
  const combined = useMemo(() => combinedVerdicts(store.getState()), [store, deep, evidence, slots]);
  const likes = useMemo<SlotLike[]>(
    () =>
      slots.map((s) => ({ repo: s.ref.repo, local: !!s.ref.local, declared: s.model?.declared, loaded: !!s.model })),
    [slots],
  );
  const claims = claimsOf(likes);
  const rows = useMemo(
    () => lineageRows(likes, evidence, notComparable, combined),
    [likes, evidence, notComparable, combined],
  );
  const mapInput = useMemo<MapInput>(
    () => ({
      nodes: likes.flatMap((s, i) => (s.loaded ? [{ id: s.local ? `local:${s.repo}` : s.repo, index: i }] : [])),
      rows,
      findings: pairFindings(evidence, combined),
      idOf: (i) => (likes[i]?.local ? `local:${likes[i]!.repo}` : (likes[i]?.repo ?? '')),
    }),
    [likes, rows, evidence, combined],
  );
  const anyLoaded = likes.some((s) => s.loaded);
  return (
    <ViewFrame
      id="lineage"
      className="lineage-view"
      testId="lineage-view"
      title="Lineage: what the cards declare, what the weights show"
      note={
        <>
          Model cards declare a base model (<code>base_model</code>) and how they derive from it (fine-tune, adapter,
          quantization, merge). Here each claim among the loaded models is checked against the norm weights:{' '}
          <b>confirmed</b> when they show shared ancestry,
          <b> contradicted</b> when they show none, <b>not comparable</b> when nothing can be compared, and{' '}
          <b>undeclared</b> when two models share ancestry that no card declares.
        </>
      }
    >
      <RelativesPanel />
      {!anyLoaded && <FamilyScan />}
      {anyLoaded && (
        <>
          <h3>Claims</h3>
          <ul className="claims" data-testid="lineage-claims">
            {claims.map((c) => (
              <li key={c.index} data-testid={`claim-${c.index}`}>
                <b>{c.repo}</b> {c.text}
                {c.missing.length > 0 && (
                  <button
                    className="small"
                    data-testid={`lineage-add-base-${c.index}`}
                    onClick={() => addDeclaredBases(store, c.index)}
                  >
                    + add base{c.missing.length > 1 ? 's' : ''}
                  </button>
                )}
              </li>
            ))}
          </ul>
          <h3>Judgements</h3>
          <Judgements rows={rows} />
          <h3>Lineage map of the loaded models</h3>
          <LineageMap
            input={mapInput}
            testId="lineage-map"
            onEdge={(e) => e.open.kind === 'pair' && openPair(store, e.open.a, e.open.b)}
            onNode={(n) => {
              const r = rows.find((x) => x.childIndex === n.index || x.baseIndex === n.index);
              if (r) openPair(store, r.baseIndex, r.childIndex);
            }}
          />
        </>
      )}
      {anyLoaded && <FamilyScan />}
    </ViewFrame>
  );
}
