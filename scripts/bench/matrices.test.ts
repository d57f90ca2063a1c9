import { describe, expect, it } from 'vitest';
import { benchMatrices, MATRIX_BENCH_SIZES } from './matrices';

describe('benchMatrices', () => {
  it('reports one median time per size', async () => {
    const results = await benchMatrices(
      [
        { rows: 5, cols: 4, dims: 300 },
        { rows: 2, cols: 2, dims: 7 },
      ],
      3,
    );
    expect(Object.keys(results)).toEqual(['similarityMatrices 5x4x300 ms', 'similarityMatrices 2x2x7 ms']);
    for (const ms of Object.values(results)) expect(ms).toBeGreaterThanOrEqual(0);
  });

  it('defaults to the GLM-sized and the large-model cases', () => {
    expect(MATRIX_BENCH_SIZES.map((s) => `${s.rows}x${s.cols}x${s.dims}`)).toEqual(['48x48x4096', '128x128x16384']);
  });
});
