// Tensor bytes of the synthetic repos: values encoded in a storage dtype, and cheap placeholder
// matrices (pooled random bytes) for the weights no view reads.
import { decodeTensor, encodeBf16, encodeF16, encodeF32 } from '../../src/core/dtypes.ts';
import type { SerializableTensor } from '../../src/core/safetensors.ts';
import type { NormDtype } from '../../src/core/types.ts';
import { createRng, type Rng } from './random.ts';

/** Encodes values in a storage dtype (via src/core/dtypes.ts). */
export function encodeValues(values: Float32Array, dtype: NormDtype): Uint8Array {
  if (dtype === 'BF16') return encodeBf16(values);
  if (dtype === 'F16') return encodeF16(values);
  return encodeF32(values);
}

/** The values a reader will decode after storage in `dtype`. */
export function roundTo(values: Float32Array, dtype: NormDtype): Float32Array {
  return decodeTensor(encodeValues(values, dtype), dtype);
}

export function randomMatrix(rng: Rng, n: number, scale: number): Float32Array {
  const v = new Float32Array(n);
  for (let i = 0; i < n; i++) v[i] = (rng.next() * 2 - 1) * scale;
  return v;
}

export function tensor(name: string, dtype: NormDtype, shape: number[], values: Float32Array): SerializableTensor {
  return { name, dtype, shape, data: encodeValues(values, dtype) };
}

/**
 * Bytes of a placeholder (non-norm) tensor: small random values written straight as bit patterns.
 * Much faster than encoding through floats, and nobody reads these values.
 */
function placeholderBytes(rng: Rng, n: number, dtype: NormDtype): Uint8Array {
  if (dtype === 'F32') {
    const out = new Uint8Array(n * 4);
    for (let i = 0; i < n; i++) {
      const r = rng.uint32();
      // |x| in [2^-13, 2^-5): biased exponent 114..121, 23 random mantissa bits
      const bits = ((r & 0x80000000) | ((114 + ((r >>> 23) & 7)) << 23) | (r & 0x7fffff)) >>> 0;
      out[4 * i] = bits & 0xff;
      out[4 * i + 1] = (bits >>> 8) & 0xff;
      out[4 * i + 2] = (bits >>> 16) & 0xff;
      out[4 * i + 3] = bits >>> 24;
    }
    return out;
  }
  const out = new Uint8Array(n * 2);
  const bf16 = dtype === 'BF16';
  for (let i = 0; i < n; i += 2) {
    const r = rng.uint32();
    for (let k = 0; k < 2 && i + k < n; k++) {
      const h = k === 0 ? r & 0xffff : r >>> 16;
      const bits = bf16
        ? (h & 0x8000) | ((114 + ((h >>> 7) & 7)) << 7) | (h & 0x7f) // |x| ≈ 2^-13 … 2^-6
        : (h & 0x8000) | ((2 + ((h >>> 10) & 7)) << 10) | (h & 0x3ff); // |x| ≈ 2^-13 … 2^-5
      out[2 * (i + k)] = bits & 0xff;
      out[2 * (i + k) + 1] = bits >>> 8;
    }
  }
  return out;
}

const POOL_ELEMENTS = 1 << 19;
const pools = new Map<NormDtype, Uint8Array>();

/**
 * A placeholder tensor: a slice of a fixed pool of random values, starting at an offset drawn
 * from the tensor's name. Deterministic, different per tensor, and only a memory copy.
 */
export function placeholder(rng: Rng, name: string, dtype: NormDtype, shape: number[]): SerializableTensor {
  let pool = pools.get(dtype);
  if (!pool) {
    pool = placeholderBytes(createRng(`placeholder-pool/${dtype}`), POOL_ELEMENTS, dtype);
    pools.set(dtype, pool);
  }
  const size = dtype === 'F32' ? 4 : 2;
  const n = shape.reduce((a, b) => a * b, 1);
  const data = new Uint8Array(n * size);
  let from = rng.fork(name).int(POOL_ELEMENTS) * size;
  for (let at = 0; at < data.length;) {
    const take = Math.min(data.length - at, pool.length - from);
    data.set(pool.subarray(from, from + take), at);
    at += take;
    from = 0;
  }
  return { name, dtype, shape, data };
}
