// Exact decoding of safetensors storage dtypes to Float32, the matching encoders used by
// the demo and test generators, and ulp helpers for rounding analysis (docs/methods.md §0.4).

/** Bytes per element of every fixed-width safetensors dtype. */
const DTYPE_BYTES: Readonly<Record<string, number>> = {
  BOOL: 1,
  U8: 1,
  I8: 1,
  F8_E4M3: 1,
  F8_E5M2: 1,
  I16: 2,
  U16: 2,
  F16: 2,
  BF16: 2,
  I32: 4,
  U32: 4,
  F32: 4,
  I64: 8,
  U64: 8,
  F64: 8,
};

/** Size in bytes of one element of a safetensors dtype; throws for unknown dtypes. */
export function dtypeBytes(dtype: string): number {
  const size = DTYPE_BYTES[dtype];
  if (size === undefined) throw new Error(`Unknown safetensors dtype "${dtype}".`);
  return size;
}

const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Reverse each element's bytes in place (only on big-endian hosts, which no browser is). */
function swapBytes(bytes: Uint8Array, elementSize: number): void {
  for (let i = 0; i < bytes.length; i += elementSize) bytes.subarray(i, i + elementSize).reverse();
}

/** Decode little-endian BF16, F16 or F32 bytes exactly to Float32. */
export function decodeTensor(bytes: Uint8Array, dtype: string, count?: number): Float32Array {
  if (dtype !== 'BF16' && dtype !== 'F16' && dtype !== 'F32') {
    throw new Error(`Cannot decode dtype "${dtype}": only BF16, F16 and F32 norm weights are supported.`);
  }
  const size = dtypeBytes(dtype);
  if (bytes.byteLength % size !== 0) {
    throw new Error(`A ${dtype} tensor needs a multiple of ${size} bytes, got ${bytes.byteLength}.`);
  }
  const n = bytes.byteLength / size;
  if (count !== undefined && count !== n) {
    throw new Error(`Expected ${count} ${dtype} elements (${count * size} bytes), got ${bytes.byteLength} bytes.`);
  }
  // A tensor inside a merged range read can start at an odd offset; typed views need alignment.
  const aligned = bytes.byteOffset % size === 0 && LITTLE_ENDIAN_HOST;
  const source = aligned ? bytes : bytes.slice();
  if (!LITTLE_ENDIAN_HOST) swapBytes(source, size);
  const out = new Float32Array(n);
  if (dtype === 'F32') {
    out.set(new Float32Array(source.buffer, source.byteOffset, n));
  } else if (dtype === 'BF16') {
    const halves = new Uint16Array(source.buffer, source.byteOffset, n);
    const outBits = new Uint32Array(out.buffer);
    // BF16 is the top half of an F32: shifting the bits keeps -0, inf and NaN payloads.
    for (let i = 0; i < n; i++) outBits[i] = (halves[i] as number) << 16;
  } else {
    const halves = new Uint16Array(source.buffer, source.byteOffset, n);
    for (let i = 0; i < n; i++) out[i] = f16BitsToNumber(halves[i] as number);
  }
  return out;
}

const scratch = new DataView(new ArrayBuffer(8));

/** IEEE binary16 → number, exact (every half is representable in float32/64). */
export function f16BitsToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const mantissa = bits & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24; // zero and subnormals
  if (exponent === 0x1f) return mantissa === 0 ? sign * Infinity : NaN;
  return sign * (1024 + mantissa) * 2 ** (exponent - 25);
}

/** A binary floating-point storage format: explicit mantissa bits and exponent range. */
interface FloatFormat {
  mantissaBits: number;
  exponentBits: number;
  minExponent: number;
  maxExponent: number;
  nanBits: number;
}

const BF16: FloatFormat = { mantissaBits: 7, exponentBits: 8, minExponent: -126, maxExponent: 127, nanBits: 0x7fc0 };
const F16: FloatFormat = { mantissaBits: 10, exponentBits: 5, minExponent: -14, maxExponent: 15, nanBits: 0x7e00 };

/** floor(log2 |x|) for finite non-zero x, from the float64 bits (Math.log2 can be off by one). */
function binaryExponent(x: number): number {
  scratch.setFloat64(0, x);
  // float64 subnormals come out as -1023; every caller clamps to a much larger minimum exponent
  return ((scratch.getUint16(0) >> 4) & 0x7ff) - 1023;
}

/**
 * Round a number straight from float64 to a 16-bit format with round-to-nearest-even.
 * Going through Math.fround first would round twice and can break ties the wrong way.
 */
function encodeBits(x: number, format: FloatFormat): number {
  const { mantissaBits: m, exponentBits, minExponent, maxExponent } = format;
  const signBit = x < 0 || Object.is(x, -0) ? 1 << (m + exponentBits) : 0;
  if (Number.isNaN(x)) return format.nanBits;
  const magnitude = Math.abs(x);
  const infinityBits = signBit | (((1 << exponentBits) - 1) << m);
  if (magnitude === Infinity) return infinityBits;
  if (magnitude === 0) return signBit;
  let exponent = Math.max(binaryExponent(magnitude), minExponent);
  const scaled = magnitude * 2 ** (m - exponent); // exact: a power-of-two scaling
  let significand = Math.floor(scaled);
  const remainder = scaled - significand;
  if (remainder > 0.5 || (remainder === 0.5 && significand % 2 === 1)) significand += 1;
  if (significand === 2 << m) {
    significand = 1 << m;
    exponent += 1;
  }
  if (exponent > maxExponent) return infinityBits;
  if (significand < 1 << m) return signBit | significand; // subnormal (or rounded to zero)
  const biasedExponent = exponent - minExponent + 1;
  return signBit | (biasedExponent << m) | (significand - (1 << m));
}

function encode16(values: ArrayLike<number>, format: FloatFormat): Uint8Array {
  const out = new Uint8Array(values.length * 2);
  for (let i = 0; i < values.length; i++) {
    const bits = encodeBits(values[i] as number, format);
    out[2 * i] = bits & 0xff;
    out[2 * i + 1] = bits >> 8;
  }
  return out;
}

/** Little-endian BF16 bytes, rounded to nearest even. */
export function encodeBf16(values: ArrayLike<number>): Uint8Array {
  return encode16(values, BF16);
}

/** Little-endian F16 bytes, rounded to nearest even (overflow → ±inf). */
export function encodeF16(values: ArrayLike<number>): Uint8Array {
  return encode16(values, F16);
}

/** Little-endian F32 bytes (JS rounding to float32 is already round-to-nearest-even). */
export function encodeF32(values: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(values.length * 4);
  const view = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(4 * i, values[i] as number, true);
  return out;
}

/** Spacing of the format's grid in the binade holding |x|; the smallest subnormal at 0. */
function ulp(x: number, format: FloatFormat): number {
  if (!Number.isFinite(x)) return NaN;
  const magnitude = Math.abs(x);
  const exponent = magnitude === 0 ? format.minExponent : Math.max(binaryExponent(magnitude), format.minExponent);
  if (exponent > format.maxExponent) return Infinity; // beyond the largest finite value
  return 2 ** (exponent - format.mantissaBits);
}

/** Unit in the last place of BF16 at |x| (2^-133 at 0; NaN for ±inf/NaN). */
export function bf16Ulp(x: number): number {
  return ulp(x, BF16);
}

/** Unit in the last place of F16 at |x| (2^-24 at 0; NaN for ±inf/NaN). */
export function f16Ulp(x: number): number {
  return ulp(x, F16);
}
