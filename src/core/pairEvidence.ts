// Verdicts for one model pair, role by role: a permutation null and alignment per role; channel
// matching once per width, since one channel permutation is shared by all norms of that width.
import { matchChannels, type ChannelMatch } from './channelMatch';
import { indexTest, judgePair, verdictFrom, type Evidence, type JudgeOptions } from './verdict';
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

const widthOf = (rows: Float32Array[] | undefined) => rows?.[0]?.length ?? -1;

export function evidenceForRoles(
  rolesA: RoleRows,
  rolesB: RoleRows,
  options: PairEvidenceOptions = {},
): Partial<Record<NormRole, Evidence>> {
  const { lazyChannels, ...judge } = options;
  const roles = NORM_ROLES.filter((r) => rolesA[r] && rolesB[r] && widthOf(rolesA[r]) === widthOf(rolesB[r]));
  const widths = [...new Set(roles.map((r) => widthOf(rolesA[r])))];
  const out: Partial<Record<NormRole, Evidence>> = {};
  for (const width of widths) {
    const group = roles.filter((r) => widthOf(rolesA[r]) === width);
    const channelsOf = (): ChannelMatch =>
      matchChannels(
        group.map((r) => rolesA[r]!),
        group.map((r) => rolesB[r]!),
      );
    if (!lazyChannels) {
      const channelMatch = channelsOf();
      for (const r of group) out[r] = judgePair(rolesA[r]!, rolesB[r]!, { ...judge, channelMatch });
      continue;
    }
    const tests = group.map((r) => indexTest(rolesA[r]!, rolesB[r]!, judge));
    const channels = tests.every((t) => t.indexShared) ? null : channelsOf();
    group.forEach((r, k) => (out[r] = verdictFrom(tests[k]!, channels)));
  }
  return out;
}
