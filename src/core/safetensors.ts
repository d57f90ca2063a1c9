// safetensors header parsing, validation and a small writer.
// Pure: no DOM, no fetch. Format: 8-byte little-endian u64 N, N bytes of UTF-8 JSON, then the
// byte buffer. Offsets in the JSON are relative to the buffer, which starts at file offset 8 + N.

import type { SafetensorsHeader, TensorEntry } from './types.ts';
import { groupDigits } from './format.ts';
import { isRecord } from './json.ts';

/** Largest header we accept (same cap as huggingface.js and huggingface_hub). */
export const MAX_HEADER_BYTES = 25_000_000;

/** A file (or a part of one) that is not a valid safetensors file. The message is for users. */
export class SafetensorsFormatError extends Error {
  override name = 'SafetensorsFormatError';
}

/**
 * Bits per element of every dtype we know, in the Rust crate's enum order
 * (increasing alignment), followed by the extra names huggingface.js accepts.
 */
const RUST_DTYPE_ORDER: readonly (readonly [string, number])[] = [
  ['BOOL', 8],
  ['F4', 4],
  ['F6_E2M3', 6],
  ['F6_E3M2', 6],
  ['U8', 8],
  ['I8', 8],
  ['F8_E5M2', 8],
  ['F8_E4M3', 8],
  ['F8_E8M0', 8],
  ['F8_E4M3FNUZ', 8],
  ['F8_E5M2FNUZ', 8],
  ['I16', 16],
  ['U16', 16],
  ['F16', 16],
  ['BF16', 16],
  ['I32', 32],
  ['U32', 32],
  ['F32', 32],
  ['C64', 64],
  ['F64', 64],
  ['I64', 64],
  ['U64', 64],
];

/** Extra dtypes seen in the wild; each sorts like the Rust dtype it stands for. */
const EXTRA_DTYPES: Record<string, { bits: number; sortsLike: string }> = {
  E8M0: { bits: 8, sortsLike: 'F8_E8M0' },
  FP4: { bits: 4, sortsLike: 'F4' },
  UE8: { bits: 8, sortsLike: 'U8' },
};

const DTYPE_BITS = new Map<string, number>(RUST_DTYPE_ORDER);
const DTYPE_RANK = new Map<string, number>(RUST_DTYPE_ORDER.map(([name], i) => [name, i]));
for (const [name, extra] of Object.entries(EXTRA_DTYPES)) {
  DTYPE_BITS.set(name, extra.bits);
  DTYPE_RANK.set(name, DTYPE_RANK.get(extra.sortsLike) ?? 0);
}

/** Bits per element of a safetensors dtype, or undefined when unknown. */
export function dtypeBits(dtype: string): number | undefined {
  return DTYPE_BITS.get(dtype);
}

/** Printable preview of bytes that may be text (for "this looks like HTML" hints). */
function looksLikeText(bytes: Uint8Array): string | null {
  for (const b of bytes) {
    if (b < 0x09 || (b > 0x0d && b < 0x20) || b > 0x7e) return null;
  }
  return String.fromCharCode(...bytes);
}

/**
 * Reads N, the header length, from the first 8 bytes of a safetensors file.
 * Rejects lengths above MAX_HEADER_BYTES (the file is most likely not safetensors).
 */
export function readHeaderLength(first8: Uint8Array): number {
  if (first8.length < 8) {
    throw new SafetensorsFormatError(
      `The file is too short to be a safetensors file: it needs at least 8 bytes, got ${first8.length}.`,
    );
  }
  const view = new DataView(first8.buffer, first8.byteOffset, 8);
  const n = view.getBigUint64(0, true);
  const text = looksLikeText(first8.subarray(0, 8));
  const hint =
    text !== null
      ? ` Its first bytes read "${text}", so this is probably a text or HTML page, not a safetensors file.`
      : '';
  if (n > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new SafetensorsFormatError(
      `The safetensors header length field is ${n}, which is impossibly large; the file is corrupted or not a safetensors file.${hint}`,
    );
  }
  const length = Number(n);
  if (length > MAX_HEADER_BYTES) {
    throw new SafetensorsFormatError(
      `The safetensors header claims to be ${groupDigits(length)} bytes long, more than the ${groupDigits(MAX_HEADER_BYTES)}-byte limit; the file is corrupted or not a safetensors file.${hint}`,
    );
  }
  if (length < 2) {
    throw new SafetensorsFormatError(
      `The safetensors header length is ${length} bytes; a valid header is a JSON object of at least 2 bytes.`,
    );
  }
  return length;
}

function isNonNegativeSafeInteger(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

interface RawEntry {
  name: string;
  dtype: string;
  shape: number[];
  begin: number;
  end: number;
}

function validateEntry(name: string, value: unknown): RawEntry {
  const where = `tensor "${name}"`;
  if (!isRecord(value)) {
    throw new SafetensorsFormatError(`In the safetensors header, ${where} is not an object.`);
  }
  const { dtype, shape, data_offsets: offsets } = value;
  if (typeof dtype !== 'string') {
    throw new SafetensorsFormatError(`In the safetensors header, ${where} has no dtype.`);
  }
  const bits = dtypeBits(dtype);
  if (bits === undefined) {
    throw new SafetensorsFormatError(`In the safetensors header, ${where} has an unknown dtype "${dtype}".`);
  }
  if (!Array.isArray(shape) || !shape.every(isNonNegativeSafeInteger)) {
    throw new SafetensorsFormatError(
      `In the safetensors header, ${where} has an invalid shape ${JSON.stringify(shape)}; it must be a list of non-negative integers.`,
    );
  }
  if (
    !Array.isArray(offsets) ||
    offsets.length !== 2 ||
    !isNonNegativeSafeInteger(offsets[0]) ||
    !isNonNegativeSafeInteger(offsets[1])
  ) {
    throw new SafetensorsFormatError(
      `In the safetensors header, ${where} has invalid data_offsets ${JSON.stringify(offsets)}; they must be two non-negative integers [begin, end].`,
    );
  }
  const begin = offsets[0] as number;
  const end = offsets[1] as number;
  if (end < begin) {
    throw new SafetensorsFormatError(
      `In the safetensors header, ${where} ends (at ${groupDigits(end)}) before it begins (at ${groupDigits(begin)}).`,
    );
  }
  let numel = 1;
  for (const dim of shape as number[]) {
    numel *= dim;
    if (!Number.isSafeInteger(numel)) {
      throw new SafetensorsFormatError(`In the safetensors header, ${where} has a shape too large to be real.`);
    }
  }
  const totalBits = numel * bits;
  if (!Number.isSafeInteger(totalBits) || totalBits % 8 !== 0) {
    throw new SafetensorsFormatError(
      `In the safetensors header, ${where} (${dtype}, shape [${(shape as number[]).join(', ')}]) does not fill a whole number of bytes.`,
    );
  }
  const expected = totalBits / 8;
  if (end - begin !== expected) {
    throw new SafetensorsFormatError(
      `In the safetensors header, ${where} (${dtype}, shape [${(shape as number[]).join(', ')}]) should take ${groupDigits(expected)} bytes, but its data_offsets span ${groupDigits(end - begin)} bytes.`,
    );
  }
  return { name, dtype, shape: [...(shape as number[])], begin, end };
}

function parseMetadata(value: unknown): Record<string, string> | null {
  if (value === undefined || value === null) return null;
  if (!isRecord(value)) {
    throw new SafetensorsFormatError('The safetensors __metadata__ must be an object of strings.');
  }
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== 'string') {
      throw new SafetensorsFormatError(
        `The safetensors __metadata__ entry "${k}" is not a string (${JSON.stringify(v)}); the format allows only strings there.`,
      );
    }
    out[k] = v;
  }
  return out;
}

/**
 * Parses and validates the JSON header of a safetensors file.
 * @param jsonBytes the bytes that follow the 8-byte length prefix; at least headerLength of them
 *   (extra bytes after the header are ignored)
 * @param headerLength N, from readHeaderLength
 * @param fileSize the total file size when known (e.g. from Content-Range), else null
 * @returns tensors sorted by offset, with absolute [start, end) file offsets
 */
export function parseSafetensorsHeader(
  jsonBytes: Uint8Array,
  headerLength: number,
  fileSize: number | null,
): SafetensorsHeader {
  if (!Number.isSafeInteger(headerLength) || headerLength < 2 || headerLength > MAX_HEADER_BYTES) {
    throw new SafetensorsFormatError(`The safetensors header length ${headerLength} is not valid.`);
  }
  if (jsonBytes.length < headerLength) {
    throw new SafetensorsFormatError(
      `The safetensors header is truncated: it should be ${groupDigits(headerLength)} bytes, but only ${groupDigits(jsonBytes.length)} were read.`,
    );
  }
  const dataStart = 8 + headerLength;
  if (fileSize !== null && dataStart > fileSize) {
    throw new SafetensorsFormatError(
      `The safetensors header says it is ${groupDigits(headerLength)} bytes long, but the file has only ${groupDigits(fileSize)} bytes.`,
    );
  }
  const bytes = jsonBytes.subarray(0, headerLength);
  if (bytes[0] !== 0x7b) {
    throw new SafetensorsFormatError(
      'The safetensors header does not start with "{", so it is not a JSON object; the file is corrupted or not a safetensors file.',
    );
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new SafetensorsFormatError('The safetensors header is not valid UTF-8 text.');
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    const detail = e instanceof Error ? ` (${e.message})` : '';
    throw new SafetensorsFormatError(`The safetensors header is not valid JSON${detail}.`);
  }
  if (!isRecord(json)) {
    throw new SafetensorsFormatError('The safetensors header is not a JSON object.');
  }

  let metadata: Record<string, string> | null = null;
  const raw: RawEntry[] = [];
  for (const [name, value] of Object.entries(json)) {
    if (name === '__metadata__') metadata = parseMetadata(value);
    else raw.push(validateEntry(name, value));
  }

  // The byte buffer must be covered exactly once: sorted by offsets, each tensor starts where the
  // previous one ended (zero-byte tensors may sit anywhere on that chain).
  raw.sort((x, y) => x.begin - y.begin || x.end - y.end);
  let cursor = 0;
  let previous: RawEntry | null = null;
  for (const entry of raw) {
    if (entry.begin < cursor) {
      throw new SafetensorsFormatError(
        `In the safetensors header, tensor "${entry.name}" (bytes ${groupDigits(entry.begin)}–${groupDigits(entry.end)}) overlaps tensor "${previous?.name ?? '?'}" (which ends at ${groupDigits(cursor)}).`,
      );
    }
    if (entry.begin > cursor) {
      const after = previous ? `after tensor "${previous.name}"` : 'at the start of the data';
      throw new SafetensorsFormatError(
        `In the safetensors header, there is a hole of ${groupDigits(entry.begin - cursor)} unindexed bytes ${after} (before tensor "${entry.name}").`,
      );
    }
    cursor = entry.end;
    previous = entry;
  }
  const bufferEnd = cursor;
  if (!Number.isSafeInteger(dataStart + bufferEnd)) {
    throw new SafetensorsFormatError('The safetensors header describes a file too large to be real.');
  }
  if (fileSize !== null) {
    const expectedSize = dataStart + bufferEnd;
    if (expectedSize > fileSize) {
      const last = previous?.name ?? '?';
      throw new SafetensorsFormatError(
        `The safetensors header says tensor "${last}" ends at byte ${groupDigits(expectedSize)}, but the file has only ${groupDigits(fileSize)} bytes; the file is truncated or the header is corrupted.`,
      );
    }
    if (expectedSize < fileSize) {
      throw new SafetensorsFormatError(
        `The safetensors header accounts for ${groupDigits(expectedSize)} bytes, but the file has ${groupDigits(fileSize)} bytes; ${groupDigits(fileSize - expectedSize)} trailing bytes are not indexed.`,
      );
    }
  }

  const tensors: TensorEntry[] = raw.map((e) => ({
    name: e.name,
    dtype: e.dtype,
    shape: e.shape,
    start: dataStart + e.begin,
    end: dataStart + e.end,
  }));
  return { headerLength, dataStart, fileSize, metadata, tensors };
}

export interface SerializableTensor {
  name: string;
  dtype: string;
  shape: number[];
  data: Uint8Array;
}

export interface SerializeOptions {
  /** 'library' (default): sorted like the Rust crate's writer; 'given': keep the array order */
  order?: 'library' | 'given';
  /** pad the JSON with spaces to a multiple of 8 (default true, like the Rust crate) */
  pad?: boolean;
}

const utf8 = new TextEncoder();

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = (a[i] as number) - (b[i] as number);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

/**
 * Writes a safetensors file the way the Rust library does: tensors sorted by descending dtype
 * (enum order) then byte-wise name, packed without gaps; the header JSON has `__metadata__` first
 * and the tensors in offset order, padded with spaces to a multiple of 8.
 * `metadata: null` writes an explicit `"__metadata__":null` (seen in the wild); undefined omits it.
 */
export function serializeSafetensors(
  tensors: readonly SerializableTensor[],
  metadata?: Record<string, string> | null,
  opts: SerializeOptions = {},
): Uint8Array {
  const order = opts.order ?? 'library';
  const pad = opts.pad ?? true;
  const seen = new Set<string>();
  for (const t of tensors) {
    if (t.name === '__metadata__') throw new Error('A tensor cannot be named __metadata__.');
    if (seen.has(t.name)) throw new Error(`Duplicate tensor name "${t.name}".`);
    seen.add(t.name);
    const bits = dtypeBits(t.dtype);
    if (bits === undefined) throw new Error(`Unknown dtype "${t.dtype}" for tensor "${t.name}".`);
    const numel = t.shape.reduce((a, b) => a * b, 1);
    if ((numel * bits) % 8 !== 0 || (numel * bits) / 8 !== t.data.length) {
      throw new Error(
        `Tensor "${t.name}" (${t.dtype}, shape [${t.shape.join(', ')}]) needs ${(numel * bits) / 8} bytes, got ${t.data.length}.`,
      );
    }
  }

  let ordered = [...tensors];
  if (order === 'library') {
    const keyed = ordered.map((t) => ({ t, rank: DTYPE_RANK.get(t.dtype) ?? 0, nameBytes: utf8.encode(t.name) }));
    keyed.sort((x, y) => y.rank - x.rank || compareBytes(x.nameBytes, y.nameBytes));
    ordered = keyed.map((k) => k.t);
  }

  const parts: string[] = [];
  if (metadata !== undefined) parts.push(`${JSON.stringify('__metadata__')}:${JSON.stringify(metadata)}`);
  let offset = 0;
  for (const t of ordered) {
    const info = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + t.data.length] };
    parts.push(`${JSON.stringify(t.name)}:${JSON.stringify(info)}`);
    offset += t.data.length;
  }
  let header = utf8.encode(`{${parts.join(',')}}`);
  if (pad && header.length % 8 !== 0) {
    const padded = new Uint8Array(header.length + (8 - (header.length % 8)));
    padded.set(header);
    padded.fill(0x20, header.length);
    header = padded;
  }

  const out = new Uint8Array(8 + header.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(header.length), true);
  out.set(header, 8);
  let at = 8 + header.length;
  for (const t of ordered) {
    out.set(t.data, at);
    at += t.data.length;
  }
  return out;
}

/** Convenience for tests and tools: validates a complete in-memory safetensors file. */
export function parseSafetensorsFile(file: Uint8Array): SafetensorsHeader {
  const n = readHeaderLength(file.subarray(0, 8));
  if (file.length < 8 + n) {
    throw new SafetensorsFormatError(
      `The safetensors header says it is ${groupDigits(n)} bytes long, but the file has only ${groupDigits(file.length)} bytes.`,
    );
  }
  return parseSafetensorsHeader(file.subarray(8, 8 + n), n, file.length);
}
