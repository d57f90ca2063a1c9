// The family scan's pure half: the judge settings, one finding per base–child pair, the row of the
// scan table, and the api budget sentence.
import { SEQUENTIAL_DEFAULT } from '../nulls';
import type { PairEvidenceOptions } from '../pairEvidence';
import type { Evidence } from '../verdict';
import type { NormRole } from '../types';
import type { LineageRelation } from './declared';
import { combineRoleVerdicts, judgeLineage, type LineageRow, type PairFinding } from './judge';

/**
 * 99 draws at most: the fewest that can give p ≤ 0.01 (SHARED_MAX_P), so a shared verdict is still
 * reachable; stop at the 10th draw that reaches the observed r (Besag–Clifford, nulls.ts); match
 * channels only where the index test alone is not decisive.
 */
export const SCAN_JUDGE_OPTIONS: PairEvidenceOptions = {
  permutations: 99,
  sequential: SEQUENTIAL_DEFAULT,
  lazyChannels: true,
  seed: 1,
};
export const DEFAULT_SCAN_LIMIT = 20;
/** The Hub's anonymous `api` bucket (docs/hub-protocol.md §1.5): 500 calls per 5-minute window. */
export const API_BUCKET = { calls: 500, windowSeconds: 300 } as const;
export const MAX_SCAN_LIMIT = 100;

export function findingOf(a: number, b: number, byRole: Partial<Record<NormRole, Evidence>>): PairFinding | null {
  const combined = combineRoleVerdicts(
    Object.values(byRole).map((e) => ({ verdict: e!.verdict, r: e!.diagonalPearson })),
  );
  return combined ? { a, b, ...combined } : null;
}

/** One scan row's judgement: the child's declared relation to the base against the measured verdict. */
export function judgeScanChild(
  base: string,
  child: string,
  relation: LineageRelation | null,
  result: { byRole: Partial<Record<NormRole, Evidence>> } | { notComparable: string } | null,
): LineageRow | null {
  const models = [
    { repo: base, declared: null },
    { repo: child, declared: { bases: [base], relation, source: 'tags' as const } },
  ];
  if (!result) return judgeLineage(models, [], [])[0] ?? null;
  if ('notComparable' in result)
    return judgeLineage(models, [], [{ a: 0, b: 1, reason: result.notComparable }])[0] ?? null;
  const f = findingOf(0, 1, result.byRole);
  return (
    judgeLineage(
      models,
      f ? [f] : [],
      f ? [] : [{ a: 0, b: 1, reason: 'the two models have no norm role of the same width' }],
    )[0] ?? null
  );
}

/** "this scan used 9 of 500 api calls per 5 min" */
export function budgetSentence(apiCalls: number, bucket: { calls: number; windowSeconds: number }): string {
  return `this scan used ${apiCalls} of ${bucket.calls} api calls per ${bucket.windowSeconds / 60} min`;
}
