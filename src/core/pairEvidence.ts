// Verdicts for one model pair, role by role: a permutation null and alignment per role; channel
// matching once per width, since one channel permutation is shared by all norms of that width.
// The work comes apart into parts (each role's index test, each width's channel matching) that may
// run in different workers, and are put together by `combineEvidence`; the result is the same.
import { matchChannels, type ChannelMatch } from './channelMatch';
import { indexTest, verdictFrom, type Evidence, type IndexTest, type JudgeOptions } from './verdict';
import { NORM_ROLES, type NormRole } from './types';

export type RoleRows = Partial<Record<NormRole, Float32Array[]>>;

export interface PairEvidenceOptions extends JudgeOptions {
  /**
   * Match channels only when some role's index test is not already decisive (the family scan):
   * shared ancestry found index by index needs no reordering check. The verdict is the same; the
   * channel-matching fields are then NaN and the reasons say nothing about reordering.
   */
  lazyChannels?: boolean;
}

/** One part of a pair's evidence. */
export type EvidencePart = { kind: 'index'; role: NormRole } | { kind: 'channels'; roles: NormRole[] };
export type EvidencePartResult =
  { kind: 'index'; role: NormRole; test: IndexTest } | { kind: 'channels'; match: ChannelMatch };

const widthOf = (rows: Float32Array[] | undefined) => rows?.[0]?.length ?? -1;

/** The comparable roles of a pair, grouped by width (one channel permutation per group). */
export function roleGroups(rolesA: RoleRows, rolesB: RoleRows): NormRole[][] {
  const roles = NORM_ROLES.filter((r) => rolesA[r] && rolesB[r] && widthOf(rolesA[r]) === widthOf(rolesB[r]));
  const widths = [...new Set(roles.map((r) => widthOf(rolesA[r])))];
  return widths.map((w) => roles.filter((r) => widthOf(rolesA[r]) === w));
}

/** Every part of a pair's evidence, the costliest first (an index test is a permutation null). */
export function evidenceParts(groups: NormRole[][]): EvidencePart[] {
  return [
    ...groups.flat().map((role): EvidencePart => ({ kind: 'index', role })),
    ...groups.map((roles): EvidencePart => ({ kind: 'channels', roles })),
  ];
}

export function runEvidencePart(
  part: EvidencePart,
  rolesA: RoleRows,
  rolesB: RoleRows,
  judge: JudgeOptions = {},
): EvidencePartResult {
  if (part.kind === 'index')
    return { kind: 'index', role: part.role, test: indexTest(rolesA[part.role]!, rolesB[part.role]!, judge) };
  return {
    kind: 'channels',
    match: matchChannels(
      part.roles.map((r) => rolesA[r]!),
      part.roles.map((r) => rolesB[r]!),
    ),
  };
}

/** The verdicts from the parts' results, in the order `evidenceParts` gave the parts. */
export function combineEvidence(
  groups: NormRole[][],
  results: readonly EvidencePartResult[],
): Partial<Record<NormRole, Evidence>> {
  const tests = new Map<NormRole, IndexTest>();
  const matches: ChannelMatch[] = [];
  for (const r of results) {
    if (r.kind === 'index') tests.set(r.role, r.test);
    else matches.push(r.match);
  }
  const out: Partial<Record<NormRole, Evidence>> = {};
  groups.forEach((group, g) => {
    for (const role of group) out[role] = verdictFrom(tests.get(role)!, matches[g] ?? null);
  });
  return out;
}

export function evidenceForRoles(
  rolesA: RoleRows,
  rolesB: RoleRows,
  options: PairEvidenceOptions = {},
): Partial<Record<NormRole, Evidence>> {
  const { lazyChannels, ...judge } = options;
  const groups = roleGroups(rolesA, rolesB);
  if (!lazyChannels)
    return combineEvidence(
      groups,
      evidenceParts(groups).map((part) => runEvidencePart(part, rolesA, rolesB, judge)),
    );
  const out: Partial<Record<NormRole, Evidence>> = {};
  for (const group of groups) {
    const tests = group.map((r) => indexTest(rolesA[r]!, rolesB[r]!, judge));
    const channels = tests.every((t) => t.indexShared)
      ? null
      : matchChannels(
          group.map((r) => rolesA[r]!),
          group.map((r) => rolesB[r]!),
        );
    group.forEach((r, k) => (out[r] = verdictFrom(tests[k]!, channels)));
  }
  return out;
}
