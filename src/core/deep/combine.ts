// One ancestry verdict per pair from every basis (issue 14 item 5): the norm verdict per role and the
// matrix evidence. Each basis is a test with a controlled false-positive rate whose failures are false
// negatives under a disguise (folded or retrained norms; permuted units), never false positives. So:
//   - a basis that could not look (constant/folded norms, nothing comparable, matrices not read) is
//     "no-information" and does not vote;
//   - shared-ancestry from any basis carries the verdict, even against a "no evidence" from another
//     (that disagreement is reported, with why: the other basis is blind to that disguise);
//   - otherwise any "inconclusive" makes the pair inconclusive; "no-evidence" needs every basis that
//     looked to say so; nothing looked → inconclusive (never "no evidence" for lack of looking).
import type { AncestryResult, AncestryVerdict, MatrixEvidence, NormBasis } from './types';

type Vote = AncestryVerdict | 'no-information';

function normVote(norms: NormBasis[]): { vote: Vote; text: string } {
  const looked = norms.filter((n) => n.verdict !== 'no-information');
  const fmt = (n: NormBasis) =>
    `${n.role}: ${n.verdict}${n.r !== null ? ` (r ${n.r.toFixed(3)}${n.pValue !== null ? `, p ${n.pValue.toPrecision(2)}` : ''})` : ''}${n.why ? ` — ${n.why}` : ''}`;
  const text = norms.length ? norms.map(fmt).join('; ') : 'no norm roles compared';
  if (!looked.length) return { vote: 'no-information', text };
  if (looked.some((n) => n.verdict === 'shared-ancestry')) return { vote: 'shared-ancestry', text };
  if (looked.some((n) => n.verdict === 'inconclusive')) return { vote: 'inconclusive', text };
  return { vote: 'no-evidence', text };
}

function matrixVote(m: MatrixEvidence | null): { vote: Vote; text: string } {
  if (!m) return { vote: 'no-information', text: 'matrices not read' };
  const nothingTested = !Number.isFinite(m.pValue);
  const text = `${m.verdict} (p ${Number.isFinite(m.pValue) ? m.pValue.toPrecision(2) : 'n/a'}, hidden map ${m.hiddenMap})`;
  return { vote: nothingTested ? 'no-information' : m.verdict, text };
}

/** One verdict from every basis: norms per role and the matrices. */
export function combineAncestry(norms: NormBasis[], matrices: MatrixEvidence | null): AncestryResult {
  const n = normVote(norms),
    m = matrixVote(matrices);
  const reasons = [`Norms — ${n.text}.`, `Matrices — ${m.text}.`];
  const votes: [string, Vote][] = [
    ['norms', n.vote],
    ['matrices', m.vote],
  ];
  const looked = votes.filter(([, v]) => v !== 'no-information');
  const sharedBy = looked.filter(([, v]) => v === 'shared-ancestry').map(([k]) => k);
  let verdict: AncestryVerdict;
  let carriedBy: AncestryResult['carriedBy'];
  if (!looked.length) {
    verdict = 'inconclusive';
    carriedBy = 'none';
    reasons.push('Neither basis could be compared: no information, which is not evidence either way.');
  } else if (sharedBy.length) {
    verdict = 'shared-ancestry';
    carriedBy = sharedBy.length === 2 ? 'both' : (sharedBy[0] as 'norms' | 'matrices');
  } else if (looked.some(([, v]) => v === 'inconclusive')) {
    verdict = 'inconclusive';
    carriedBy = looked.length === 2 ? 'both' : (looked[0]![0] as 'norms' | 'matrices');
  } else {
    verdict = 'no-evidence';
    carriedBy = looked.length === 2 ? 'both' : (looked[0]![0] as 'norms' | 'matrices');
  }
  const disagreement = describeDisagreement(n.vote, m.vote, verdict);
  if (disagreement) reasons.push(disagreement);
  for (const [k, v] of votes)
    if (v === 'no-information')
      reasons.push(`The ${k} give no information here (not compared or constant), not “no evidence”.`);
  return { verdict, carriedBy, disagreement, reasons };
}

function describeDisagreement(norms: Vote, matrices: Vote, verdict: AncestryVerdict): string | null {
  if (norms === 'no-information' || matrices === 'no-information' || norms === matrices) return null;
  if (verdict === 'shared-ancestry') {
    const [yes, no] = norms === 'shared-ancestry' ? ['norms', 'matrices'] : ['matrices', 'norms'];
    const blind =
      yes === 'matrices'
        ? 'norm comparisons are blind to folded, permuted or retrained norms'
        : 'the matrix tests are blind to matrices that were retrained, re-initialised or had their units permuted beyond what was read';
    return (
      `The signals disagree: the ${yes} say shared-ancestry, the ${no} say ${yes === 'norms' ? matrices : norms}. ` +
      `The verdict follows the ${yes}: each test's false-positive rate is bounded by its null, while a miss is ` +
      `expected under a disguise (${blind}).`
    );
  }
  return `The signals differ (norms ${norms}, matrices ${matrices}); neither reaches shared-ancestry, so the verdict is ${verdict}.`;
}
