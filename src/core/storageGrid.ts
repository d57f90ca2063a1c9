// The grids that checkpoints store values on (BF16, F16, F32): codes, neighbours and rounding cells.
// A stored value stands for every real number that rounds to it, its cell between the midpoints to
// its neighbours; the fine-tune diff reads updates through these cells.
import { encodeF16, f16BitsToNumber } from './dtypes';

export type StorageGrid = 'BF16' | 'F16' | 'F32';

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
const SIGN = { BF16: 0x8000, F16: 0x8000, F32: 0x80000000 } as const;
const MANTISSA = { BF16: 0x7f, F16: 0x3ff, F32: 0x7fffff } as const;

/** Stored codes of decoded values: BF16 is the top half of the f32, F16 re-encodes exactly. */
export function storageCodes(v: Float32Array, grid: StorageGrid): Uint32Array {
  const bits = new Uint32Array(v.buffer, v.byteOffset, v.length); // a view: read only
  if (grid === 'F32') return bits;
  const codes = new Uint32Array(v.length);
  if (grid === 'BF16') {
    for (let i = 0; i < v.length; i++) codes[i] = bits[i]! >>> 16;
    return codes;
  }
  const bytes = encodeF16(v);
  for (let i = 0; i < v.length; i++) codes[i] = bytes[2 * i]! | (bytes[2 * i + 1]! << 8);
  return codes;
}

/** Codes → integers ordered like the values, adjacent grid values one apart (±0 → 0). */
export const ordinal = (code: number, grid: StorageGrid): number => (code >= SIGN[grid] ? -(code - SIGN[grid]) : code);

export function valueAt(ord: number, grid: StorageGrid): number {
  const code = ord >= 0 ? ord : SIGN[grid] + -ord;
  if (grid === 'F16') return f16BitsToNumber(code);
  u32[0] = grid === 'BF16' ? code << 16 : code;
  return f32[0]!;
}

/** Distances to the grid neighbours above and below a stored code. */
export function gapsOf(code: number, grid: StorageGrid): [up: number, down: number] {
  const o = ordinal(code, grid),
    x = valueAt(o, grid);
  return [valueAt(o + 1, grid) - x, x - valueAt(o - 1, grid)];
}

/**
 * A code standing for every code with the same gaps: sign and exponent decide the spacing; a zero
 * mantissa (gap below halves) and an all-ones one (the top value's gap above is ∞) are special.
 */
export function gapClass(code: number, grid: StorageGrid): number {
  const m = code & MANTISSA[grid];
  if (m === 0 || m === MANTISSA[grid]) return code;
  return code - m + 1;
}

/** Whether every (non-NaN) value lies on the grid. */
export function onGrid(vectors: Float32Array[], grid: StorageGrid): boolean {
  if (grid === 'F32') return true;
  for (const v of vectors) {
    const codes = storageCodes(v, grid);
    for (let i = 0; i < v.length; i++) {
      if (valueAt(ordinal(codes[i]!, grid), grid) !== v[i] && !Number.isNaN(v[i])) return false;
    }
  }
  return true;
}

const asGrid = (dtype: string): StorageGrid | null =>
  dtype === 'BF16' || dtype === 'F16' || dtype === 'F32' ? dtype : null;

/** The grid the pair is stored on, if every value really lies on it; else exact F32 bits. */
export function comparisonGrid(dtypeA: string, dtypeB: string, vectors: Float32Array[]): StorageGrid {
  if (dtypeA !== dtypeB || (dtypeA !== 'BF16' && dtypeA !== 'F16')) return 'F32';
  return onGrid(vectors, dtypeA) ? dtypeA : 'F32';
}

/** The grid one model's values are stored on: its dtype's, when every value lies on it; else F32. */
export function modelGrid(dtype: string, vectors: Float32Array[]): StorageGrid {
  const grid = asGrid(dtype);
  return grid && onGrid(vectors, grid) ? grid : 'F32';
}
