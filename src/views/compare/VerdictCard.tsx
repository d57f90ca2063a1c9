// The verdict in plain words, with the numbers behind it and the rules that produced it.
import type { Evidence, Verdict } from '../../core/verdict';
import {
  DEFAULT_PERMUTATIONS,
  SHARED_MAX_P,
  SHARED_MIN_R,
  SHARED_MIN_Z,
  SIGNAL_MAX_P,
  UNRELATED_R_CEILING,
} from '../../core/verdict';
import { HEATMAP_ALPHA } from '../../core/nulls';
import { MIN_MATCHED_R, MIN_MATCH_GAIN } from '../../core/channelMatch';
import { JUMP_PENALTY } from '../../core/alignment';
import { fmt } from './compareModel';

const HEADLINE: Record<Verdict, string> = {
  'shared-ancestry': 'Shared ancestry',
  'no-evidence': 'No evidence of shared ancestry in norm weights',
  inconclusive: 'Inconclusive',
  'no-information': 'No information: Pearson r is undefined (constant norms)',
};

export interface BaselineRow {
  label: string;
  evidence: Evidence;
}

export function VerdictCard({
  evidence,
  role,
  names,
  baselines = [],
}: {
  evidence: Evidence | undefined;
  role: string;
  names: [string, string];
  baselines?: BaselineRow[];
}) {
  if (!evidence) {
    return (
      <section className="verdict pending" data-testid="verdict-card" data-verdict="pending">
        <h3>Verdict ({role} norm)</h3>
        <p className="muted">running the permutation test and the layer alignment in a worker…</p>
      </section>
    );
  }
  // constant norms (e.g. folded into the matrices, every γ = 1.0) have no Pearson r: no information, never "no evidence"
  const noInformation = !Number.isFinite(evidence.diagonalPearson);
  return (
    <section
      className={`verdict ${noInformation ? 'pending' : evidence.verdict}`}
      data-testid="verdict-card"
      data-verdict={noInformation ? 'no-information' : evidence.verdict}
    >
      <h3>
        {names[0]} × {names[1]} ({role} norm):{' '}
        <span data-testid="verdict-headline">
          {noInformation
            ? 'No information: these norms are constant (no correlation exists)'
            : HEADLINE[evidence.verdict]}
        </span>
      </h3>
      <dl className="numbers">
        <dt>mean Pearson r {evidence.alignment ? 'along the alignment' : 'on the diagonal'}</dt>
        <dd data-testid="verdict-r">{fmt(evidence.diagonalPearson)}</dd>
        <dt>z against shared-permutation null</dt>
        <dd data-testid="verdict-z">{fmt(evidence.z, 1)}</dd>
        <dt>p ({evidence.permutations} permutations)</dt>
        <dd data-testid="verdict-p">
          {evidence.pValue < 0.001 ? evidence.pValue.toExponential(1) : fmt(evidence.pValue, 3)}
        </dd>
        <dt>significant cell |r| above</dt>
        <dd>{fmt(evidence.cellThreshold, 3)}</dd>
        <dt>channel reordering</dt>
        <dd data-testid="verdict-permutation">
          {evidence.permutation.found
            ? `found (matched r ${fmt(evidence.permutation.matchedPearson, 3)})`
            : 'none found'}
        </dd>
      </dl>
      {evidence.segments && (
        <p data-testid="verdict-segments">
          <b>Layer alignment:</b> {evidence.segments}
        </p>
      )}
      <ul className="reasons">
        {evidence.reasons.map((r) => (
          <li key={r}>{r}</li>
        ))}
      </ul>
      {baselines.length > 0 && (
        <p className="baseline-line" data-testid="verdict-baselines">
          <b>Against the other loaded pairs</b> (same role):{' '}
          {baselines
            .map(
              (b) =>
                `${b.label} r = ${fmt(b.evidence.diagonalPearson, 3)} (${HEADLINE[b.evidence.verdict].toLowerCase()})`,
            )
            .join('; ')}
          .
        </p>
      )}
      <details className="thresholds">
        <summary>How the verdict is decided</summary>
        <ul>
          <li>
            <b>Null:</b> one random permutation of model B's hidden dimensions is applied to all its layers at once (a
            model's distribution does not change when its channels are relabelled consistently), {DEFAULT_PERMUTATIONS}{' '}
            times, re-aligning each time. Per-layer p-values are never combined as if independent: the layers of one
            model are strongly correlated.
          </li>
          <li>
            <b>Shared ancestry</b> needs p ≤ {SHARED_MAX_P}, z ≥ {SHARED_MIN_Z} <i>and</i> mean aligned r ≥{' '}
            {SHARED_MIN_R} (r² ≥ {Math.round(SHARED_MIN_R ** 2 * 100)}% shared pattern variance), or a channel
            reordering whose matched r ≥ {MIN_MATCHED_R} and beats identity by {MIN_MATCH_GAIN}. A tiny p alone is not
            enough: independent real models sit at r ≈ 0.01–0.02.
          </li>
          <li>
            <b>Inconclusive:</b> p ≤ {SIGNAL_MAX_P} and r above {UNRELATED_R_CEILING}, but below the shared-ancestry
            effect size.
          </li>
          <li>
            <b>No evidence</b> otherwise. Never "independent": norm weights are a tiny part of a model and can be
            re-initialised.
          </li>
          <li>
            <b>Alignment:</b> runs of consecutive layers matched in order, joined by jumps that may skip or go back
            (penalty {JUMP_PENALTY}); cells score r minus the family-wise {Math.round(HEATMAP_ALPHA * 100)}% threshold,
            so stretches below the null stay unmatched.
          </li>
        </ul>
      </details>
    </section>
  );
}
