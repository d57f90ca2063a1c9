import { describe, expect, it } from 'vitest';
import { combineRoleVerdicts, judgeLineage, type LineageModel } from './judge';

const card = (bases: string[], relation: 'finetune' | 'quantized' | null = 'finetune') => ({
  bases,
  relation,
  source: 'card' as const,
});

describe('judgeLineage', () => {
  const models: LineageModel[] = [
    { repo: 'org/base', declared: null },
    { repo: 'org/true-ft', declared: card(['org/base']) },
    { repo: 'org/false-claim', declared: card(['org/base']) },
    { repo: 'org/narrow', declared: card(['org/base']) },
    { repo: 'org/scratch', declared: null },
    { repo: 'org/sibling', declared: card(['org/base']) },
  ];
  const rows = judgeLineage(
    models,
    [
      { a: 0, b: 1, verdict: 'shared-ancestry', r: 0.9 },
      { a: 0, b: 2, verdict: 'no-evidence', r: 0.01 },
      { a: 4, b: 0, verdict: 'shared-ancestry', r: 0.8 },
      { a: 1, b: 5, verdict: 'shared-ancestry', r: 0.85 },
      { a: 4, b: 1, verdict: 'shared-ancestry', r: 0.95 },
    ],
    [{ a: 0, b: 3, reason: 'hidden widths differ (4096 vs 2048)' }],
  );
  const statusOf = (child: string, base: string) => rows.find((r) => r.child === child && r.base === base)?.status;

  it('confirms, contradicts, and says what cannot be compared', () => {
    expect(statusOf('org/true-ft', 'org/base')).toBe('confirmed');
    expect(statusOf('org/false-claim', 'org/base')).toBe('contradicted');
    expect(statusOf('org/narrow', 'org/base')).toBe('not-comparable');
    expect(rows.find((r) => r.child === 'org/narrow')!.explanation).toContain('widths differ');
    expect(statusOf('org/sibling', 'org/base')).toBe('pending');
  });
  it('finds an undeclared parent and names the likely parent, but not siblings of a declared base', () => {
    const u = rows.filter((r) => r.status === 'undeclared');
    expect(u).toHaveLength(1);
    expect(u[0]).toMatchObject({ child: 'org/scratch', base: 'org/base', declared: null });
    expect(u[0]!.explanation).toContain('likely parent');
  });
  it('combines roles: one shared role is enough, no evidence needs all', () => {
    expect(
      combineRoleVerdicts([
        { verdict: 'no-evidence', r: 0.01 },
        { verdict: 'shared-ancestry', r: 0.7 },
      ]),
    ).toEqual({ verdict: 'shared-ancestry', r: 0.7 });
    expect(
      combineRoleVerdicts([
        { verdict: 'no-evidence', r: 0.01 },
        { verdict: 'inconclusive', r: 0.1 },
      ])!.verdict,
    ).toBe('inconclusive');
    expect(combineRoleVerdicts([])).toBeNull();
  });
});
