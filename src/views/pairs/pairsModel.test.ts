import { describe, expect, it } from 'vitest';
import type { PairMatrices } from '../../core/types';
import type { Evidence } from '../../core/verdict';
import { appendixTable, pairsLayout, relationLabel } from './pairsModel';
import { plotCellAt } from '../heatmap/heatmapModel';

const cellAt = (
  m: { plot: { x: number; y: number; width: number; height: number }; rows: number; cols: number },
  x: number,
  y: number,
) => plotCellAt(m.plot, m.rows, m.cols, x, y);

function pair(
  a: number,
  b: number,
  norm: 'input' | 'post',
  rows: number,
  cols: number,
  diag: number,
  off = 0.01,
): PairMatrices {
  const pearson = new Float64Array(rows * cols).fill(off);
  const cosine = new Float64Array(rows * cols).fill(0.95);
  for (let i = 0; i < Math.min(rows, cols); i++) {
    pearson[i * cols + i] = diag;
    cosine[i * cols + i] = 0.99;
  }
  return { a, b, norm, rows, cols, cosine, pearson };
}

const names = ['glm', 'sft', 'solar', 'phi'];
const name = (i: number) => names[i]!;
const pairs = [
  pair(0, 1, 'input', 4, 4, 1),
  pair(0, 1, 'post', 4, 4, 0.98),
  pair(0, 2, 'input', 4, 6, 0.02),
  pair(0, 2, 'post', 4, 6, -0.01),
  pair(1, 2, 'input', 4, 6, 0.03),
];

describe('pairsLayout', () => {
  const layout = pairsLayout(pairs, 'input', name);
  it('draws one multiple per pair of the chosen role, titled with the diagonal mean r', () => {
    expect(layout.multiples.map((m) => m.key)).toEqual(['0,1', '0,2', '1,2']);
    expect(layout.multiples[0]!.title).toBe('glm vs sft');
    expect(layout.multiples[0]!.subtitle).toBe('(diag: r = 1.000)');
    expect(layout.multiples[1]!.subtitle).toBe('(diag: r = 0.020)');
    expect(layout.multiples[1]!.diagonalR).toBeCloseTo(0.02, 12);
  });
  it('keeps the matrix aspect and lays three per row', () => {
    const [m0, m1] = layout.multiples;
    expect(m0!.plot.height).toBeCloseTo(m0!.plot.width, 6);
    expect(m1!.plot.height / m1!.plot.width).toBeCloseTo(4 / 6, 2);
    expect(new Set(layout.multiples.map((m) => m.box.y)).size).toBe(1);
    expect(
      pairsLayout([...pairs, pair(0, 3, 'input', 4, 4, 0), pair(1, 3, 'input', 4, 4, 0)], 'input', name).multiples[3]!
        .box.y,
    ).toBeGreaterThan(0);
  });
  it('finds the cell under the pointer', () => {
    const m = layout.multiples[1]!;
    const x = m.plot.x + (4.5 / 6) * m.plot.width,
      y = m.plot.y + (1.5 / 4) * m.plot.height;
    expect(cellAt(m, x, y)).toEqual([1, 4]);
    expect(cellAt(m, m.plot.x - 1, y)).toBeNull();
  });
  it('is empty without pairs', () => {
    expect(pairsLayout([], 'input', name)).toEqual({ width: 1380, height: 0, multiples: [] });
  });
});

describe('appendixTable', () => {
  const evidence = {
    '0,1,input': { verdict: 'shared-ancestry' } as Evidence,
    '0,2,input': { verdict: 'no-evidence' } as Evidence,
  };
  it('gives mean diagonal cosine and r per role and the verdict as the relation', () => {
    const rows = appendixTable(pairs, evidence, { computing: true, name, hasRole: () => true });
    expect(rows.map((r) => `${r.a},${r.b}`)).toEqual(['0,1', '0,2', '1,2']);
    const [input, post] = rows[0]!.cells;
    expect(input!.cosine).toBeCloseTo(0.99, 12);
    expect(input!.pearson).toBeCloseTo(1, 12);
    expect(input!.relation).toEqual({ text: 'Shared ancestry', cls: 'shared-ancestry' });
    expect(post!.pearson).toBeCloseTo(0.98, 12);
    expect(post!.relation.text).toBe('computing…');
    expect(rows[1]!.cells[0]!.relation.text).toBe('No evidence of shared ancestry');
    expect(Number.isNaN(rows[2]!.cells[1]!.cosine)).toBe(true); // no post matrix for 1,2
  });
  it('says why a relation is missing', () => {
    expect(relationLabel(undefined, false, false).text).toBe('not tested: a model lacks this norm');
    expect(relationLabel(undefined, false, true).text).toBe('not computed');
    expect(relationLabel({ verdict: 'inconclusive' } as Evidence, true, true)).toEqual({
      text: 'Inconclusive',
      cls: 'inconclusive',
    });
  });
});

describe('appendixCsv', () => {
  it('writes one line per pair and role with the verdict text', async () => {
    const { appendixCsv } = await import('./pairsModel');
    const text = appendixCsv([
      {
        a: 0,
        b: 1,
        names: ['base', 'tune, v2'],
        cells: [
          { norm: 'input', cosine: 0.5, pearson: 0.25, relation: { text: 'Shared ancestry', cls: 'shared-ancestry' } },
          { norm: 'post', cosine: NaN, pearson: NaN, relation: { text: 'not computed', cls: 'pending' } },
        ],
      },
    ]);
    expect(text.split('\r\n')).toEqual([
      'model A,model B,norm,mean diagonal raw cosine,mean diagonal Pearson r,relation',
      'base,"tune, v2",input,0.5,0.25,Shared ancestry',
      'base,"tune, v2",post,,,not computed',
      '',
    ]);
  });
});
