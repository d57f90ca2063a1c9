// Matrix rows as stored → Float32 for the deep check (issue 14). BF16 / F16 / F32 go through
// core/dtypes.ts; this adds FP8 E4M3 (`F8_E4M3`, with DeepSeek-V3 / Kimi style `weight_scale_inv`
// block scales: value = fp8 × scale_inv[row / 128][col / 128]) and GGUF Q8_0 rows (blocks of 32
// int8 with an F16 scale). Anything else is "not supported for the deep check".
import { decodeTensor, f16BitsToNumber } from './dtypes.ts';

/** FP8 block-scale tile edge as DeepSeek-V3 and Kimi K2 ship (`weight_block_size: [128, 128]`). */
export const FP8_BLOCK = 128;
const Q8_0_BLOCK = 32;
const Q8_0_BYTES = 34;

export const DEEP_DTYPES: readonly string[] = ['BF16', 'F16', 'F32', 'F8_E4M3', 'Q8_0'];

/** Bytes of one stored row of `cols` elements, or null when the dtype cannot be read by rows here. */
export function deepRowBytes(dtype: string, cols: number): number | null {
  switch (dtype) {
    case 'BF16':
    case 'F16':
      return cols * 2;
    case 'F32':
      return cols * 4;
    case 'F8_E4M3':
      return cols;
    case 'Q8_0':
      return cols % Q8_0_BLOCK === 0 ? (cols / Q8_0_BLOCK) * Q8_0_BYTES : null;
    default:
      return null;
  }
}

/** Message for a tensor whose dtype the deep check does not read. */
export function unsupportedDtypeMessage(name: string, dtype: string): string {
  return `${name} is stored as ${dtype}; the deep check reads BF16, F16, F32, FP8 E4M3 (block-scaled) and GGUF Q8_0 only.`;
}

/** E4M3 (fn: no infinities, S.1111.111 = NaN) → number, for all 256 bit patterns. */
export function f8e4m3ToNumber(bits: number): number {
  const sign = bits & 0x80 ? -1 : 1;
  const exp = (bits >> 3) & 0xf;
  const man = bits & 7;
  if (exp === 15 && man === 7) return NaN;
  if (exp === 0) return sign * (man / 8) * 2 ** -6;
  return sign * (1 + man / 8) * 2 ** (exp - 7);
}

const F8_TABLE = Float32Array.from({ length: 256 }, (_, b) => f8e4m3ToNumber(b));

/** Nearest E4M3 bit pattern (ties to even mantissa), saturating at ±448; for generators and tests. */
export function numberToF8e4m3(x: number): number {
  if (Number.isNaN(x)) return 0x7f;
  const sign = x < 0 || Object.is(x, -0) ? 0x80 : 0;
  let best = 0;
  let bestErr = Infinity;
  const a = Math.min(Math.abs(x), 448);
  // 127 non-negative finite patterns: a linear scan is plenty for generators
  for (let b = 0; b < 0x7f; b++) {
    const err = Math.abs((F8_TABLE[b] as number) - a);
    if (err < bestErr || (err === bestErr && (b & 1) === 0)) {
      best = b;
      bestErr = err;
    }
  }
  return sign | best;
}

export interface DecodeRowsArgs {
  bytes: Uint8Array;
  dtype: string;
  rows: number;
  cols: number;
  /** FP8 only: the row ids read (to pick each row's scale row) … */
  rowIds?: ArrayLike<number>;
  /** … and the scale rows, by scale-row index (row id / 128), each ceil(cols / 128) F32 values */
  scaleRows?: ReadonlyMap<number, Float32Array>;
}

function decodeQ8_0(bytes: Uint8Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows * cols);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const blocks = (rows * cols) / Q8_0_BLOCK;
  for (let k = 0; k < blocks; k++) {
    const at = k * Q8_0_BYTES;
    const d = f16BitsToNumber(view.getUint16(at, true));
    for (let j = 0; j < Q8_0_BLOCK; j++) out[k * Q8_0_BLOCK + j] = d * view.getInt8(at + 2 + j);
  }
  return out;
}

function decodeF8(a: DecodeRowsArgs): Float32Array {
  const { bytes, rows, cols } = a;
  const out = new Float32Array(rows * cols);
  for (let i = 0; i < rows * cols; i++) out[i] = F8_TABLE[bytes[i] as number] as number;
  if (!a.scaleRows) return out;
  for (let r = 0; r < rows; r++) {
    const id = a.rowIds ? (a.rowIds[r] as number) : r;
    const scale = a.scaleRows.get(Math.floor(id / FP8_BLOCK));
    if (!scale) throw new Error(`FP8 row ${id} has no block-scale row ${Math.floor(id / FP8_BLOCK)}.`);
    for (let c = 0; c < cols; c++) out[r * cols + c]! *= scale[Math.floor(c / FP8_BLOCK)] as number;
  }
  return out;
}

/** Stored rows (row-major, `rows` whole rows) → Float32 values, block scales applied. */
export function decodeRows(a: DecodeRowsArgs): Float32Array {
  const rowBytes = deepRowBytes(a.dtype, a.cols);
  if (rowBytes === null) throw new Error(unsupportedDtypeMessage('a tensor', a.dtype));
  if (a.bytes.byteLength !== rowBytes * a.rows)
    throw new Error(`Expected ${a.rows} rows of ${rowBytes} bytes (${a.dtype}), got ${a.bytes.byteLength} bytes.`);
  if (a.dtype === 'Q8_0') return decodeQ8_0(a.bytes, a.rows, a.cols);
  if (a.dtype === 'F8_E4M3') return decodeF8(a);
  return decodeTensor(a.bytes, a.dtype, a.rows * a.cols);
}

/** Values → Q8_0 blocks as llama.cpp quantizes them (d = max|x| / 127, q = round(x / d)); for generators and tests. */
export function encodeQ8_0(values: ArrayLike<number>, encodeF16: (v: number[]) => Uint8Array): Uint8Array {
  if (values.length % Q8_0_BLOCK !== 0) throw new RangeError('Q8_0 needs a multiple of 32 values');
  const out = new Uint8Array((values.length / Q8_0_BLOCK) * Q8_0_BYTES);
  for (let k = 0; k < values.length / Q8_0_BLOCK; k++) {
    let amax = 0;
    for (let j = 0; j < Q8_0_BLOCK; j++) amax = Math.max(amax, Math.abs(values[k * Q8_0_BLOCK + j] as number));
    const dBytes = encodeF16([amax / 127]);
    const d = f16BitsToNumber((dBytes[0] as number) | ((dBytes[1] as number) << 8));
    out.set(dBytes, k * Q8_0_BYTES);
    for (let j = 0; j < Q8_0_BLOCK; j++) {
      const q = d === 0 ? 0 : Math.max(-127, Math.min(127, Math.round((values[k * Q8_0_BLOCK + j] as number) / d)));
      out[k * Q8_0_BYTES + 2 + j] = q & 0xff;
    }
  }
  return out;
}
