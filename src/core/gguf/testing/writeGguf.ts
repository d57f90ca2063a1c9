// An independent GGUF writer for tests, written from llama.cpp's gguf_writer.py semantics and
// sharing no code with the reader: header (magic, version, counts), KV pairs, tensor infos with
// dims fastest-first, zero padding to the alignment, then each tensor's data padded to it.

export type ScalarKind =
  'u8' | 'i8' | 'u16' | 'i16' | 'u32' | 'i32' | 'f32' | 'bool' | 'u64' | 'i64' | 'f64' | 'string';

export type KvValue =
  | { kind: ScalarKind; value: number | bigint | boolean | string }
  | { kind: 'array'; of: ScalarKind; items: readonly (number | bigint | boolean | string)[] }
  | { kind: 'array'; of: 'array'; items: readonly KvValue[] };

export interface TensorToWrite {
  name: string;
  /** numpy order (slowest first), as a converter sees it */
  shape: readonly number[];
  /** ggml type id */
  type: number;
  /** exact bytes; when absent the tensor is filled with a repeating byte pattern of the right size */
  data?: Uint8Array;
}

export interface GgufToWrite {
  version?: number;
  kv: readonly (readonly [string, KvValue])[];
  tensors: readonly TensorToWrite[];
  /** alignment used for padding; write `general.alignment` in kv yourself to make it non-default */
  alignment?: number;
}

export interface WrittenTensor {
  name: string;
  /** relative to the data section */
  offset: number;
  /** absolute */
  start: number;
  end: number;
}

export interface WrittenGguf {
  bytes: Uint8Array;
  headerEnd: number;
  dataStart: number;
  tensors: WrittenTensor[];
}

// Block sizes as the GGUF spec documents them (elements per block, bytes per block).
const BLOCKS: Readonly<Record<number, readonly [number, number]>> = {
  0: [1, 4],
  1: [1, 2],
  30: [1, 2],
  28: [1, 8],
  24: [1, 1],
  26: [1, 4],
  2: [32, 18],
  3: [32, 20],
  8: [32, 34],
  20: [32, 18],
  39: [32, 17],
  10: [256, 84],
  11: [256, 110],
  12: [256, 144],
  13: [256, 176],
  14: [256, 210],
  23: [256, 136],
};

export function tensorByteSize(type: number, shape: readonly number[]): number {
  const block = BLOCKS[type];
  if (!block) throw new Error(`writeGguf: no block size for ggml type ${type}`);
  const count = shape.reduce((a, b) => a * b, 1);
  if (count % block[0] !== 0) throw new Error(`writeGguf: ${count} elements are not whole blocks of ${block[0]}`);
  return (count / block[0]) * block[1];
}

class ByteBuilder {
  private buf = new Uint8Array(1 << 16);
  private view = new DataView(this.buf.buffer);
  length = 0;
  private grow(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }
  put(kind: ScalarKind, v: number | bigint | boolean | string): void {
    if (kind === 'string') {
      const utf8 = new TextEncoder().encode(String(v));
      this.put('u64', BigInt(utf8.length));
      this.raw(utf8);
      return;
    }
    const sizes: Record<string, number> = {
      u8: 1,
      i8: 1,
      bool: 1,
      u16: 2,
      i16: 2,
      u32: 4,
      i32: 4,
      f32: 4,
      u64: 8,
      i64: 8,
      f64: 8,
    };
    const size = sizes[kind] as number;
    this.grow(size);
    const at = this.length;
    const n = Number(v);
    if (kind === 'u8' || kind === 'bool') this.view.setUint8(at, n);
    else if (kind === 'i8') this.view.setInt8(at, n);
    else if (kind === 'u16') this.view.setUint16(at, n, true);
    else if (kind === 'i16') this.view.setInt16(at, n, true);
    else if (kind === 'u32') this.view.setUint32(at, n, true);
    else if (kind === 'i32') this.view.setInt32(at, n, true);
    else if (kind === 'f32') this.view.setFloat32(at, n, true);
    else if (kind === 'f64') this.view.setFloat64(at, n, true);
    else if (kind === 'u64') this.view.setBigUint64(at, BigInt(v as number | bigint), true);
    else this.view.setBigInt64(at, BigInt(v as number | bigint), true);
    this.length += size;
  }
  raw(bytes: Uint8Array): void {
    this.grow(bytes.length);
    this.buf.set(bytes, this.length);
    this.length += bytes.length;
  }
  zeros(n: number): void {
    this.grow(n);
    this.buf.fill(0, this.length, this.length + n);
    this.length += n;
  }
  done(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

const TYPE_CODE: Record<ScalarKind | 'array', number> = {
  u8: 0,
  i8: 1,
  u16: 2,
  i16: 3,
  u32: 4,
  i32: 5,
  f32: 6,
  bool: 7,
  string: 8,
  array: 9,
  u64: 10,
  i64: 11,
  f64: 12,
};

function putValue(out: ByteBuilder, value: KvValue): void {
  if (value.kind !== 'array') {
    out.put(value.kind, value.value);
    return;
  }
  out.put('u32', TYPE_CODE[value.of]);
  out.put('u64', BigInt(value.items.length));
  for (const item of value.items) {
    if (value.of === 'array') putValue(out, item as KvValue);
    else out.put(value.of, item as number | bigint | boolean | string);
  }
}

const padTo = (n: number, align: number): number => (align - (n % align)) % align;

export function writeGguf(file: GgufToWrite): WrittenGguf {
  const align = file.alignment ?? 32;
  const out = new ByteBuilder();
  out.raw(new TextEncoder().encode('GGUF'));
  out.put('u32', file.version ?? 3);
  out.put('u64', BigInt(file.tensors.length));
  out.put('u64', BigInt(file.kv.length));
  for (const [key, value] of file.kv) {
    out.put('string', key);
    out.put('u32', TYPE_CODE[value.kind]);
    putValue(out, value);
  }
  const sizes = file.tensors.map((t) => t.data?.length ?? tensorByteSize(t.type, t.shape));
  const offsets: number[] = [];
  let offset = 0;
  file.tensors.forEach((t, i) => {
    out.put('string', t.name);
    out.put('u32', t.shape.length);
    for (const dim of [...t.shape].reverse()) out.put('u64', BigInt(dim));
    out.put('u32', t.type);
    out.put('u64', BigInt(offset));
    offsets.push(offset);
    offset += (sizes[i] as number) + padTo(sizes[i] as number, align);
  });
  const headerEnd = out.length;
  out.zeros(padTo(headerEnd, align));
  const dataStart = out.length;
  file.tensors.forEach((t, i) => {
    const size = sizes[i] as number;
    const data = t.data ?? filler(size, i);
    out.raw(data);
    out.zeros(padTo(size, align));
  });
  const tensors = file.tensors.map((t, i) => ({
    name: t.name,
    offset: offsets[i] as number,
    start: dataStart + (offsets[i] as number),
    end: dataStart + (offsets[i] as number) + (sizes[i] as number),
  }));
  return { bytes: out.done(), headerEnd, dataStart, tensors };
}

function filler(size: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 31 + seed * 7) & 0xff;
  return bytes;
}
