import { describe, expect, it } from 'vitest';
import { ridgeView } from '../../core/ridge';
import { gammaVector, growingModel, testModel } from '../kit2d/testModels';
import { clippedNotes, parseStep, renumber, ridgeFirstHit, ridgeHit, ridgeKeyHit, ridgeLayout } from './ridgeModel';

const models = [growingModel('org/a', 10, 512, 1), growingModel('org/b', 7, 512, 2)];

describe('parseStep', () => {
  it('defaults to every third layer', () => {
    expect(parseStep('')).toBe(3);
    expect(parseStep('1')).toBe(1);
    expect(parseStep('0')).toBe(3);
    expect(parseStep('2.5')).toBe(3);
  });
});

describe('ridgeLayout', () => {
  const views = (['input', 'post'] as const).map((norm) => ridgeView(models, [0, 1], norm, { layerStep: 3 }));
  const layout = ridgeLayout(views, [0, 1]);

  it('stacks the shown layers with layer 0 at the bottom, input left and post right', () => {
    expect(layout.panels.map((p) => p.norm)).toEqual(['input', 'post']);
    const [input] = layout.panels;
    expect(input!.rows.map((r) => r.layer)).toEqual([0, 3, 6, 9]);
    expect(input!.rows[0]!.baseline).toBeGreaterThan(input!.rows[3]!.baseline);
    expect(input!.box.x).toBe(0);
    expect(layout.panels[1]!.box.x).toBeGreaterThan(input!.box.x + input!.box.width);
  });

  it('draws one ridge per model and layer, deepest first, with the peak at the layer’s highest bin', () => {
    const input = layout.panels[0]!;
    // model b has 7 layers: 0, 3, 6 (no 9)
    expect(input.paths.map((p) => `${p.model}:${p.layer}`)).toEqual(['0:9', '0:6', '1:6', '0:3', '1:3', '0:0', '1:0']);
    const ys = (d: string) => [...d.matchAll(/,(-?[\d.]+)/g)].map((m) => Number(m[1]));
    const row0 = input.rows[0]!;
    const peak = Math.min(...input.paths.filter((p) => p.layer === 0).flatMap((p) => ys(p.outline)));
    expect(row0.baseline - peak).toBeCloseTo(input.spacing * 1.7, 1); // outline rounded to 0.01 px
  });

  it('marks γ = 1 when it is in range and reports what lies under the pointer', () => {
    const post = layout.panels[1]!;
    expect(post.initX).not.toBeNull();
    const row = post.rows[1]!;
    const hit = ridgeHit(post, post.plot.x + post.plot.width / 2, row.baseline - 2)!;
    expect(hit.layer).toBe(3);
    expect(hit.models.map((m) => m.model)).toEqual([0, 1]);
    expect(hit.range[0]).toBeLessThan(hit.range[1]);
    expect(ridgeHit(post, post.plot.x - 20, row.baseline)).toBeNull();
  });

  it('moves the reading with the keys: up to deeper ridges, right to higher bins, densities from the data', () => {
    const input = layout.panels[0]!;
    const first = ridgeFirstHit(input)!;
    expect(first.layer).toBe(0);
    expect(first.range[0]).toBeLessThanOrEqual(1);
    expect(first.range[1]).toBeGreaterThan(1);
    const up = ridgeKeyHit(input, first, 'ArrowUp') as ReturnType<typeof ridgeHit>;
    expect(up!.layer).toBe(3);
    expect(up!.bin).toBe(first.bin);
    const right = ridgeKeyHit(input, up, 'ArrowRight') as ReturnType<typeof ridgeHit>;
    expect(right!.bin).toBe(first.bin + 1);
    // the density read is the histogram's own, independently: share of model 0's layer-3 values in the bin
    const v = models[0]!.layers[3]!.input!;
    const [lo, hi] = right!.range;
    let inBin = 0;
    for (const x of v) if (x >= lo && x < hi) inBin++;
    expect(right!.models[0]!.density * (hi - lo)).toBeCloseTo(inBin / v.length, 9);
    expect(
      ridgeKeyHit(input, right, 'ArrowDown') && (ridgeKeyHit(input, right, 'ArrowDown') as typeof first).layer,
    ).toBe(0);
    expect(ridgeKeyHit(input, first, 'ArrowDown')).toMatchObject({ layer: 0 });
    expect(ridgeKeyHit(input, first, 'Escape')).toBe('leave');
    expect(ridgeKeyHit(input, first, 'x')).toBeNull();
    // a reading on the other panel starts this one afresh
    expect(ridgeKeyHit(input, { ...first, norm: 'post' }, 'ArrowRight')).toMatchObject({ layer: 0, bin: first.bin });
  });

  it('leaves out a role no model has and notes values outside the range', () => {
    const single = [testModel('s', [{ input: gammaVector(256, 0.5, 0.1, 3) }])];
    const v = (['input', 'post'] as const).map((norm) =>
      ridgeView(single, [0], norm, { layerStep: 1, range: [0.45, 0.55] }),
    );
    const l = ridgeLayout(v, [0]);
    expect(l.panels.map((p) => p.norm)).toEqual(['input']);
    expect(clippedNotes(v[0]!, () => 's')[0]).toMatch(/^s L0: \d+\.\d% below 0.45, \d+\.\d% above 0.55$/);
  });
});

describe('renumber', () => {
  it('maps worker-local model numbers back to query positions', () => {
    const v = ridgeView(models, [0, 1], 'input', { layerStep: 5 });
    expect(renumber(v, [2, 5]).series.map((s) => s.model)).toEqual([2, 5]);
  });
});
