// The relatives search in the lineage view: what was listed, matched and compared, what it spent,
// progress per candidate and cancel, the ranked list (relatives first with r, p and basis; then the
// no-evidence candidates with their r), the map of the relatives found, and their export.
import { useMemo } from 'react';
import { useApp } from '../../state/storeContext';
import { useRelativesActions } from '../../state/relativesContext';
import type { CandidateState, RelativesState } from '../../state/relativesSearch';
import { spendSentence, type RelativeStatus } from '../../core/lineage/relatives';
import { rankedCandidates, relativesExportRows, relativesLineageRows } from './relativesModel';
import { LineageMap } from './LineageMap';
import { fixed } from '../../core/format';
import type { MapInput } from './lineageMapModel';

const SOURCE_WORDS = {
  'declared-base': 'declared base',
  'declared-child': 'declared child',
  hub: 'Hub root',
  user: 'added by you',
} as const;
const STATUS_TEXT: Record<RelativeStatus, string> = {
  declared: 'declared (not judged)',
  confirmed: 'confirmed',
  contradicted: 'contradicted',
  undeclared: 'undeclared',
  inconclusive: 'inconclusive',
  'no-evidence': 'no evidence',
  'no-information': 'no information from the norms; matrix check needed',
  'not-comparable': 'not comparable',
  error: 'error',
};
const RELATIVE = new Set<RelativeStatus>(['confirmed', 'undeclared']);

function download(name: string, value: unknown): void {
  const url = URL.createObjectURL(new Blob([JSON.stringify(value, null, 2)], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function progressText(c: CandidateState): string {
  if (c.phase === 'loading')
    return c.progress ? `loading ${c.progress.tensorsDone}/${c.progress.tensorsTotal} norms` : 'loading…';
  if (c.phase === 'comparing') return 'comparing…';
  if (c.phase === 'deep') return 'matrix check…';
  if (c.phase === 'queued') return 'queued';
  return '';
}

function Row({ c, withP }: { c: CandidateState; withP: boolean }) {
  const j = c.judgement;
  return (
    <tr data-testid={`relative-${c.candidate.id}`} data-status={j?.status ?? c.phase} data-source={c.candidate.source}>
      <td>
        <b>{c.candidate.id}</b>
        {j?.likelyParent && j.status === 'undeclared' && (
          <div className="small muted">likely parent: {j.likelyParent}</div>
        )}
      </td>
      <td>{SOURCE_WORDS[c.candidate.source]}</td>
      <td>{j ? <span className={`lineage-status ${j.status}`}>{STATUS_TEXT[j.status]}</span> : progressText(c)}</td>
      <td data-testid="r">{fixed(j?.r ?? null, 2, '–')}</td>
      <td>{withP && j?.pValue != null ? j.pValue.toPrecision(2) : ''}</td>
      <td>{withP ? (j?.basis ?? '') : ''}</td>
      <td className="small">
        {j?.explanation ?? ''} {c.error && c.error !== j?.explanation ? c.error : ''}
      </td>
    </tr>
  );
}

function Table({ list, withP, testId }: { list: CandidateState[]; withP: boolean; testId: string }) {
  if (list.length === 0) return null;
  return (
    <table className="scan-table" data-testid={testId}>
      <thead>
        <tr>
          <th>candidate</th>
          <th>source</th>
          <th>status</th>
          <th>r</th>
          <th>{withP ? 'p' : ''}</th>
          <th>{withP ? 'basis' : ''}</th>
          <th>why</th>
        </tr>
      </thead>
      <tbody>
        {list.map((c) => (
          <Row key={c.candidate.id} c={c} withP={withP} />
        ))}
      </tbody>
    </table>
  );
}

function statusLine(s: RelativesState): string {
  if (s.status === 'listing')
    return `Listing the Hub's most downloaded text-generation models and ${s.of}'s declared kin…`;
  const counts = `${s.listed} models listed (${s.roots} roots) · ${s.matched} of the same width matched · ${s.compared} of ${s.candidates.length} candidates compared`;
  if (s.status === 'reading-widths') return `Reading the widths of ${s.roots} roots (config.json, cached by commit)…`;
  if (s.status === 'comparing') return `${counts} · comparing…`;
  if (s.status === 'cancelled') return `${counts} · cancelled`;
  if (s.status === 'error') return `The search failed: ${s.error ?? ''}`;
  return `${counts} · done in ${((s.wallMs ?? 0) / 1000).toFixed(1)} s`;
}

export function RelativesPanel() {
  const s = useApp((x) => x.relatives);
  const actions = useRelativesActions();
  const ranked = useMemo(() => (s ? rankedCandidates(s) : []), [s]);
  const mapInput = useMemo<MapInput | null>(() => {
    if (!s) return null;
    const rows = relativesLineageRows(s);
    if (rows.length === 0) return null;
    const ids = new Set([s.of, ...rows.flatMap((r) => [r.child, r.base])]);
    return { nodes: [...ids].map((id) => ({ id, index: null })), rows, findings: [], idOf: () => s.of, scanBase: s.of };
  }, [s]);
  if (!s) return null;
  const running = !['done', 'cancelled', 'error'].includes(s.status);
  const relatives = ranked.filter((c) => c.judgement && RELATIVE.has(c.judgement.status));
  const noEvidence = ranked.filter((c) => c.judgement?.status === 'no-evidence');
  const rest = ranked.filter((c) => !relatives.includes(c) && !noEvidence.includes(c));
  return (
    <section data-testid="relatives" data-status={s.status}>
      <h3>Relatives of {s.of}</h3>
      <p data-testid="relatives-status">
        {statusLine(s)}{' '}
        {running && actions && (
          <button className="small" data-testid="relatives-cancel" onClick={() => actions.cancel()}>
            cancel
          </button>
        )}
      </p>
      <p className="muted small" data-testid="relatives-spent" data-api={s.spent.api} data-resolves={s.spent.resolves}>
        This search {spendSentence(s.spent)} (anonymous budgets; lists are reused for 5 minutes, widths and vectors are
        cached by commit).
      </p>
      {s.deepMissing && (
        <p className="warning" data-testid="relatives-deep-missing">
          Some candidates' norms are constant: the norms carry no information there, and the matrix check could not
          decide for them (not available for local models, or nothing it can read: see each row).
        </p>
      )}
      <h4>Relatives</h4>
      {relatives.length === 0 ? (
        <p className="muted" data-testid="relatives-none">
          {running ? 'None found yet.' : 'No relative found among the candidates compared.'}
        </p>
      ) : (
        <Table list={relatives} withP testId="relatives-found" />
      )}
      {rest.length > 0 && (
        <>
          <h4>Claims, open questions and candidates in progress</h4>
          <Table list={rest} withP testId="relatives-other" />
        </>
      )}
      {noEvidence.length > 0 && (
        <>
          <h4>No evidence of shared ancestry</h4>
          <Table list={noEvidence} withP={false} testId="relatives-no-evidence" />
        </>
      )}
      {mapInput && (
        <LineageMap input={mapInput} testId="relatives-map" onEdge={() => undefined} onNode={() => undefined} />
      )}
      <button
        data-testid="relatives-export"
        disabled={s.status !== 'done'}
        onClick={() =>
          download('normscope-relatives.json', { relatives: relativesExportRows(s), lineage: relativesLineageRows(s) })
        }
      >
        Export relatives JSON
      </button>
    </section>
  );
}
