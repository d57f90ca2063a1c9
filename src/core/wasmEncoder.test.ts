import { describe, expect, it } from 'vitest';
import { Code, ValueType, encodeModule, signedLeb128, unsignedLeb128 } from './wasmEncoder';

describe('wasmEncoder', () => {
  it('encodes LEB128 like the spec examples', () => {
    expect([0, 127, 128, 624485, 0xffffffff].map(unsignedLeb128)).toEqual([
      [0],
      [0x7f],
      [0x80, 0x01],
      [0xe5, 0x8e, 0x26],
      [0xff, 0xff, 0xff, 0xff, 0x0f],
    ]);
    expect([0, -1, 63, 64, -64, -65, -123456].map(signedLeb128)).toEqual([
      [0],
      [0x7f],
      [0x3f],
      [0xc0, 0x00],
      [0x40],
      [0xbf, 0x7f],
      [0xc0, 0xbb, 0x78],
    ]);
    expect(() => unsignedLeb128(-1)).toThrow(/Not a u32/);
    expect(() => signedLeb128(2 ** 31)).toThrow(/Not an i32/);
  });

  it('builds a module whose loops, locals and f64x2 opcodes run as written', () => {
    // sumOfProducts(at, count): the f64x2 at byte 0 += Σ x·y over `count` (x0, x1, y) triples from `at`
    const { i32, v128 } = ValueType;
    const [at, count, sums, y] = [0, 1, 2, 3];
    const code = new Code()
      .i32Const(0)
      .v128Load()
      .set(sums)
      .block()
      .loop()
      .get(count)
      .i32Const(0)
      .i32Eq()
      .brIf(1)
      .get(at)
      .v128Load64Splat(16)
      .set(y)
      .get(sums)
      .get(at)
      .v128Load()
      .get(y)
      .f64x2Mul()
      .f64x2Add()
      .set(sums)
      .get(at)
      .i32Const(24)
      .i32Add()
      .set(at)
      .get(count)
      .i32Const(1)
      .i32Sub()
      .set(count)
      .br(0)
      .end()
      .end()
      .i32Const(0)
      .get(sums)
      .v128Store();
    const bytes = encodeModule([{ exportName: 'sumOfProducts', params: [i32, i32], locals: [v128, v128], code }]);
    expect(WebAssembly.validate(bytes)).toBe(true);
    const memory = new WebAssembly.Memory({ initial: 1 });
    const { sumOfProducts } = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } }).exports as {
      sumOfProducts: (at: number, count: number) => void;
    };
    const f64 = new Float64Array(memory.buffer);
    f64.set([0.5, -1]);
    f64.set([1, 2, 10, 3, 4, 100], 8); // triples from byte 64
    sumOfProducts(64, 2);
    expect(Array.from(f64.subarray(0, 2))).toEqual([0.5 + 10 + 300, -1 + 20 + 400]);
    sumOfProducts(64, 0);
    expect(Array.from(f64.subarray(0, 2))).toEqual([310.5, 419]);
  });
});
