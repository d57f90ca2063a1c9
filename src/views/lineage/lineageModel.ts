// The lineage view's data, pure: each loaded model's claim, the judgements of the claims among the
// loaded models (and undeclared shared ancestry), the export rows, and the map's graph.
import { describeClaim, type DeclaredLineage } from '../../core/lineage/declared';
import { judgeLineage, combineRoleVerdicts, type LineageRow, type PairFinding } from '../../core/lineage/judge';
import type { Evidence } from '../../core/verdict';
import type { NotComparable } from '../../core/pairs';
import type { FamilyScanState } from '../../state/familyScan';

export interface SlotLike {
  repo: string;
  local: boolean;
  declared: DeclaredLineage | null | undefined;
  loaded: boolean;
}

export interface Claim {
  index: number;
  repo: string;
  text: string;
  /** declared bases not among the loaded models ("+ add base") */
  missing: string[];
}

export function claimsOf(slots: readonly SlotLike[]): Claim[] {
  return slots.flatMap((s, index) => {
    if (!s.loaded || s.local) return [];
    const missing = (s.declared?.bases ?? []).filter(
      (b) => !slots.some((o) => !o.local && o.repo.toLowerCase() === b.toLowerCase()),
    );
    return [{ index, repo: s.repo, text: describeClaim(s.declared), missing }];
  });
}

/**
 * Per pair, all roles together, from the store's evidence keyed "a,b,norm"; where the deep check ran,
 * `combined` (keyed "a,b") holds the one verdict from all the evidence (state/ancestry.ts), which wins.
 */
export function pairFindings(
  evidence: Record<string, Evidence>,
  combined: Readonly<Record<string, Evidence['verdict']>> = {},
): PairFinding[] {
  const byPair = new Map<string, { verdict: Evidence['verdict']; r: number }[]>();
  for (const [key, e] of Object.entries(evidence)) {
    const [a, b] = key.split(',');
    const k = `${a},${b}`;
    byPair.set(k, [...(byPair.get(k) ?? []), { verdict: e.verdict, r: e.diagonalPearson }]);
  }
  const fromNorms = [...byPair.entries()].flatMap(([k, list]) => {
    const [a, b] = k.split(',').map(Number) as [number, number];
    const c = combineRoleVerdicts(list);
    const v = combined[k];
    if (c) return [{ a, b, ...c, ...(v ? { verdict: v } : {}) }];
    return v ? [{ a, b, verdict: v, r: NaN }] : [];
  });
  const seen = new Set(fromNorms.map((f) => `${f.a},${f.b}`));
  const onlyCombined = Object.entries(combined)
    .filter(([k]) => !seen.has(k))
    .map(([k, verdict]) => {
      const [a, b] = k.split(',').map(Number) as [number, number];
      return { a, b, verdict, r: NaN };
    });
  return [...fromNorms, ...onlyCombined];
}

export function lineageRows(
  slots: readonly SlotLike[],
  evidence: Record<string, Evidence>,
  notComparable: readonly NotComparable[],
  combined: Readonly<Record<string, Evidence['verdict']>> = {},
): LineageRow[] {
  const models = slots.map((s) => ({
    repo: s.local ? `local:${s.repo}` : s.repo,
    declared: s.loaded ? (s.declared ?? null) : null,
  }));
  return judgeLineage(
    models,
    pairFindings(evidence, combined),
    notComparable.filter((n) => n.norm === undefined),
  );
}

/** The export's `lineage` field: repo ids, the claim, the measured verdict, the status. */
export function lineageExport(rows: readonly LineageRow[], scan: FamilyScanState | null) {
  const fromScan = (scan?.children ?? []).flatMap((c) => (c.row ? [c.row] : []));
  const seen = new Set<string>();
  return [...rows, ...fromScan].flatMap((r) => {
    const key = `${r.child}\n${r.base}`;
    if (seen.has(key)) return [];
    seen.add(key);
    return [{ child: r.child, base: r.base, declared: r.declared, verdict: r.verdict, status: r.status }];
  });
}
