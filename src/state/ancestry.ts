// One ancestry verdict per pair of models, from all the evidence (issue 14): the norm verdict of
// every role as a basis ("no information" when a role is constant or cannot be compared — never "no
// evidence"), and the deep check's matrices when it ran. The compare view, the verdict card, the
// lineage view and the export all read it from here.
import { combineAncestry, type AncestryResult, type MatrixEvidence, type NormBasis } from '../core/deep/api';
import type { LoadedModel, NormRole } from '../core/types';
import { deepKey } from './deepCheck';
import { evidenceKey, type AppState } from './store';

/** Largest minus smallest value of a role over all decoder layers; NaN when the role is absent. */
function roleSpread(m: LoadedModel, role: NormRole): number {
  let lo = Infinity;
  let hi = -Infinity;
  for (const l of m.layers) {
    const v = l[role];
    if (!v) continue;
    for (let i = 0; i < v.length; i++) {
      const x = v[i] as number;
      if (x < lo) lo = x;
      if (x > hi) hi = x;
    }
  }
  return hi >= lo ? hi - lo : NaN;
}

export const NOT_COMPUTED = 'Not computed (yet) for this pair.';

/** The norm bases of a pair, one per role either model has. */
export function normBasesOf(s: AppState, a: number, b: number): NormBasis[] {
  const ma = s.slots[a]?.model;
  const mb = s.slots[b]?.model;
  if (!ma || !mb) return [];
  const roles = [...new Set([...ma.roles, ...mb.roles])];
  return roles.map((role): NormBasis => {
    const constant = [ma, mb].find((m) => roleSpread(m, role) === 0);
    if (constant)
      return {
        role,
        verdict: 'no-information',
        r: null,
        pValue: null,
        why: `${constant.repo}'s ${role} norms are constant (every γ equal): folded or reset norms carry no information.`,
      };
    const nc = s.notComparable.find((n) => n.a === a && n.b === b && (n.norm === role || n.norm === undefined));
    if (nc) return { role, verdict: 'no-information', r: null, pValue: null, why: nc.reason };
    const e = s.evidence[evidenceKey(a, b, role)];
    if (!e) return { role, verdict: 'no-information', r: null, pValue: null, why: 'Not computed (yet) for this pair.' };
    return {
      role,
      verdict: e.verdict,
      r: Number.isFinite(e.diagonalPearson) ? e.diagonalPearson : null,
      pValue: Number.isFinite(e.pValue) ? e.pValue : null,
    };
  });
}

export interface PairAncestry {
  a: number;
  b: number;
  norms: NormBasis[];
  /** the norms alone, as one verdict */
  normVerdict: AncestryResult | null;
  matrices: MatrixEvidence | null;
  /** from every basis; null while the statistics are not available in this build */
  result: AncestryResult | null;
  error: string | null;
}

/** The matrix evidence of a pair when its deep check has finished. */
export function matricesOf(s: AppState, a: number, b: number): MatrixEvidence | null {
  const e = s.deepChecks[deepKey(a, b)];
  return e?.phase === 'done' ? e.result.evidence : null;
}

export function ancestryOf(s: AppState, a: number, b: number): PairAncestry {
  const norms = normBasesOf(s, a, b);
  const matrices = matricesOf(s, a, b);
  try {
    return {
      a,
      b,
      norms,
      normVerdict: combineAncestry(norms, null),
      matrices,
      result: combineAncestry(norms, matrices),
      error: null,
    };
  } catch (e) {
    return {
      a,
      b,
      norms,
      normVerdict: null,
      matrices,
      result: null,
      error: e instanceof Error ? e.message : String(e),
    };
  }
}

/** The export's `ancestry` field: one entry per pair of loaded models. */
export function ancestryExport(s: AppState) {
  const out = [];
  for (let a = 0; a < s.slots.length; a++)
    for (let b = a + 1; b < s.slots.length; b++) {
      if (!s.slots[a]?.model || !s.slots[b]?.model) continue;
      const p = ancestryOf(s, a, b);
      const m = p.matrices;
      out.push({
        a,
        b,
        verdict: p.result?.verdict ?? null,
        carriedBy: p.result?.carriedBy ?? null,
        disagreement: p.result?.disagreement ?? null,
        norms: {
          verdict: p.normVerdict?.verdict ?? null,
          roles: p.norms.map((n) => ({ role: n.role, verdict: n.verdict, r: n.r, pValue: n.pValue })),
        },
        matrices: m
          ? {
              verdict: m.verdict,
              pValue: m.pValue,
              statistic: m.statistic,
              statisticName: m.statisticName,
              effect: m.effect,
              effectName: m.effectName,
              hiddenMap: m.hiddenMap,
              hiddenClarity: m.hiddenClarity,
              nullDescription: m.nullDescription,
              tensors: m.tensors,
              bytesRead: m.bytesRead,
            }
          : null,
        // recipe statistics: descriptive, never part of the verdict (its caveat travels with it)
        ...(m?.stdProfile ? { stdProfile: m.stdProfile } : {}),
      });
    }
  return out;
}

/** The combined verdict of every pair whose deep check has finished, keyed "a,b" (for the lineage view). */
export function combinedVerdicts(s: AppState): Record<string, AncestryResult['verdict']> {
  const out: Record<string, AncestryResult['verdict']> = {};
  for (const e of Object.values(s.deepChecks)) {
    if (e.phase !== 'done') continue;
    const v = ancestryOf(s, e.a, e.b).result?.verdict;
    if (v) out[deepKey(e.a, e.b)] = v;
  }
  return out;
}
