// One ancestry verdict for a pair, from every basis (issue 14): the norms per role and the
// matrices of the deep check. Constant or non-comparable norms are "no information"; when the
// signals disagree the card says so and which one carries the verdict.
import { NOT_COMPUTED, ancestryOf } from '../../state/ancestry';
import { useMemo } from 'react';
import { useApp, useAppStore } from '../../state/storeContext';
import { fmt } from './compareModel';
import { VERDICT_WORDS } from './DeepCheck';

export function AncestryCard({ a, b, names }: { a: number; b: number; names: [string, string] }) {
  const store = useAppStore();
  const slots = useApp((s) => s.slots);
  const evidence = useApp((s) => s.evidence);
  const notComparable = useApp((s) => s.notComparable);
  const deep = useApp((s) => s.deepChecks);
  // recomputed only when one of its inputs changes
  const p = useMemo(
    () => ancestryOf({ ...store.getState(), slots, evidence, notComparable, deepChecks: deep }, a, b),
    [store, slots, evidence, notComparable, deep, a, b],
  );
  const computing = useApp((s) => s.computing);
  // while the norm verdicts are still being computed, the combined verdict waits for them
  const waiting = computing && p.norms.some((n) => n.why === NOT_COMPUTED);
  const verdict = waiting ? 'pending' : (p.result?.verdict ?? 'pending');
  return (
    <section
      className={`verdict ancestry ${verdict}`}
      data-testid="ancestry-card"
      data-verdict={verdict}
      data-carried-by={p.result?.carriedBy ?? ''}
      aria-label="Ancestry verdict from all the evidence"
    >
      <h3>
        {names[0]} × {names[1]}, all the evidence:{' '}
        <span data-testid="ancestry-headline">
          {p.result && !waiting ? VERDICT_WORDS[p.result.verdict] : 'waiting for the norm verdicts…'}
        </span>
        {p.result && !waiting && p.result.carriedBy !== 'none' && (
          <span className="muted">
            {' '}
            (carried by {p.result.carriedBy === 'both' ? 'norms and matrices' : p.result.carriedBy})
          </span>
        )}
      </h3>
      {p.error && <p className="muted">{p.error}</p>}
      {p.result?.disagreement && (
        <p className="warning" data-testid="ancestry-disagreement">
          The signals disagree: {p.result.disagreement}
        </p>
      )}
      <table className="bases" data-testid="ancestry-bases">
        <caption className="hint">Each basis of the verdict</caption>
        <thead>
          <tr>
            <th scope="col">basis</th>
            <th scope="col">says</th>
            <th scope="col">numbers</th>
          </tr>
        </thead>
        <tbody>
          {p.norms.map((n) => (
            <tr key={n.role} data-basis={`norm-${n.role}`} data-verdict={n.verdict}>
              <th scope="row">{n.role} norms</th>
              <td>{VERDICT_WORDS[n.verdict]}</td>
              <td>
                {n.r !== null ? `r ${fmt(n.r, 3)}` : ''}
                {n.pValue !== null ? `, p ${n.pValue < 0.001 ? n.pValue.toExponential(1) : fmt(n.pValue, 3)}` : ''}
                {n.why ? <span className="hint"> {n.why}</span> : null}
              </td>
            </tr>
          ))}
          <tr data-basis="matrices" data-verdict={p.matrices?.verdict ?? 'not-run'}>
            <th scope="row">matrices</th>
            <td>{p.matrices ? VERDICT_WORDS[p.matrices.verdict] : 'not run yet'}</td>
            <td>
              {p.matrices
                ? `p ${p.matrices.pValue < 0.001 ? p.matrices.pValue.toExponential(1) : fmt(p.matrices.pValue, 3)}, hidden map ${p.matrices.hiddenMap}`
                : 'run the deep check below'}
            </td>
          </tr>
        </tbody>
      </table>
      {p.result && (
        <ul className="reasons">
          {p.result.reasons.map((r) => (
            <li key={r}>{r}</li>
          ))}
        </ul>
      )}
    </section>
  );
}
