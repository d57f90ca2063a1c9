// The relatives search in the lineage view's terms, pure: its judged claims and findings as lineage
// rows (for the map and the export's `lineage`), and the export's `relatives`.
import type { LineageRow } from '../../core/lineage/judge';
import { rankRelatives, relativesExport, type RelativeExportRow } from '../../core/lineage/relatives';
import type { RelativesState } from '../../state/relativesSearch';

/** Rows for the relatives that cards claim or the weights show: confirmed, contradicted, undeclared. */
export function relativesLineageRows(state: RelativesState | null): LineageRow[] {
  if (!state) return [];
  return state.candidates.flatMap((c) => {
    const j = c.judgement;
    if (!j || (j.status !== 'confirmed' && j.status !== 'contradicted' && j.status !== 'undeclared')) return [];
    const childFirst =
      c.candidate.source === 'declared-child' || (j.status === 'undeclared' && j.likelyParent === state.of);
    const [child, base] = childFirst ? [c.candidate.id, state.of] : [state.of, c.candidate.id];
    return [
      {
        child,
        base,
        declared: j.status === 'undeclared' ? null : 'unspecified',
        verdict: j.verdict,
        status: j.status,
        r: j.r,
        childIndex: -1,
        baseIndex: -1,
        explanation: j.explanation,
      },
    ];
  });
}

export function relativesExportRows(state: RelativesState | null): RelativeExportRow[] {
  if (!state || state.status !== 'done') return [];
  return relativesExport(
    state.of,
    state.candidates.map((c) => ({ candidate: c.candidate, judgement: c.judgement })),
  );
}

export function rankedCandidates(state: RelativesState) {
  return rankRelatives(state.candidates);
}
