import { describe, expect, it } from 'vitest';
import {
  MAX_HEADER_BYTES,
  SafetensorsFormatError,
  dtypeBits,
  parseSafetensorsFile,
  parseSafetensorsHeader,
  readHeaderLength,
  serializeSafetensors,
} from './safetensors.ts';

const enc = new TextEncoder();

function concat(...parts: (Uint8Array | number[])[]): Uint8Array {
  const arrays = parts.map((p) => (p instanceof Uint8Array ? p : Uint8Array.from(p)));
  const out = new Uint8Array(arrays.reduce((n, a) => n + a.length, 0));
  let at = 0;
  for (const a of arrays) {
    out.set(a, at);
    at += a.length;
  }
  return out;
}

function u64le(n: number): number[] {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, BigInt(n), true);
  return [...b];
}

/** Builds a file from a header string as written, with no padding added. */
function fileFrom(json: string, data: number[] | Uint8Array = []): Uint8Array {
  const h = enc.encode(json);
  return concat(u64le(h.length), h, data instanceof Uint8Array ? data : Uint8Array.from(data));
}

function expectFormatError(fn: () => unknown, pattern: RegExp): void {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(SafetensorsFormatError);
  expect((caught as Error).message).toMatch(pattern);
}

// A tiny file whose every byte is written here: F32 "b" = [1.0], BF16 "a" = [1.0, -2.0].
// The JSON is 139 bytes, padded with 5 spaces to N = 144 = 0x90.
const GOLDEN_JSON =
  '{"__metadata__":{"format":"pt"},' +
  '"b":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},' +
  '"a":{"dtype":"BF16","shape":[2],"data_offsets":[4,8]}}' +
  '     ';
const GOLDEN = concat(
  [0x90, 0, 0, 0, 0, 0, 0, 0],
  enc.encode(GOLDEN_JSON),
  [0x00, 0x00, 0x80, 0x3f], // b: F32 1.0
  [0x80, 0x3f, 0x00, 0xc0], // a: BF16 1.0, -2.0
);

describe('readHeaderLength', () => {
  it('reads a little-endian u64', () => {
    expect(readHeaderLength(Uint8Array.from([0x90, 0, 0, 0, 0, 0, 0, 0]))).toBe(144);
    expect(readHeaderLength(Uint8Array.from([0xa0, 0x86, 0x01, 0, 0, 0, 0, 0]))).toBe(100_000);
  });

  it('ignores bytes after the first 8 and respects subarray offsets', () => {
    const buf = Uint8Array.from([9, 9, 0x10, 0, 0, 0, 0, 0, 0, 0, 0x7b]);
    expect(readHeaderLength(buf.subarray(2))).toBe(16);
  });

  it('accepts exactly the limit and rejects one byte more', () => {
    expect(readHeaderLength(Uint8Array.from(u64le(MAX_HEADER_BYTES)))).toBe(MAX_HEADER_BYTES);
    expectFormatError(() => readHeaderLength(Uint8Array.from(u64le(MAX_HEADER_BYTES + 1))), /25,000,000-byte limit/);
  });

  it('rejects lengths beyond Number.MAX_SAFE_INTEGER', () => {
    expectFormatError(
      () => readHeaderLength(Uint8Array.from([255, 255, 255, 255, 255, 255, 255, 255])),
      /impossibly large/,
    );
  });

  it('hints when the bytes are text such as an HTML page', () => {
    expectFormatError(() => readHeaderLength(enc.encode('<!doctype html>')), /HTML/);
  });

  it('rejects fewer than 8 bytes and tiny lengths', () => {
    expectFormatError(() => readHeaderLength(Uint8Array.from([1, 2, 3])), /at least 8 bytes/);
    expectFormatError(() => readHeaderLength(new Uint8Array(8)), /at least 2 bytes/);
  });
});

describe('serializeSafetensors', () => {
  it('writes the golden file byte for byte', () => {
    const out = serializeSafetensors(
      [
        { name: 'a', dtype: 'BF16', shape: [2], data: Uint8Array.from([0x80, 0x3f, 0x00, 0xc0]) },
        { name: 'b', dtype: 'F32', shape: [1], data: Uint8Array.from([0x00, 0x00, 0x80, 0x3f]) },
      ],
      { format: 'pt' },
    );
    expect([...out]).toEqual([...GOLDEN]);
  });

  it('orders by descending dtype, then byte-wise name, like the Rust writer', () => {
    const t = (name: string, dtype: string, bytes: number) => ({
      name,
      dtype,
      shape: [bytes / ((dtypeBits(dtype) ?? 8) / 8)],
      data: new Uint8Array(bytes),
    });
    const out = serializeSafetensors([
      t('model.layers.2.input_layernorm.weight', 'BF16', 4),
      t('model.layers.10.input_layernorm.weight', 'BF16', 4),
      t('model.layers.10.mlp.gate.e_score_correction_bias', 'F32', 8),
      t('model.layers.2.mlp.gate.e_score_correction_bias', 'F32', 8),
      t('model.layers.10.post_attention_layernorm.weight', 'BF16', 4),
      t('flags', 'U8', 3),
      t('model.embed_tokens.weight', 'F16', 4),
      t('Zeta', 'BF16', 2),
    ]);
    const header = parseSafetensorsFile(out);
    expect(header.tensors.map((e) => e.name)).toEqual([
      'model.layers.10.mlp.gate.e_score_correction_bias',
      'model.layers.2.mlp.gate.e_score_correction_bias',
      'Zeta', // 'Z' (0x5a) sorts before 'm' byte-wise
      'model.layers.10.input_layernorm.weight',
      'model.layers.10.post_attention_layernorm.weight',
      'model.layers.2.input_layernorm.weight',
      'model.embed_tokens.weight',
      'flags',
    ]);
    // JSON key order follows offsets with __metadata__ absent when not given.
    const json = new TextDecoder().decode(out.subarray(8, 8 + header.headerLength));
    expect(json.indexOf('__metadata__')).toBe(-1);
    expect(json.indexOf('"model.layers.10.mlp')).toBeLessThan(json.indexOf('"Zeta"'));
  });

  it("keeps the caller's order with order: 'given' and can skip padding", () => {
    const out = serializeSafetensors(
      [
        { name: 'x', dtype: 'U8', shape: [1], data: Uint8Array.from([7]) },
        { name: 'y', dtype: 'F32', shape: [1], data: new Uint8Array(4) },
      ],
      undefined,
      { order: 'given', pad: false },
    );
    const json =
      '{"x":{"dtype":"U8","shape":[1],"data_offsets":[0,1]},"y":{"dtype":"F32","shape":[1],"data_offsets":[1,5]}}';
    expect([...out]).toEqual([...concat(u64le(json.length), enc.encode(json), [7, 0, 0, 0, 0])]);
    expect(json.length % 8).not.toBe(0);
  });

  it('writes an explicit null __metadata__ when asked', () => {
    const out = serializeSafetensors([], null);
    expect(new TextDecoder().decode(out.subarray(8))).toBe('{"__metadata__":null}   ');
    expect(parseSafetensorsFile(out).metadata).toBeNull();
  });

  it('refuses data of the wrong size and duplicate names', () => {
    expect(() => serializeSafetensors([{ name: 'a', dtype: 'BF16', shape: [3], data: new Uint8Array(4) }])).toThrow(
      /needs 6 bytes/,
    );
    const a = { name: 'a', dtype: 'U8', shape: [1], data: new Uint8Array(1) };
    expect(() => serializeSafetensors([a, a])).toThrow(/Duplicate/);
  });
});

describe('parseSafetensorsHeader', () => {
  it('parses the golden file with absolute offsets', () => {
    const n = readHeaderLength(GOLDEN.subarray(0, 8));
    const h = parseSafetensorsHeader(GOLDEN.subarray(8), n, GOLDEN.length);
    expect(h).toEqual({
      headerLength: 144,
      dataStart: 152,
      fileSize: 160,
      metadata: { format: 'pt' },
      tensors: [
        { name: 'b', dtype: 'F32', shape: [1], start: 152, end: 156 },
        { name: 'a', dtype: 'BF16', shape: [2], start: 156, end: 160 },
      ],
    });
    expect([...GOLDEN.subarray(156, 160)]).toEqual([0x80, 0x3f, 0x00, 0xc0]);
  });

  it('accepts an unknown file size and extra bytes after the header', () => {
    const h = parseSafetensorsHeader(GOLDEN.subarray(8, 8 + 150), 144, null);
    expect(h.fileSize).toBeNull();
    expect(h.tensors).toHaveLength(2);
  });

  it('sorts by offsets and never trusts key order', () => {
    const json =
      '{"late":{"dtype":"U8","shape":[2],"data_offsets":[2,4]},"early":{"dtype":"U8","shape":[2],"data_offsets":[0,2]}}';
    const f = fileFrom(json, [1, 2, 3, 4]);
    expect(parseSafetensorsFile(f).tensors.map((t) => t.name)).toEqual(['early', 'late']);
  });

  it('accepts a non-padded N, null or absent metadata, empty and 0-rank tensors', () => {
    const json =
      '{"__metadata__":null,"s":{"dtype":"F32","shape":[],"data_offsets":[0,4]},"e":{"dtype":"BF16","shape":[0,4],"data_offsets":[4,4]}}';
    expect(json.length % 8).not.toBe(0);
    const h = parseSafetensorsFile(fileFrom(json, [0, 0, 0x80, 0x3f]));
    expect(h.metadata).toBeNull();
    expect(h.headerLength).toBe(json.length);
    expect(h.tensors.map((t) => [t.name, t.end - t.start])).toEqual([
      ['s', 4],
      ['e', 0],
    ]);
    expect(parseSafetensorsFile(fileFrom('{}')).tensors).toEqual([]);
    expect(parseSafetensorsFile(fileFrom('{"__metadata__":{}}')).metadata).toEqual({});
  });

  it('accepts the extra dtypes and sub-byte dtypes that fill whole bytes', () => {
    const json =
      '{"q":{"dtype":"FP4","shape":[4],"data_offsets":[0,2]},"s":{"dtype":"E8M0","shape":[1],"data_offsets":[2,3]},"f6":{"dtype":"F6_E2M3","shape":[4],"data_offsets":[3,6]}}';
    const h = parseSafetensorsFile(fileFrom(json, [0, 0, 0, 0, 0, 0]));
    expect(h.tensors.map((t) => t.dtype)).toEqual(['FP4', 'E8M0', 'F6_E2M3']);
  });

  it('handles a header of exactly 100,000 bytes (the "first 100 KB" bug)', () => {
    const tensor = {
      name: 'model.norm.weight',
      dtype: 'BF16',
      shape: [4],
      data: Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]),
    };
    const base = serializeSafetensors([tensor], { format: 'pt', filler: '' }, { pad: false }).length - 8 - 8;
    const file = serializeSafetensors([tensor], { format: 'pt', filler: 'x'.repeat(100_000 - base) });
    const n = readHeaderLength(file.subarray(0, 8));
    expect(n).toBe(100_000);
    const h = parseSafetensorsHeader(file.subarray(8, 8 + n), n, file.length);
    expect(h.dataStart).toBe(100_008);
    expect(h.tensors[0]).toMatchObject({ start: 100_008, end: 100_016 });
    // A reader that fetched only the first 100,000 bytes must fail clearly, not misparse.
    expectFormatError(
      () => parseSafetensorsHeader(file.subarray(8, 100_000), n, file.length),
      /truncated.*100,000 bytes.*99,992/,
    );
  });

  describe('corrupted files', () => {
    it('truncated header bytes', () => {
      expectFormatError(() => parseSafetensorsHeader(GOLDEN.subarray(8, 100), 144, null), /truncated/);
    });

    it('truncated file: tensors end beyond the file', () => {
      expectFormatError(
        () => parseSafetensorsHeader(GOLDEN.subarray(8), 144, 158),
        /tensor "a" ends at byte 160, but the file has only 158 bytes/,
      );
    });

    it('offsets beyond the file', () => {
      const json = '{"w":{"dtype":"U8","shape":[1000],"data_offsets":[0,1000]}}';
      expectFormatError(
        () => parseSafetensorsFile(fileFrom(json, [1, 2, 3])),
        /ends at byte 1,067, but the file has only 70 bytes/,
      );
    });

    it('trailing unindexed bytes', () => {
      expectFormatError(() => parseSafetensorsHeader(GOLDEN.subarray(8), 144, 170), /10 trailing bytes/);
    });

    it('N bigger than the file', () => {
      expectFormatError(() => parseSafetensorsHeader(GOLDEN.subarray(8), 144, 100), /only 100 bytes/);
      const f = concat(u64le(5000), enc.encode('{}'));
      expectFormatError(() => parseSafetensorsFile(f), /5,000 bytes long, but the file has only 10 bytes/);
    });

    it('overlapping offsets', () => {
      const json =
        '{"a":{"dtype":"U8","shape":[4],"data_offsets":[0,4]},"b":{"dtype":"U8","shape":[4],"data_offsets":[2,6]}}';
      expectFormatError(() => parseSafetensorsFile(fileFrom(json, [0, 0, 0, 0, 0, 0])), /"b".*overlaps tensor "a"/);
    });

    it('a hole between tensors and at the start', () => {
      const hole =
        '{"a":{"dtype":"U8","shape":[2],"data_offsets":[0,2]},"b":{"dtype":"U8","shape":[2],"data_offsets":[4,6]}}';
      expectFormatError(
        () => parseSafetensorsFile(fileFrom(hole, [0, 0, 0, 0, 0, 0])),
        /hole of 2 unindexed bytes after tensor "a"/,
      );
      const start = '{"a":{"dtype":"U8","shape":[2],"data_offsets":[2,4]}}';
      expectFormatError(() => parseSafetensorsFile(fileFrom(start, [0, 0, 0, 0])), /at the start of the data/);
    });

    it('a size that does not match the dtype and shape', () => {
      const json = '{"w":{"dtype":"BF16","shape":[4],"data_offsets":[0,4]}}';
      expectFormatError(
        () => parseSafetensorsFile(fileFrom(json, [0, 0, 0, 0])),
        /should take 8 bytes, but its data_offsets span 4 bytes/,
      );
      const odd = '{"w":{"dtype":"F4","shape":[3],"data_offsets":[0,2]}}';
      expectFormatError(() => parseSafetensorsFile(fileFrom(odd, [0, 0])), /whole number of bytes/);
    });

    it('end before begin, bad shapes and offsets, unknown dtype', () => {
      const cases: [string, RegExp][] = [
        ['{"w":{"dtype":"U8","shape":[0],"data_offsets":[4,0]}}', /ends \(at 0\) before it begins/],
        ['{"w":{"dtype":"U8","shape":[-1],"data_offsets":[0,0]}}', /invalid shape/],
        ['{"w":{"dtype":"U8","shape":[1.5],"data_offsets":[0,0]}}', /invalid shape/],
        ['{"w":{"dtype":"U8","shape":[1],"data_offsets":[0]}}', /invalid data_offsets/],
        ['{"w":{"dtype":"U8","shape":[1]}}', /invalid data_offsets/],
        ['{"w":{"dtype":"Q4_K","shape":[1],"data_offsets":[0,1]}}', /unknown dtype "Q4_K"/],
        ['{"w":{"shape":[1],"data_offsets":[0,1]}}', /no dtype/],
        ['{"w":[1,2]}', /"w" is not an object/],
        ['{"__metadata__":{"format":1}}', /"format" is not a string/],
        ['{"__metadata__":["pt"]}', /must be an object/],
      ];
      for (const [json, pattern] of cases)
        expectFormatError(() => parseSafetensorsHeader(enc.encode(json), json.length, null), pattern);
    });

    it('non-object JSON, invalid JSON, invalid UTF-8', () => {
      for (const json of ['[1,2,3]', '"text"', '  {}', '42']) {
        expectFormatError(
          () => parseSafetensorsHeader(enc.encode(json), json.length, null),
          /does not start with "\{"/,
        );
      }
      expectFormatError(() => parseSafetensorsHeader(enc.encode('{"a":'), 5, null), /not valid JSON/);
      expectFormatError(() => parseSafetensorsHeader(enc.encode('{} x'), 4, null), /not valid JSON/);
      expectFormatError(() => parseSafetensorsHeader(Uint8Array.from([0x7b, 0xff, 0x7d]), 3, null), /UTF-8/);
      // zero padding is not allowed (the format pads with spaces)
      expectFormatError(() => parseSafetensorsHeader(Uint8Array.from([0x7b, 0x7d, 0, 0]), 4, null), /not valid JSON/);
    });
  });
});
