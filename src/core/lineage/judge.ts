// Declared claims against measured evidence (issue #10). Pure: from the loaded models' claims,
// the per-pair verdicts and the pairs that could not be compared, one status per claim, plus
// the measured shared ancestry that no card declares.
import type { Verdict } from '../verdict';
import type { DeclaredLineage, LineageRelation } from './declared';
import { fixed } from '../format';

export type LineageStatus = 'confirmed' | 'contradicted' | 'not-comparable' | 'inconclusive' | 'pending' | 'undeclared';

export interface LineageModel {
  /** repo id as the Hub names it (no revision, no quantization) */
  repo: string;
  declared: DeclaredLineage | null;
}

/** One model pair's measured result, all roles together. */
export interface PairFinding {
  a: number;
  b: number;
  /** shared-ancestry if any role shows it; no-evidence only if every compared role does */
  verdict: Verdict;
  /** the largest mean r over roles, for edge weights */
  r: number;
}

export interface LineageRow {
  child: string;
  base: string;
  /** the declared relation; null for an undeclared finding */
  declared: LineageRelation | 'unspecified' | null;
  verdict: Verdict | null;
  status: LineageStatus;
  r: number | null;
  /** indices into the models */
  childIndex: number;
  baseIndex: number;
  /** one plain-words sentence */
  explanation: string;
}

/** Combine per-role verdicts of one pair: any shared role is shared ancestry (one permutation is shared by all norms). */
export function combineRoleVerdicts(
  verdicts: { verdict: Verdict; r: number }[],
): { verdict: Verdict; r: number } | null {
  if (verdicts.length === 0) return null;
  // a role that carries no information (constant norms) neither confirms nor contradicts
  const informative = verdicts.filter((v) => v.verdict !== 'no-information');
  if (informative.length === 0) return { verdict: 'no-information', r: NaN };
  verdicts = informative;
  const r = Math.max(...verdicts.map((v) => (Number.isFinite(v.r) ? v.r : -Infinity)));
  let verdict: Verdict = 'inconclusive';
  if (verdicts.some((v) => v.verdict === 'shared-ancestry')) verdict = 'shared-ancestry';
  else if (verdicts.every((v) => v.verdict === 'no-evidence')) verdict = 'no-evidence';
  return { verdict, r: Number.isFinite(r) ? r : NaN };
}

const sameId = (x: string, y: string) => x.toLowerCase() === y.toLowerCase();
const fixed2 = (r: number | null) => fixed(r, 2, '–');

/** Model pairs the declared claims connect, directly or through common declared ancestors (siblings). */
function declaredComponents(models: readonly LineageModel[]): (i: number) => string {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let root = x;
    while (parent.has(root) && parent.get(root) !== root) root = parent.get(root)!;
    return root;
  };
  const union = (x: string, y: string) => {
    const rx = find(x),
      ry = find(y);
    if (rx !== ry) parent.set(rx, ry);
  };
  for (const m of models) {
    const self = m.repo.toLowerCase();
    if (!parent.has(self)) parent.set(self, self);
    for (const b of m.declared?.bases ?? []) {
      const base = b.toLowerCase();
      if (!parent.has(base)) parent.set(base, base);
      union(self, base);
    }
  }
  return (i) => find(models[i]!.repo.toLowerCase());
}

export function judgeLineage(
  models: readonly LineageModel[],
  findings: readonly PairFinding[],
  notComparable: readonly { a: number; b: number; reason: string }[],
): LineageRow[] {
  const findingOf = (x: number, y: number) =>
    findings.find((f) => (f.a === x && f.b === y) || (f.a === y && f.b === x));
  const reasonOf = (x: number, y: number) =>
    notComparable.find((n) => (n.a === x && n.b === y) || (n.a === y && n.b === x))?.reason;
  const rows: LineageRow[] = [];
  const claimed = new Set<string>();
  models.forEach((child, ci) => {
    for (const base of child.declared?.bases ?? []) {
      const bi = models.findIndex((m, k) => k !== ci && sameId(m.repo, base));
      if (bi < 0) continue; // the base is not loaded: a claim, not yet a judgement
      claimed.add(`${Math.min(ci, bi)},${Math.max(ci, bi)}`);
      const declared: LineageRow['declared'] = child.declared?.relation ?? 'unspecified';
      const f = findingOf(ci, bi);
      const notComparableReason = reasonOf(ci, bi);
      const row = { child: child.repo, base: models[bi]!.repo, declared, childIndex: ci, baseIndex: bi };
      if (notComparableReason && !f) {
        rows.push({
          ...row,
          verdict: null,
          status: 'not-comparable',
          r: null,
          explanation: `${child.repo} says it derives from ${models[bi]!.repo}, but nothing can be compared: ${notComparableReason}`,
        });
      } else if (!f) {
        rows.push({
          ...row,
          verdict: null,
          status: 'pending',
          r: null,
          explanation: 'The verdict is still being computed.',
        });
      } else if (f.verdict === 'shared-ancestry') {
        rows.push({
          ...row,
          verdict: f.verdict,
          status: 'confirmed',
          r: f.r,
          explanation: `Confirmed: the norm weights show shared ancestry (r = ${fixed2(f.r)}), as the card says.`,
        });
      } else if (f.verdict === 'no-evidence') {
        rows.push({
          ...row,
          verdict: f.verdict,
          status: 'contradicted',
          r: f.r,
          explanation: `Contradicted: the card says ${child.repo} derives from ${models[bi]!.repo}, but their norm weights show no shared ancestry (r = ${fixed2(f.r)}, as for unrelated models).`,
        });
      } else if (f.verdict === 'no-information') {
        rows.push({
          ...row,
          verdict: f.verdict,
          status: 'inconclusive',
          r: null,
          explanation: `No information: the compared norms are constant (Pearson r undefined), so they can neither confirm nor contradict the card.`,
        });
      } else {
        rows.push({
          ...row,
          verdict: f.verdict,
          status: 'inconclusive',
          r: f.r,
          explanation: `Inconclusive: there is a weak signal (r = ${fixed2(f.r)}), not enough to confirm or contradict the card.`,
        });
      }
    }
  });
  const component = declaredComponents(models);
  const declaredAsBase = (i: number) => models.some((m) => m.declared?.bases.some((b) => sameId(b, models[i]!.repo)));
  // one row per pair of declared families: a derivative shares ancestry with its parent's whole
  // family, so keep the pair with the family's root (named as a base, naming none), else the highest r
  const isRoot = (i: number) => declaredAsBase(i) && !models[i]!.declared?.bases.length;
  const best = new Map<string, PairFinding>();
  for (const f of findings) {
    if (f.verdict !== 'shared-ancestry' || claimed.has(`${Math.min(f.a, f.b)},${Math.max(f.a, f.b)}`)) continue;
    if (component(f.a) === component(f.b)) continue; // siblings of a declared base: explained by the claims
    const key = [component(f.a), component(f.b)].sort().join('\n');
    const held = best.get(key);
    const rank = (g: PairFinding) => (isRoot(g.a) || isRoot(g.b) ? 1 : 0);
    if (!held || rank(f) > rank(held) || (rank(f) === rank(held) && f.r > held.r)) best.set(key, f);
  }
  for (const f of best.values()) {
    // the likelier parent: a model other cards name as their base, over one that names none
    // …or beside a model whose own claim the weights contradict (a lying child): the other one
    const lied = (i: number) => rows.some((r) => r.childIndex === i && r.status === 'contradicted');
    const aParent = declaredAsBase(f.a) || lied(f.b),
      bParent = declaredAsBase(f.b) || lied(f.a);
    const [bi, ci] = bParent && !aParent ? [f.b, f.a] : [f.a, f.b];
    const sure = aParent !== bParent;
    const child = models[ci]!,
      base = models[bi]!;
    const contradicted = lied(ci) ? ', a claim the weights contradict' : '';
    const claim = child.declared
      ? `its card declares ${child.declared.bases.join(', ')} instead${contradicted}`
      : 'its card declares no base model';
    rows.push({
      child: child.repo,
      base: base.repo,
      declared: null,
      verdict: f.verdict,
      status: 'undeclared',
      r: f.r,
      childIndex: ci,
      baseIndex: bi,
      explanation: sure
        ? `Undeclared: ${child.repo} shares ancestry with ${base.repo} (r = ${fixed2(f.r)}), but ${claim}. ${base.repo} is the likely parent${lied(ci) ? '' : ': other cards name it as their base'}.`
        : `Undeclared: ${models[f.a]!.repo} and ${models[f.b]!.repo} share ancestry (r = ${fixed2(f.r)}), and neither card declares the other. The weights cannot tell which came first.`,
    });
  }
  return rows;
}

export const STATUS_WORDS: Record<LineageStatus, string> = {
  confirmed: 'confirmed',
  contradicted: 'contradicted',
  'not-comparable': 'not comparable',
  inconclusive: 'inconclusive',
  pending: 'computing…',
  undeclared: 'undeclared',
};
