import { describe, expect, it } from 'vitest';
import { claimsOf, lineageExport, lineageRows, pairFindings } from './lineageModel';
import { lineageMap } from './lineageMapModel';
import type { Evidence } from '../../core/verdict';

const ev = (verdict: Evidence['verdict'], r: number) => ({ verdict, diagonalPearson: r }) as Evidence;
const ft = (base: string) => ({ bases: [base], relation: 'finetune' as const, source: 'card' as const });

describe('lineage view model', () => {
  const slots = [
    { repo: 'o/base', local: false, declared: null, loaded: true },
    { repo: 'o/ft', local: false, declared: ft('o/base'), loaded: true },
    { repo: 'x/liar', local: false, declared: ft('o/base'), loaded: true },
    { repo: 'y/other', local: false, declared: ft('y/missing'), loaded: true },
  ];
  const evidence = {
    '0,1,input': ev('shared-ancestry', 0.98),
    '0,1,post': ev('no-evidence', 0.01),
    '0,2,input': ev('no-evidence', 0.01),
    '0,2,post': ev('no-evidence', -0.02),
  };
  it('lists claims with the bases still to add', () => {
    const claims = claimsOf(slots);
    expect(claims[3]).toMatchObject({ text: 'declares: fine-tune of y/missing', missing: ['y/missing'] });
    expect(claims[1]!.missing).toEqual([]);
  });
  it('combines roles per pair and judges the claims; the export keeps the contract fields', () => {
    expect(pairFindings(evidence).find((f) => f.b === 1)).toMatchObject({ verdict: 'shared-ancestry', r: 0.98 });
    const rows = lineageRows(slots, evidence, []);
    expect(rows.map((r) => [r.child, r.status])).toEqual([
      ['o/ft', 'confirmed'],
      ['x/liar', 'contradicted'],
    ]);
    expect(lineageExport(rows, null)).toEqual([
      { child: 'o/ft', base: 'o/base', declared: 'finetune', verdict: 'shared-ancestry', status: 'confirmed' },
      { child: 'x/liar', base: 'o/base', declared: 'finetune', verdict: 'no-evidence', status: 'contradicted' },
    ]);
  });
  it('draws measured edges solid and weighted, declared ones dashed, contradictions red, inside the frame', () => {
    const rows = lineageRows(slots, evidence, []);
    const map = lineageMap({
      nodes: slots.map((s, i) => ({ id: s.repo, index: i })),
      rows,
      findings: pairFindings(evidence),
      idOf: (i) => slots[i]!.repo,
    });
    const liar = map.edges.find((e) => e.target === 'x/liar')!;
    expect(liar).toMatchObject({
      contradicted: true,
      measured: false,
      declared: true,
      open: { kind: 'pair', a: 0, b: 2 },
    });
    const ftEdge = map.edges.find((e) => e.target === 'o/ft')!;
    expect(ftEdge.measured && ftEdge.width > 7).toBe(true);
    for (const n of map.nodes) expect(n.x >= 0 && n.x <= 760 && n.y >= 0 && n.y <= 420).toBe(true);
    expect(
      lineageMap({
        nodes: slots.map((s, i) => ({ id: s.repo, index: i })),
        rows,
        findings: [],
        idOf: (i) => slots[i]!.repo,
      }).nodes,
    ).toEqual(
      lineageMap({
        nodes: slots.map((s, i) => ({ id: s.repo, index: i })),
        rows,
        findings: [],
        idOf: (i) => slots[i]!.repo,
      }).nodes,
    );
  });
});
