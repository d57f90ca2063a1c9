import { describe, expect, it } from 'vitest';
import { surfaceView } from '../../core/surface';
import type { LayerNorms, LoadedModel } from '../../core/types';
import {
  BOX,
  clampWindow,
  colorOf,
  describeWindow,
  MAX_COUNT,
  pickCell,
  SEED_DOMAIN,
  shiftWindow,
  surfaceLayout,
} from './surfaceModel';
import { completeModel } from '../../core/testing/completeModel';

function model(
  layers: number,
  hidden: number,
  value: (layer: number, k: number) => number,
  skipPostLayer = -1,
): LoadedModel {
  const rows: LayerNorms[] = Array.from({ length: layers }, (_, index) => ({
    index,
    extra: false,
    label: String(index),
    input: Float32Array.from({ length: hidden }, (_, k) => value(index, k)),
    ...(index === skipPostLayer ? {} : { post: Float32Array.from({ length: hidden }, () => 1) }),
  }));
  return completeModel({
    hub: 'h',
    repo: `org/m${layers}`,
    revision: 'main',
    sha: 'x',
    architecture: 'A',
    modelType: 't',
    hiddenSize: hidden,
    layers: rows,
    extraLayers: [],
    dtype: 'F32',
    normFamily: 'llama',
    totalModelBytes: null,
    transfer: { requests: 0, bytes: 0, minimumBytes: 0, cachedBytes: 0 },
    fromCache: false,
    warnings: [],
  });
}

const tall = model(6, 40, (l, k) => 0.5 + 0.01 * l + 0.001 * k);
const short = model(3, 40, () => 1.5);

describe('surface layout', () => {
  const view = surfaceView([tall, short], [0, 1], 'input', { start: 10, count: 5 });
  const layout = surfaceLayout(view);

  it('puts every model in one box with a shared layer axis and one height scale', () => {
    expect(layout.maxRows).toBe(6);
    const [a, b] = layout.meshes;
    expect(a!.rows).toBe(6);
    expect(b!.rows).toBe(3);
    // layer 2 sits at the same depth in both panels
    expect(a!.positions[2 * 5 * 3 + 1]).toBeCloseTo(b!.positions[2 * 5 * 3 + 1]!, 6);
    // heights: γ = 1.5 is the top of the shared range, so it reaches the box height
    expect(layout.zRange).toEqual([0, 1.5]);
    expect(b!.positions[2]).toBeCloseTo(BOX.height, 6);
    const gamma = 0.5 + 0.01 * 3 + 0.001 * 12; // tall, layer 3, dim 12
    expect(a!.positions[(3 * 5 + 2) * 3 + 2]).toBeCloseTo((gamma / 1.5) * BOX.height, 5);
  });

  it('colours by the one shared domain: equal γ, equal colour in every panel', () => {
    expect(layout.domain).toEqual(view.domain);
    const seed = surfaceLayout(view, { domain: SEED_DOMAIN });
    expect(Array.from(seed.meshes[1]!.colors.slice(0, 3))).toEqual(
      colorOf(1.5, SEED_DOMAIN).map((x) => Math.fround(x)),
    );
    expect(colorOf(-5, [0, 1])).toEqual(colorOf(0, [0, 1]));
  });

  it('builds two triangles per quad and skips quads with a missing value', () => {
    expect(layout.meshes[0]!.indices.length).toBe(5 * 4 * 6);
    const holey = surfaceLayout(surfaceView([model(4, 8, () => 1, 1)], [0], 'post', { count: 8 }));
    // layer 1 has no post norm: the quads touching row 1 (rows 0–1 and 1–2) are dropped
    expect(holey.meshes[0]!.indices.length).toBe(1 * 7 * 6);
  });

  it('labels ticks with the real dimension and layer numbers', () => {
    expect(layout.dimTicks.map((t) => t.label)).toEqual(['10', '11', '12', '13', '14']);
    const wide = surfaceLayout(surfaceView([model(2, 4096, () => 1)], [0], 'input', { start: 200, count: 80 }));
    expect(wide.dimTicks.map((t) => t.label)).toEqual(['200', '220', '240', '260']);
    expect(wide.dimTicks[1]!.at[0]).toBeCloseTo((20 / 79) * BOX.width, 9);
    expect(layout.layerTicks.map((t) => t.label)).toContain('5');
    expect(layout.gammaTicks[0]!.label).toBe('0');
  });

  it('picks the vertex under a point, with its model, layer, dimension and γ', () => {
    const a = layout.meshes[0]!;
    const x = (2 / 4) * BOX.width + 0.01,
      y = (3 / 5) * BOX.depth - 0.01;
    const pick = pickCell(layout, a, x, y)!;
    expect(pick).toMatchObject({ model: 0, row: 3, col: 2, layer: 3, dim: 12 });
    expect(pick.gamma).toBeCloseTo(0.5 + 0.03 + 0.012, 6);
    // beyond the short model's last layer there is nothing to pick
    expect(pickCell(layout, layout.meshes[1]!, x, y)).toBeNull();
  });
});

describe('dimension window', () => {
  it('clamps start, count and stride to the width', () => {
    expect(clampWindow({ start: 4090, count: 100, stride: 1 }, 4096)).toEqual({ start: 4090, count: 6, stride: 1 });
    expect(clampWindow({ start: -3, count: 5000, stride: 1 }, 4096).count).toBe(MAX_COUNT);
    expect(clampWindow({ start: 0, count: 100, stride: 41 }, 4096)).toEqual({ start: 0, count: 100, stride: 41 });
    expect(clampWindow({ start: NaN, count: NaN, stride: 0 }, 4096)).toEqual({ start: 0, count: 100, stride: 1 });
  });
  it('pages through windows', () => {
    expect(shiftWindow({ start: 0, count: 100, stride: 1 }, 1, 4096).start).toBe(100);
    expect(shiftWindow({ start: 50, count: 100, stride: 1 }, -1, 4096).start).toBe(0);
    expect(shiftWindow({ start: 4000, count: 100, stride: 1 }, 1, 4096).start).toBe(3996);
  });
  it('describes what is shown', () => {
    expect(describeWindow([200, 201, 202], 4096, 1)).toBe('dimensions 200–202 of 4096');
    expect(describeWindow([0, 41, 82], 4096, 41)).toBe('3 dimensions, one in every 41 from 0 to 82, of 4096');
  });
});
