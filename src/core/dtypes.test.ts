import { describe, expect, it } from 'vitest';
import { bf16Ulp, decodeTensor, dtypeBytes, encodeBf16, encodeF16, encodeF32, f16Ulp } from './dtypes';

/** Little-endian bytes of 16-bit words. */
function words(...bits: number[]): Uint8Array {
  return new Uint8Array(bits.flatMap((b) => [b & 0xff, b >> 8]));
}

function bitsOf(bytes: Uint8Array): number[] {
  const out: number[] = [];
  for (let i = 0; i < bytes.length; i += 2) out.push((bytes[i] as number) | ((bytes[i + 1] as number) << 8));
  return out;
}

describe('decodeTensor BF16', () => {
  it('decodes hand-derived golden words', () => {
    const v = decodeTensor(words(0x3f80, 0xc000, 0x0000, 0x8000, 0x7f80, 0xff80, 0x3fc0, 0x4049), 'BF16');
    expect(Array.from(v.slice(0, 7))).toEqual([1, -2, 0, -0, Infinity, -Infinity, 1.5]);
    expect(Object.is(v[3], -0)).toBe(true);
    expect(v[7]).toBe(3.140625); // 0x4049: 2 * (1 + 0x49/128)
  });

  it('decodes subnormals and NaN', () => {
    const v = decodeTensor(words(0x0001, 0x807f, 0x7fc0, 0x7f81), 'BF16');
    expect(v[0]).toBe(2 ** -133);
    expect(v[1]).toBe(-127 * 2 ** -133);
    expect(Number.isNaN(v[2])).toBe(true);
    expect(Number.isNaN(v[3])).toBe(true); // signalling pattern stays NaN
  });

  it('reads an unaligned view without shifting values', () => {
    const backing = new Uint8Array(9);
    backing.set(words(0x3f80, 0x4000, 0xbf80, 0x4040), 1);
    const v = decodeTensor(backing.subarray(1), 'BF16', 4);
    expect(Array.from(v)).toEqual([1, 2, -1, 3]);
  });
});

describe('decodeTensor F16', () => {
  it('decodes hand-derived golden words', () => {
    const v = decodeTensor(
      words(0x3c00, 0x7bff, 0x0001, 0x8000, 0x7c00, 0xfc00, 0x03ff, 0x0400, 0xc000, 0x3555),
      'F16',
    );
    expect(v[0]).toBe(1);
    expect(v[1]).toBe(65504);
    expect(v[2]).toBe(2 ** -24);
    expect(Object.is(v[3], -0)).toBe(true);
    expect(v[4]).toBe(Infinity);
    expect(v[5]).toBe(-Infinity);
    expect(v[6]).toBe(1023 * 2 ** -24); // largest subnormal
    expect(v[7]).toBe(2 ** -14); // smallest normal
    expect(v[8]).toBe(-2);
    expect(v[9]).toBe(0.333251953125); // nearest half to 1/3
  });

  it('decodes NaN patterns and an unaligned view', () => {
    const backing = new Uint8Array(7);
    backing.set(words(0x7e00, 0xfd01, 0x3c00), 1);
    const v = decodeTensor(backing.subarray(1), 'F16');
    expect(Number.isNaN(v[0])).toBe(true);
    expect(Number.isNaN(v[1])).toBe(true);
    expect(v[2]).toBe(1);
  });

  it('decodes every finite half exactly (round trip through the encoder)', () => {
    const all = new Uint8Array(65536 * 2);
    for (let b = 0; b < 65536; b++) {
      all[2 * b] = b & 0xff;
      all[2 * b + 1] = b >> 8;
    }
    const decoded = decodeTensor(all, 'F16');
    const back = bitsOf(encodeF16(decoded));
    for (let b = 0; b < 65536; b++) {
      if ((b & 0x7c00) === 0x7c00 && (b & 0x3ff) !== 0) expect(back[b]).toBe(0x7e00);
      else if (back[b] !== b) throw new Error(`half 0x${b.toString(16)} did not round-trip`);
    }
  });
});

describe('decodeTensor F32 and errors', () => {
  it('decodes F32 from an unaligned view', () => {
    const backing = new Uint8Array(13);
    backing.set(encodeF32([1.5, -0.1, 3e38]), 1);
    expect(Array.from(decodeTensor(backing.subarray(1), 'F32'))).toEqual([1.5, Math.fround(-0.1), Math.fround(3e38)]);
  });

  it('throws clear errors', () => {
    expect(() => decodeTensor(new Uint8Array(3), 'BF16')).toThrow(/multiple of 2 bytes, got 3/);
    expect(() => decodeTensor(new Uint8Array(6), 'F32')).toThrow(/multiple of 4 bytes/);
    expect(() => decodeTensor(new Uint8Array(8), 'I64')).toThrow(/Cannot decode dtype "I64"/);
    expect(() => decodeTensor(new Uint8Array(8), 'F16', 3)).toThrow(/Expected 3 F16 elements/);
    expect(() => dtypeBytes('Q4')).toThrow(/Unknown safetensors dtype/);
  });

  it('decodes empty tensors and knows dtype sizes', () => {
    expect(decodeTensor(new Uint8Array(0), 'BF16').length).toBe(0);
    expect([dtypeBytes('BF16'), dtypeBytes('F16'), dtypeBytes('F32'), dtypeBytes('F64'), dtypeBytes('U8')]).toEqual([
      2, 2, 4, 8, 1,
    ]);
  });
});

describe('encoders round to nearest even', () => {
  it('BF16 ties go to the even mantissa', () => {
    // 1 + 2^-8 lies halfway between 1 (even) and 1 + 2^-7 (odd)
    expect(bitsOf(encodeBf16([1 + 2 ** -8]))).toEqual([0x3f80]);
    // 1 + 3·2^-8 lies halfway between 1 + 2^-7 (odd) and 1 + 2^-6 (even)
    expect(bitsOf(encodeBf16([1 + 3 * 2 ** -8]))).toEqual([0x3f82]);
    // just above a tie rounds up
    expect(bitsOf(encodeBf16([1 + 2 ** -8 + 2 ** -30]))).toEqual([0x3f81]);
  });

  it('BF16 rounds from float64 directly, avoiding double rounding', () => {
    // Math.fround would land exactly on the tie 1 + 2^-8 and then round down to 1.0
    expect(bitsOf(encodeBf16([1 + 2 ** -8 + 2 ** -40]))).toEqual([0x3f81]);
  });

  it('BF16 handles signs, specials, overflow and subnormals', () => {
    expect(
      bitsOf(encodeBf16([-0, 0, Infinity, -Infinity, NaN, -2, 3.4e38, 2 ** -133, 2 ** -134, -(2 ** -134) * 1.5])),
    ).toEqual([0x8000, 0x0000, 0x7f80, 0xff80, 0x7fc0, 0xc000, 0x7f80, 0x0001, 0x0000, 0x8001]);
  });

  it('F16 ties, overflow threshold and subnormals', () => {
    expect(bitsOf(encodeF16([1 + 2 ** -11, 1 + 3 * 2 ** -11]))).toEqual([0x3c00, 0x3c02]);
    expect(bitsOf(encodeF16([65504, 65519.99, 65520, -65520]))).toEqual([0x7bff, 0x7bff, 0x7c00, 0xfc00]);
    expect(bitsOf(encodeF16([2 ** -24, 2 ** -25, 2 ** -25 * 1.0001, 3 * 2 ** -25, 2 ** -14 - 2 ** -25]))).toEqual([
      0x0001, 0x0000, 0x0001, 0x0002, 0x0400,
    ]);
  });

  it('round-trips random BF16 bit patterns', () => {
    let seed = 12345;
    const patterns: number[] = [];
    while (patterns.length < 5000) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      const b = seed >>> 16;
      if ((b & 0x7f80) !== 0x7f80) patterns.push(b); // skip inf/NaN
    }
    const decoded = decodeTensor(words(...patterns), 'BF16');
    expect(bitsOf(encodeBf16(decoded))).toEqual(patterns);
  });

  it('encodeBf16 stays within half an ulp on γ-like values', () => {
    const values = Array.from({ length: 2000 }, (_, i) => 0.5 + Math.sin(i) * 0.3);
    const decoded = decodeTensor(encodeBf16(values), 'BF16');
    values.forEach((x, i) => expect(Math.abs((decoded[i] as number) - x)).toBeLessThanOrEqual(bf16Ulp(x) / 2));
  });
});

describe('ulp helpers', () => {
  it('BF16 ulp', () => {
    expect(bf16Ulp(1)).toBe(2 ** -7);
    expect(bf16Ulp(1.99)).toBe(2 ** -7);
    expect(bf16Ulp(-2)).toBe(2 ** -6);
    expect(bf16Ulp(0.75)).toBe(2 ** -8);
    expect(bf16Ulp(0)).toBe(2 ** -133);
    expect(bf16Ulp(1e-40)).toBe(2 ** -133);
    expect(bf16Ulp(Infinity)).toBeNaN();
  });

  it('F16 ulp', () => {
    expect(f16Ulp(1)).toBe(2 ** -10);
    expect(f16Ulp(65504)).toBe(32);
    expect(f16Ulp(1e-6)).toBe(2 ** -24);
    expect(f16Ulp(0)).toBe(2 ** -24);
    expect(f16Ulp(1e6)).toBe(Infinity);
    expect(f16Ulp(NaN)).toBeNaN();
  });
});
