import { describe, expect, it } from 'vitest';
import {
  chooseCandidates,
  judgeRelative,
  normsInformative,
  rankRelatives,
  relativesExport,
  type RelativeCandidate,
} from './relatives';
import { judgeLineage } from './judge';
import type { Evidence } from '../verdict';

const cand = (
  id: string,
  source: RelativeCandidate['source'],
  width: number | null,
  downloads = 0,
  modelType: string | null = 'llama',
): RelativeCandidate => ({
  id,
  sha: null,
  source,
  downloads,
  modelType,
  width,
});
const ev = (verdict: Evidence['verdict'], r: number, p: number) =>
  ({ verdict, diagonalPearson: r, pValue: p }) as unknown as Evidence;

describe('choosing candidates', () => {
  it('keeps every declared one, then width matches: same model_type first, most downloaded first, capped', () => {
    const { chosen, matched } = chooseCandidates(
      { repo: 'me/x', width: 768, modelType: 'llama' },
      [
        cand('a/base', 'declared-base', null),
        cand('h/big-mistral', 'hub', 768, 900, 'mistral'),
        cand('h/small-llama', 'hub', 768, 10),
        cand('h/mid-llama', 'hub', 768, 500),
        cand('h/wide', 'hub', 1024, 5000),
        cand('me/x', 'hub', 768, 99999),
        cand('a/base', 'hub', 768, 1),
      ],
      2,
    );
    expect(chosen.map((c) => c.id)).toEqual(['a/base', 'h/mid-llama', 'h/small-llama']);
    expect(matched).toBe(3);
  });
});

describe('norms that carry information', () => {
  it('constant vectors carry none; one varying layer is enough', () => {
    const ones = [new Float32Array(8).fill(1), new Float32Array(8).fill(1)];
    expect(normsInformative({ input: ones, post: ones })).toBe(false);
    expect(normsInformative({ input: [...ones, Float32Array.from([1, 1, 1, 1.01, 1, 1, 1, 1])] })).toBe(true);
  });
});

describe('judging a candidate', () => {
  const base = {
    target: 'me/x',
    targetDeclaresBase: true,
    targetDownloads: 100,
    norms: null,
    normsInformative: true,
    matrices: null,
  };
  it('a declared base: confirmed or contradicted by the norms', () => {
    const c = cand('a/base', 'declared-base', null);
    expect(judgeRelative({ ...base, candidate: c, norms: { input: ev('shared-ancestry', 0.99, 0.01) } }).status).toBe(
      'confirmed',
    );
    const no = judgeRelative({
      ...base,
      candidate: c,
      norms: { input: ev('no-evidence', 0.01, 0.6), post: ev('no-evidence', 0.02, 0.5) },
    });
    expect(no.status).toBe('contradicted');
    expect(no.r).toBeCloseTo(0.02);
    expect(no.pValue).toBeCloseTo(0.5);
    expect(no.basis).toBe('norms');
  });
  it('a hub root sharing weights with a model that names another base: undeclared, the root its likely parent', () => {
    const j = judgeRelative({
      ...base,
      candidate: cand('h/root', 'hub', 768, 5),
      norms: { input: ev('shared-ancestry', 0.8, 0.01) },
    });
    expect(j.status).toBe('undeclared');
    expect(j.likelyParent).toBe('h/root');
    const two = judgeRelative({
      ...base,
      targetDeclaresBase: false,
      candidate: cand('h/root', 'hub', 768, 5),
      norms: { input: ev('shared-ancestry', 0.8, 0.01) },
    });
    expect(two.likelyParent).toBe('me/x'); // both roots: the more downloaded one
  });
  it('constant norms: no information, the matrix check is needed; with matrices the verdict is theirs', () => {
    const c = cand('h/root', 'hub', 768, 5);
    const j = judgeRelative({ ...base, candidate: c, normsInformative: false });
    expect(j.status).toBe('no-information');
    expect(j.explanation).toMatch(/matrix check is needed/);
    const m = judgeRelative({
      ...base,
      candidate: c,
      normsInformative: false,
      matrices: { verdict: 'shared-ancestry', pValue: 0.001 } as never,
    });
    expect([m.status, m.basis, m.pValue]).toEqual(['undeclared', 'matrices', 0.001]);
  });
  it('a failure on a declared candidate keeps the claim as declared', () => {
    expect(judgeRelative({ ...base, candidate: cand('a/b', 'declared-child', null), failure: 'gated' }).status).toBe(
      'declared',
    );
    expect(judgeRelative({ ...base, candidate: cand('h/b', 'hub', 768), failure: 'cut' }).status).toBe(
      'not-comparable',
    );
  });
});

describe('ranked list and export', () => {
  it('relatives first by r, then the rest; export rows carry of, candidate, source, verdict, status, r, pValue, basis', () => {
    const j = (status: 'undeclared' | 'no-evidence' | 'confirmed', r: number) => ({
      verdict: status === 'no-evidence' ? ('no-evidence' as const) : ('shared-ancestry' as const),
      status,
      r,
      pValue: 0.01,
      basis: 'norms' as const,
      likelyParent: null,
      explanation: '',
    });
    const list = [
      { candidate: cand('h/no', 'hub', 768), judgement: j('no-evidence', 0.02) },
      { candidate: cand('h/yes', 'hub', 768), judgement: j('undeclared', 0.7) },
      { candidate: cand('c/yes', 'declared-child', 768), judgement: j('confirmed', 0.99) },
    ];
    expect(rankRelatives(list).map((x) => x.candidate.id)).toEqual(['c/yes', 'h/yes', 'h/no']);
    expect(relativesExport('me/x', list)[1]).toEqual({
      of: 'me/x',
      candidate: 'h/yes',
      source: 'hub',
      verdict: 'shared-ancestry',
      status: 'undeclared',
      r: 0.7,
      pValue: 0.01,
      basis: 'norms',
    });
  });
});

describe('lineage rows for a lying child (issue #15 item 4)', () => {
  it('the contradicted claim and, beside it, an undeclared row naming the true relative', () => {
    const rows = judgeLineage(
      [
        { repo: 'o/parent', declared: null },
        { repo: 'x/liar', declared: { bases: ['o/unrelated'], relation: 'finetune', source: 'card' } },
        { repo: 'o/unrelated', declared: null },
      ],
      [
        { a: 0, b: 1, verdict: 'shared-ancestry', r: 0.75 },
        { a: 0, b: 2, verdict: 'no-evidence', r: 0.0 },
        { a: 1, b: 2, verdict: 'no-evidence', r: 0.01 },
      ],
      [],
    );
    expect(rows.map((r) => [r.child, r.base, r.status])).toEqual([
      ['x/liar', 'o/unrelated', 'contradicted'],
      ['x/liar', 'o/parent', 'undeclared'],
    ]);
  });
});
