import { describe, expect, it } from 'vitest';
import {
  HEADER_BYTES_PER_INDEX_BYTE,
  firstShardReadSize,
  MAX_HEADER_READ,
  MIN_HEADER_READ,
  MIN_HEADER_READ_FROM_NAMES,
  firstHeaderReadSize,
  formatRangeHeader,
  formatRowIds,
  mergeFileReads,
  planHeaderReads,
  planHeaderRemainder,
  planTensorReads,
} from './ranges.ts';

/** Header JSON the way the safetensors writer produces it (compact). */
function realHeaderLength(names: string[]): number {
  const obj: Record<string, unknown> = { __metadata__: { format: 'pt' } };
  let off = 0;
  for (const n of names) {
    obj[n] = { dtype: 'BF16', shape: [4096, 12288, 128], data_offsets: [off, (off += 4_831_838_208)] };
  }
  return JSON.stringify(obj).length;
}

describe('planHeaderReads', () => {
  it('sizes the first read from the index names so that it covers 8 + N without much waste', () => {
    const names: string[] = [];
    for (let e = 0; e < 128; e++) {
      for (const p of ['gate_proj', 'up_proj', 'down_proj']) names.push(`model.layers.12.mlp.experts.${e}.${p}.weight`);
    }
    const n = realHeaderLength(names);
    const k = firstHeaderReadSize({ tensorNames: names });
    expect(k).toBeGreaterThanOrEqual(8 + n);
    expect(k).toBeLessThan(1.25 * (8 + n));
  });

  it('uses count × 150 bytes with a 64 KiB floor when only a count is known', () => {
    expect(firstHeaderReadSize({})).toBe(MIN_HEADER_READ);
    expect(firstHeaderReadSize({ tensorCount: 10 })).toBe(MIN_HEADER_READ);
    expect(firstHeaderReadSize({ tensorCount: 1000 })).toBe(16 * 1024 * 10);
    expect(firstHeaderReadSize({ tensorCount: 1_000_000 })).toBe(MAX_HEADER_READ);
  });

  it('keeps a small floor and the 1 MiB cap for name-based estimates', () => {
    expect(firstHeaderReadSize({ tensorNames: ['a'] })).toBe(MIN_HEADER_READ_FROM_NAMES);
    const many = Array.from({ length: 20000 }, (_, i) => `model.layers.${i}.weight`);
    expect(firstHeaderReadSize({ tensorNames: many })).toBe(MAX_HEADER_READ);
  });

  it('plans one read from byte 0 per file, and an exact second read only when needed', () => {
    const plans = planHeaderReads([
      { file: 'a', tensorCount: 5 },
      { file: 'b', tensorNames: ['x.weight'] },
    ]);
    expect(plans).toEqual([
      { file: 'a', start: 0, end: MIN_HEADER_READ },
      { file: 'b', start: 0, end: MIN_HEADER_READ_FROM_NAMES },
    ]);
    expect(planHeaderRemainder(65536, 1000)).toBeNull();
    expect(planHeaderRemainder(65536, 65528)).toBeNull();
    // the huggingface_hub#4602 boundary: a header of exactly 100,000 bytes needs 100,008
    expect(planHeaderRemainder(100_000, 100_000)).toEqual({ start: 100_000, end: 100_008 });
  });
});

describe('planTensorReads', () => {
  const t = (name: string, start: number, end: number) => ({ name, start, end });

  it('keeps tensors separated by large matrices as separate reads', () => {
    const plans = planTensorReads([t('b', 1_000_000, 1_008_192), t('a', 100, 8292)]);
    expect(plans.map((p) => [p.start, p.end, p.tensors.map((x) => x.name)])).toEqual([
      [100, 8292, ['a']],
      [1_000_000, 1_008_192, ['b']],
    ]);
  });

  it('merges adjacent and nearly adjacent tensors within the overhead budget', () => {
    const plans = planTensorReads([t('a', 0, 8192), t('b', 8192, 16384), t('c', 17384, 25576)]);
    expect(plans).toHaveLength(1);
    expect(plans[0]).toMatchObject({ start: 0, end: 25576 });
    expect(plans[0]?.tensors.map((x) => x.name)).toEqual(['a', 'b', 'c']);
  });

  it('refuses a merge whose gap would exceed 25% of the needed bytes or maxGap', () => {
    // GPT-2: ln_1.bias (3 KiB) sits between ln_1.weight reads; reading through it doubles the bytes
    expect(planTensorReads([t('w1', 0, 3072), t('w2', 6144, 9216)])).toHaveLength(2);
    expect(planTensorReads([t('a', 0, 100_000), t('b', 105_000, 200_000)])).toHaveLength(2);
    expect(planTensorReads([t('a', 0, 100_000), t('b', 105_000, 200_000)], 8192)).toHaveLength(1);
    const plans = planTensorReads([t('a', 0, 1000), t('b', 1000, 2000), t('c', 2400, 3000)]);
    const read = plans.reduce((s, p) => s + p.end - p.start, 0);
    expect(read).toBeLessThanOrEqual(1.25 * 2600);
  });

  it('handles duplicates and overlaps', () => {
    const plans = planTensorReads([t('a', 0, 10), t('a2', 0, 10), t('b', 5, 20)]);
    expect(plans).toEqual([{ start: 0, end: 20, tensors: [t('a', 0, 10), t('a2', 0, 10), t('b', 5, 20)] }]);
  });

  it('rejects invalid spans', () => {
    expect(() => planTensorReads([t('a', 10, 5)])).toThrow(RangeError);
  });
});

describe('formatRangeHeader', () => {
  it('writes an inclusive single range', () => {
    expect(formatRangeHeader(0, 65536)).toBe('bytes=0-65535');
    expect(formatRangeHeader(123, 124)).toBe('bytes=123-123');
  });
  it('never writes empty, negative or suffix ranges', () => {
    expect(() => formatRangeHeader(5, 5)).toThrow(RangeError);
    expect(() => formatRangeHeader(-1, 5)).toThrow(RangeError);
    expect(() => formatRangeHeader(0.5, 5)).toThrow(RangeError);
  });
});

describe('firstShardReadSize', () => {
  it("covers the GLM-sized bench repo's headers in one read each, with little to spare", () => {
    // 47 shards, a 1 649 694-byte index, headers of 42 216 to 43 936 bytes (8 + N)
    const size = firstShardReadSize(1_649_694, 47);
    expect(size).toBeGreaterThanOrEqual(43_936);
    expect(size).toBeLessThan(43_936 * 1.05);
    expect(size % 512).toBe(0);
    expect(size).toBe(Math.ceil((HEADER_BYTES_PER_INDEX_BYTE * 1_649_694) / 46 / 512) * 512);
  });

  it('probes 1 KiB without an index size, and stays within the read bounds', () => {
    expect(firstShardReadSize(null, 10)).toBe(MIN_HEADER_READ_FROM_NAMES);
    expect(firstShardReadSize(0, 10)).toBe(MIN_HEADER_READ_FROM_NAMES);
    expect(firstShardReadSize(100, 2)).toBe(MIN_HEADER_READ_FROM_NAMES);
    expect(firstShardReadSize(50_000_000, 2)).toBe(MAX_HEADER_READ);
  });
});

describe('row reads', () => {
  it('formats row ids compactly', () => {
    expect(formatRowIds([0, 1, 2, 5, 7, 8])).toBe('0-2,5,7-8');
    expect(formatRowIds([])).toBe('');
  });
  it('merges neighbouring row runs of one file into one read, and keeps files apart', () => {
    const m = mergeFileReads([
      { file: 'x', name: 'a', firstRow: 0, endRow: 1, start: 0, end: 10 },
      { file: 'y', name: 'b', firstRow: 0, endRow: 1, start: 10, end: 20 },
      { file: 'x', name: 'c', firstRow: 0, endRow: 1, start: 10, end: 20 },
    ]);
    expect(m.reads.map((r) => [r.file, r.start, r.end, r.parts.length])).toEqual([
      ['x', 0, 20, 2],
      ['y', 10, 20, 1],
    ]);
    expect(m).toMatchObject({ requests: 2, bytes: 30, neededBytes: 30 });
  });
  it('reads through a small gap but not a large one', () => {
    const near = mergeFileReads([
      { file: 'x', name: 'a', firstRow: 0, endRow: 4, start: 0, end: 4000 },
      { file: 'x', name: 'b', firstRow: 8, endRow: 12, start: 5000, end: 9000 },
    ]);
    expect(near).toMatchObject({ requests: 1, bytes: 9000, neededBytes: 8000 });
    const far = mergeFileReads([
      { file: 'x', name: 'a', firstRow: 0, endRow: 1, start: 0, end: 100 },
      { file: 'x', name: 'b', firstRow: 900, endRow: 901, start: 90_000, end: 90_100 },
    ]);
    expect(far).toMatchObject({ requests: 2, bytes: 200 });
  });
});
