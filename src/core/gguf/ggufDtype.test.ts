import { describe, expect, it } from 'vitest';
import { decodeTensor, encodeBf16 } from '../dtypes.ts';
import { GgufFormatError } from './ggufError.ts';
import { ggufNormDtype } from './ggufDtype.ts';
import { parseGgufBytes } from './ggufHeader.ts';
import { writeGguf } from './testing/writeGguf.ts';

describe('ggufNormDtype', () => {
  it('maps F32, F16 and BF16 to the dtypes decodeTensor reads', async () => {
    expect([0, 1, 30].map((ggmlType) => ggufNormDtype({ name: 'n', ggmlType }))).toEqual(['F32', 'F16', 'BF16']);
    const values = [1, 0.5, -2, 3.25];
    const file = writeGguf({
      kv: [],
      tensors: [{ name: 'blk.0.attn_norm.weight', shape: [4], type: 30, data: encodeBf16(values) }],
    });
    const t = (await parseGgufBytes(file.bytes)).header.tensors[0]!;
    expect(Array.from(decodeTensor(file.bytes.subarray(t.start, t.end!), ggufNormDtype(t)))).toEqual(values);
  });

  it('names the type when a norm is quantized or unknown', () => {
    expect(() => ggufNormDtype({ name: 'blk.0.attn_norm.weight', ggmlType: 8 })).toThrow(GgufFormatError);
    expect(() => ggufNormDtype({ name: 'blk.0.attn_norm.weight', ggmlType: 8 })).toThrow(
      /"blk\.0\.attn_norm\.weight" is stored as Q8_0/,
    );
    expect(() => ggufNormDtype({ name: 'x', ggmlType: 99 })).toThrow(/stored as type 99/);
  });
});
