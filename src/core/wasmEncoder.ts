// A tiny WebAssembly binary builder: just the sections and opcodes the SIMD dot kernel needs.
// Encoding the module from named instructions keeps the kernel reviewable in source, with no
// toolchain at build time and no opaque byte blob (spec: https://webassembly.github.io/spec/core/binary/).

export const ValueType = { i32: 0x7f, v128: 0x7b } as const;
export type ValueType = (typeof ValueType)[keyof typeof ValueType];

/** Unsigned LEB128, the varint used for sizes, indices and memory offsets. */
export function unsignedLeb128(value: number): number[] {
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) throw new Error(`Not a u32: ${value}.`);
  const bytes: number[] = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value !== 0) byte |= 0x80;
    bytes.push(byte);
  } while (value !== 0);
  return bytes;
}

/** Signed LEB128, used by i32.const. */
export function signedLeb128(value: number): number[] {
  if (!Number.isInteger(value) || value < -(2 ** 31) || value >= 2 ** 31) throw new Error(`Not an i32: ${value}.`);
  const bytes: number[] = [];
  for (;;) {
    const byte = value & 0x7f;
    value >>= 7;
    const done = (value === 0 && (byte & 0x40) === 0) || (value === -1 && (byte & 0x40) !== 0);
    bytes.push(done ? byte : byte | 0x80);
    if (done) return bytes;
  }
}

/** A length-prefixed vector of already encoded items. */
function vector(items: number[][]): number[] {
  return [...unsignedLeb128(items.length), ...items.flat()];
}

function utf8Name(name: string): number[] {
  const bytes = [...new TextEncoder().encode(name)];
  return [...unsignedLeb128(bytes.length), ...bytes];
}

function section(id: number, content: number[]): number[] {
  return [id, ...unsignedLeb128(content.length), ...content];
}

/** log2 of the natural alignment, the memarg's first field (a hint only; unaligned access still works). */
const ALIGN_8 = 3,
  ALIGN_16 = 4;
const SIMD_PREFIX = 0xfd;

/**
 * Instructions of one function body, appended in order. Each method emits one instruction;
 * structured control (block/loop) must be closed with end(), as in the text format.
 */
export class Code {
  readonly bytes: number[] = [];

  private emit(...bytes: number[]): this {
    this.bytes.push(...bytes);
    return this;
  }
  private simd(opcode: number, ...immediates: number[]): this {
    return this.emit(SIMD_PREFIX, ...unsignedLeb128(opcode), ...immediates);
  }

  // control: `block` branches to its end, `loop` branches back to its start
  block(): this {
    return this.emit(0x02, 0x40);
  }
  loop(): this {
    return this.emit(0x03, 0x40);
  }
  end(): this {
    return this.emit(0x0b);
  }
  br(depth: number): this {
    return this.emit(0x0c, ...unsignedLeb128(depth));
  }
  brIf(depth: number): this {
    return this.emit(0x0d, ...unsignedLeb128(depth));
  }

  // locals
  get(local: number): this {
    return this.emit(0x20, ...unsignedLeb128(local));
  }
  set(local: number): this {
    return this.emit(0x21, ...unsignedLeb128(local));
  }

  // i32 arithmetic
  i32Const(value: number): this {
    return this.emit(0x41, ...signedLeb128(value));
  }
  i32Eqz(): this {
    return this.emit(0x45);
  }
  i32Eq(): this {
    return this.emit(0x46);
  }
  i32Add(): this {
    return this.emit(0x6a);
  }
  i32Sub(): this {
    return this.emit(0x6b);
  }

  // SIMD memory access (address on the stack, plus a constant byte offset) and f64x2 arithmetic
  v128Load(offset = 0): this {
    return this.simd(0x00, ALIGN_16, ...unsignedLeb128(offset));
  }
  /** One f64 from memory copied into both lanes. */
  v128Load64Splat(offset = 0): this {
    return this.simd(0x0a, ALIGN_8, ...unsignedLeb128(offset));
  }
  v128Store(offset = 0): this {
    return this.simd(0x0b, ALIGN_16, ...unsignedLeb128(offset));
  }
  f64x2Add(): this {
    return this.simd(0xf0);
  }
  f64x2Mul(): this {
    return this.simd(0xf2);
  }
}

export interface FunctionDefinition {
  exportName: string;
  params: ValueType[];
  /** Extra locals after the params, numbered from params.length. */
  locals: ValueType[];
  code: Code;
}

/**
 * A module that imports its linear memory as env.memory (so the host can grow and view it) and
 * exports the given functions, none of which return a value.
 */
export function encodeModule(functions: FunctionDefinition[], minimumMemoryPages = 1): Uint8Array<ArrayBuffer> {
  const functionTypes = functions.map((f) => [0x60, ...vector(f.params.map((t) => [t])), ...vector([])]);
  const memoryImport = [...utf8Name('env'), ...utf8Name('memory'), 0x02, 0x00, ...unsignedLeb128(minimumMemoryPages)];
  const bodies = functions.map((f) => {
    // locals are run-length encoded: (count, type) for each run of equal types
    const runs: number[][] = [];
    for (const type of f.locals) {
      const last = runs[runs.length - 1];
      if (last && last[1] === type) last[0]! += 1;
      else runs.push([1, type]);
    }
    const body = [
      ...vector(runs.map(([count, type]) => [...unsignedLeb128(count as number), type as number])),
      ...f.code.bytes,
      0x0b,
    ];
    return [...unsignedLeb128(body.length), ...body];
  });
  return new Uint8Array([
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00, // "\0asm", version 1
    ...section(1, vector(functionTypes)), // types: one per function
    ...section(2, vector([memoryImport])), // imports
    ...section(3, vector(functions.map((_, i) => unsignedLeb128(i)))), // function i has type i
    ...section(7, vector(functions.map((f, i) => [...utf8Name(f.exportName), 0x00, ...unsignedLeb128(i)]))), // exports
    ...section(10, vector(bodies)), // code
  ]);
}
