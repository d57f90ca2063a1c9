import { describe, expect, it } from 'vitest';
import { decodeTensor } from '../dtypes.ts';
import { GgufFormatError } from './ggufError.ts';
import { parseGgufBytes } from './ggufHeader.ts';
import { planGgufNorms } from './ggufNormPlan.ts';
import { realisticGguf, splitGguf } from './testing/realisticGguf.ts';
import { writeGguf } from './testing/writeGguf.ts';

describe('planGgufNorms', () => {
  const model = realisticGguf({ arch: 'glm4moe', layers: 3, nextn: 1 });
  const parts = splitGguf(model.file, 3).map((p, i) => ({
    path: `Q4_K_M/m-0000${i + 1}-of-00003.gguf`,
    bytes: writeGguf(p).bytes,
  }));

  it('locates every norm of a split model in its part, with values that round-trip exactly', async () => {
    const parsed = await Promise.all(
      parts.map(async (p) => ({ path: p.path, header: (await parseGgufBytes(p.bytes)).header })),
    );
    const plan = planGgufNorms(parsed);
    expect(plan.config).toMatchObject({ model_type: 'glm4moe', num_hidden_layers: 3, num_nextn_predict_layers: 1 });
    expect(plan.norms).toHaveLength(4 * 4);
    expect(new Set(plan.norms.map((n) => n.file)).size).toBeGreaterThan(1);
    for (const norm of plan.norms) {
      const bytes = parts.find((p) => p.path === norm.file)!.bytes.subarray(norm.start, norm.end);
      expect(decodeTensor(bytes, norm.dtype)).toEqual(model.norms.get(norm.name));
      expect(norm.extra).toBe(norm.layer === 3);
    }
  });

  it('refuses parts out of order or missing', async () => {
    const parsed = await Promise.all(
      parts.map(async (p) => ({ path: p.path, header: (await parseGgufBytes(p.bytes)).header })),
    );
    expect(() => planGgufNorms([parsed[0]!, parsed[2]!, parsed[1]!])).toThrow(
      /should be part 2 of 3, but its split metadata says part 3 of 3/,
    );
    expect(() => planGgufNorms(parsed.slice(0, 2))).toThrow(GgufFormatError);
  });
});
