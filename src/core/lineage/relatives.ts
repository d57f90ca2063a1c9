// The relatives search's pure half (issue #15): which candidates to compare and in what order, one
// status per candidate from what the cards say and what the norms (and, when wired, the matrices)
// measure, the ranked list, and the export rows.
import type { Evidence, Verdict } from '../verdict';
import type { NormRole } from '../types';
import type { MatrixEvidence } from '../deep/api';
import { combineRoleVerdicts } from './judge';
import { fixed } from '../format';

export type RelativeSource = 'declared-base' | 'declared-child' | 'hub' | 'user';
export type RelativeStatus =
  /** a card's claim the search could not judge (nothing comparable, or the load failed) */
  | 'declared'
  | 'confirmed'
  | 'contradicted'
  /** measured shared ancestry no card declares */
  | 'undeclared'
  | 'inconclusive'
  | 'no-evidence'
  /** the norms of one side are constant: they cannot tell; the matrix check is needed */
  | 'no-information'
  | 'not-comparable'
  | 'error';

export interface RelativeCandidate {
  id: string;
  /** the commit the listing saw (null: load at main) */
  sha: string | null;
  source: RelativeSource;
  downloads: number;
  modelType: string | null;
  /** hidden width from config.json; null until read or when unreadable */
  width: number | null;
}

export interface RelativeJudgement {
  verdict: Verdict | null;
  status: RelativeStatus;
  r: number | null;
  pValue: number | null;
  /** which evidence carries the verdict */
  /** `norms-channels`: the norms once their channels were matched (a reordered hidden dimension; no p-value) */
  basis: 'norms' | 'norms-channels' | 'matrices' | 'norms+matrices' | null;
  /** for `undeclared`: the likely parent of the pair */
  likelyParent: string | null;
  explanation: string;
}

/** Roots listed by default, and the most comparisons a default search makes. */
export const DEFAULT_RELATIVES_LIMIT = 200;
export const MAX_RELATIVES_LIMIT = 1000;
export const MAX_COMPARED = 40;
/** declared children compared at most (the most downloaded) */
export const MAX_DECLARED_CHILDREN = 10;
/** the base_model chain walked at most this deep */
export const MAX_ANCESTOR_DEPTH = 8;
/** the strongest candidates by r (short of shared) that also get the matrix check */
export const DEEP_CHECK_STRONGEST = 3;
/** matrix checks at most in one search (each costs ~250 resolves on a small model: tokenizers, headers, rows) */
export const DEEP_CHECK_MAX = 8;
/** no matrix check starts once the search has spent this many resolves (of the anonymous 3,000 per 5 min) */
export const DEEP_CHECK_RESOLVE_CEILING = 2_200;

const BASIS_WORDS = {
  norms: 'norms',
  'norms-channels': 'norms once their channels are matched: the hidden dimension was reordered',
  matrices: 'matrices',
  'norms+matrices': 'norms and the matrices',
} as const;
const sameId = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
const fixed2 = (x: number | null) => fixed(x, 2, '–');

export function clampRelativesLimit(limit: number | null | undefined): number {
  return Number.isFinite(limit) && limit! >= 1
    ? Math.min(MAX_RELATIVES_LIMIT, Math.floor(limit!))
    : DEFAULT_RELATIVES_LIMIT;
}

/**
 * The candidates to compare: every declared one (the chain always), then the listed ones whose width
 * matches the model's: the same model_type first, then the most downloaded; at most `maxCompared`
 * of those. Returns the order and how many matched.
 */
export function chooseCandidates(
  target: { repo: string; width: number; modelType: string | null },
  candidates: readonly RelativeCandidate[],
  maxCompared = MAX_COMPARED,
): { chosen: RelativeCandidate[]; matched: number } {
  const seen = new Set<string>([target.repo.toLowerCase()]);
  const declared: RelativeCandidate[] = [];
  const listed: RelativeCandidate[] = [];
  for (const c of candidates) {
    if (seen.has(c.id.toLowerCase())) continue;
    seen.add(c.id.toLowerCase());
    if (c.source === 'declared-base' || c.source === 'declared-child' || c.source === 'user') declared.push(c);
    else if (c.width === target.width) listed.push(c);
  }
  const sameType = (c: RelativeCandidate) =>
    target.modelType !== null && c.modelType !== null && sameId(c.modelType, target.modelType) ? 0 : 1;
  listed.sort((x, y) => sameType(x) - sameType(y) || y.downloads - x.downloads || (x.id < y.id ? -1 : 1));
  return { chosen: [...declared, ...listed.slice(0, maxCompared)], matched: listed.length };
}

/** Whether a model's norms can say anything: some role has a layer whose values are not all equal. */
export function normsInformative(roles: Partial<Record<NormRole, Float32Array[]>>): boolean {
  return Object.values(roles).some((rows) =>
    (rows ?? []).some((row) => {
      const first = row[0] ?? 0;
      const scale = Math.max(1e-6, Math.abs(first));
      return row.some((x) => Math.abs(x - first) > 1e-6 * scale);
    }),
  );
}

export interface JudgeRelativeInput {
  target: string;
  /** whether the target itself declares a base (then a root sharing its weights is its likely parent) */
  targetDeclaresBase: boolean;
  targetDownloads: number | null;
  candidate: RelativeCandidate;
  /** per role, the norm evidence; null when no role of the same width */
  norms: Partial<Record<NormRole, Evidence>> | null;
  /** false when either model's norms are constant */
  normsInformative: boolean;
  matrices: MatrixEvidence | null;
  /** why nothing could be compared (width, load failure) */
  failure?: string;
}

/** The verdict and its basis: the norms, unless they cannot tell and the matrices can. */
function verdictOf(i: JudgeRelativeInput): Pick<RelativeJudgement, 'verdict' | 'r' | 'pValue' | 'basis'> {
  const roles = i.norms ? Object.values(i.norms) : [];
  const combined = i.normsInformative
    ? combineRoleVerdicts(roles.map((e) => ({ verdict: e!.verdict, r: e!.diagonalPearson })))
    : null;
  const r = roles.length
    ? Math.max(...roles.map((e) => (Number.isFinite(e!.diagonalPearson) ? e!.diagonalPearson : -1)))
    : null;
  const p = roles.length ? Math.min(...roles.map((e) => e!.pValue)) : null;
  const m = i.matrices;
  // shared only once the channels are matched: the index test's r and p say nothing; the matched r does
  const byChannels =
    combined?.verdict === 'shared-ancestry' &&
    roles.every((e) => e!.verdict !== 'shared-ancestry' || e!.alignment === null);
  if (byChannels) {
    const matched = Math.max(
      ...roles.map((e) => (Number.isFinite(e!.permutation.matchedPearson) ? e!.permutation.matchedPearson : -1)),
    );
    return { verdict: 'shared-ancestry', r: matched, pValue: null, basis: 'norms-channels' };
  }
  if (combined && combined.verdict !== 'inconclusive')
    return {
      verdict: combined.verdict,
      r,
      pValue: p,
      basis: m && m.verdict === combined.verdict ? 'norms+matrices' : 'norms',
    };
  if (m) return { verdict: m.verdict, r, pValue: m.pValue, basis: combined ? 'norms+matrices' : 'matrices' };
  return { verdict: combined?.verdict ?? null, r, pValue: combined ? p : null, basis: combined ? 'norms' : null };
}

export function judgeRelative(i: JudgeRelativeInput): RelativeJudgement {
  const c = i.candidate;
  const declared = c.source === 'declared-base' || c.source === 'declared-child';
  const none = { verdict: null, r: null, pValue: null, basis: null, likelyParent: null } as const;
  if (i.failure)
    return {
      ...none,
      status: declared ? 'declared' : 'not-comparable',
      explanation: declared
        ? `Declared (${c.source === 'declared-base' ? 'named as a base' : 'names it as its base'}), not judged: ${i.failure}`
        : `Not compared: ${i.failure}`,
    };
  const v = verdictOf(i);
  if (v.verdict === null)
    return {
      ...none,
      r: v.r,
      status: declared ? 'declared' : 'no-information',
      explanation: 'No information from the norms (one model’s norms are constant); the matrix check is needed.',
    };
  const what = `r = ${fixed2(v.r)}${v.pValue !== null ? `, p = ${v.pValue.toPrecision(2)}` : ''}, by the ${BASIS_WORDS[v.basis ?? 'norms']}`;
  if (v.verdict === 'inconclusive')
    return { ...v, status: 'inconclusive', likelyParent: null, explanation: `Inconclusive: a weak signal (${what}).` };
  if (declared) {
    const claim =
      c.source === 'declared-base'
        ? `${i.target}'s card chain names ${c.id} as a base`
        : `${c.id}'s card names ${i.target} as its base`;
    return v.verdict === 'shared-ancestry'
      ? {
          ...v,
          status: 'confirmed',
          likelyParent: null,
          explanation: `Confirmed: ${claim}, and the weights agree (${what}).`,
        }
      : {
          ...v,
          status: 'contradicted',
          likelyParent: null,
          explanation: `Contradicted: ${claim}, but the weights show no shared ancestry (${what}).`,
        };
  }
  if (v.verdict === 'no-evidence')
    return {
      ...v,
      status: 'no-evidence',
      likelyParent: null,
      explanation: `No evidence of shared ancestry (${what}).`,
    };
  // shared ancestry no card declares: a root beside a model that names another base is its likely
  // parent; between two roots, the more downloaded one (the weights cannot tell which came first)
  const candidateParent =
    c.source === 'hub'
      ? i.targetDeclaresBase || i.targetDownloads === null || c.downloads >= i.targetDownloads
      : i.targetDownloads !== null && c.downloads > i.targetDownloads;
  const parent = candidateParent ? c.id : i.target;
  return {
    ...v,
    status: 'undeclared',
    likelyParent: parent,
    explanation: `Undeclared: ${i.target} and ${c.id} share ancestry (${what}); no card says so. Likely parent: ${parent}.`,
  };
}

export interface RankedRelative {
  candidate: RelativeCandidate;
  judgement: RelativeJudgement | null;
}

const RANK: Record<RelativeStatus, number> = {
  undeclared: 0,
  confirmed: 0,
  contradicted: 2,
  declared: 2,
  inconclusive: 1,
  'no-information': 1,
  'no-evidence': 3,
  'not-comparable': 4,
  error: 4,
};

/** Relatives first (r descending), then what needs more evidence, then the claims and no-evidence ones. */
export function rankRelatives<T extends RankedRelative>(list: readonly T[]): T[] {
  const rank = (x: T) => (x.judgement ? RANK[x.judgement.status] : 5);
  const r = (x: T) => x.judgement?.r ?? -Infinity;
  return [...list].sort((a, b) => rank(a) - rank(b) || r(b) - r(a));
}

export interface RelativeExportRow {
  of: string;
  candidate: string;
  source: RelativeSource;
  verdict: Verdict | null;
  status: RelativeStatus;
  r: number | null;
  pValue: number | null;
  basis: RelativeJudgement['basis'];
}

export function relativesExport(of: string, list: readonly RankedRelative[]): RelativeExportRow[] {
  return rankRelatives(list).flatMap((x) =>
    x.judgement
      ? [
          {
            of,
            candidate: x.candidate.id,
            source: x.candidate.source,
            verdict: x.judgement.verdict,
            status: x.judgement.status,
            r: x.judgement.r !== null && Number.isFinite(x.judgement.r) ? x.judgement.r : null,
            pValue: x.judgement.pValue,
            basis: x.judgement.basis,
          },
        ]
      : [],
  );
}

/** "spent 34 of 500 api calls and 412 of 3,000 resolves per 5 min" */
export function spendSentence(spent: { api: number; resolves: number }): string {
  return `spent ${spent.api} of 500 api calls and ${spent.resolves} of 3,000 resolves per 5 min`;
}

/**
 * Several roots sharing the model's weights: they are its family, but one parent. The most
 * downloaded of them is named the likely parent on every row (the weights cannot order them).
 */
export function settleLikelyParents<T extends RankedRelative>(list: readonly T[]): T[] {
  const parents = list.filter(
    (x) => x.judgement?.status === 'undeclared' && x.judgement.likelyParent === x.candidate.id,
  );
  if (parents.length < 2) return [...list];
  const top = parents.reduce((a, b) => (b.candidate.downloads > a.candidate.downloads ? b : a)).candidate.id;
  return list.map((x) =>
    parents.includes(x) && x.candidate.id !== top
      ? {
          ...x,
          judgement: {
            ...x.judgement!,
            likelyParent: top,
            explanation: x.judgement!.explanation.replace(
              /Likely parent: .*$/,
              `Likely parent: ${top}, the most downloaded of the roots that share these weights; ${x.candidate.id} is a relative too.`,
            ),
          },
        }
      : x,
  );
}
