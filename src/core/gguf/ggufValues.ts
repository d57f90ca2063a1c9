// Reading (or skipping) one GGUF metadata value from the cursor. Big arrays — the tokenizer's
// 32k–260k strings and their scores — are skipped and kept only as a count, so a several-MB header
// costs one pass over its bytes and no large allocations.
import type { ChunkedCursor } from './chunkedCursor.ts';
import { GgufFormatError } from './ggufError.ts';
import { groupDigits } from '../format.ts';
import { isRecord } from '../json.ts';

export const GGUF_VALUE_TYPE = {
  UINT8: 0,
  INT8: 1,
  UINT16: 2,
  INT16: 3,
  UINT32: 4,
  INT32: 5,
  FLOAT32: 6,
  BOOL: 7,
  STRING: 8,
  ARRAY: 9,
  UINT64: 10,
  INT64: 11,
  FLOAT64: 12,
} as const;

/** Bytes of each fixed-size value type (STRING and ARRAY are variable). */
const FIXED_SIZE: Readonly<Record<number, number>> = {
  0: 1,
  1: 1,
  2: 2,
  3: 2,
  4: 4,
  5: 4,
  6: 4,
  7: 1,
  10: 8,
  11: 8,
  12: 8,
};

/** An array whose items were not kept (too long to be worth it): its item type and length. */
export interface GgufSkippedArray {
  skipped: true;
  itemType: number;
  count: number;
}

export type GgufScalar = number | bigint | boolean | string;
export type GgufValue = GgufScalar | GgufValue[] | GgufSkippedArray;

/** Decides whether an array's items are kept. */
export type KeepArray = (key: string, itemType: number, count: number) => boolean;

/** Keep short arrays (per-layer hyper-parameters); skip the tokenizer's vocabulary-sized ones. */
export const keepShortArrays: KeepArray = (key, _itemType, count) =>
  count <= (key.startsWith('tokenizer.') ? 64 : 4096);

/** A vocabulary longer than this is not a vocabulary (the largest real ones are ~260k tokens). */
export const MAX_GGUF_VOCAB = 1_048_576;

/**
 * For the deep check (issue 14): as keepShortArrays, but `tokenizer.ggml.tokens` (strings) is kept up to
 * MAX_GGUF_VOCAB items. Its bytes are bounded by the header's own cap (MAX_GGUF_HEADER_BYTES).
 */
export const keepVocabulary: KeepArray = (key, itemType, count) =>
  key === 'tokenizer.ggml.tokens'
    ? itemType === GGUF_VALUE_TYPE.STRING && count <= MAX_GGUF_VOCAB
    : keepShortArrays(key, itemType, count);

const MAX_NESTING = 4;

export function isSkippedArray(v: GgufValue | undefined): v is GgufSkippedArray {
  return isRecord(v) && 'skipped' in v;
}

async function need(cur: ChunkedCursor, n: number, what: string): Promise<void> {
  const pending = cur.ensure(n, what);
  if (pending) await pending;
}

/** A u64 count or length as a number, rejected when it cannot fit what is left of the file. */
function plausibleLength(cur: ChunkedCursor, raw: bigint, unitBytes: number, what: string): number {
  const remaining = cur.remainingInFile();
  const limit = remaining ?? Number.MAX_SAFE_INTEGER;
  if (raw > BigInt(Number.MAX_SAFE_INTEGER) || Number(raw) * unitBytes > limit) {
    const where = remaining === null ? '' : ` (only ${groupDigits(remaining)} bytes remain in the file)`;
    throw new GgufFormatError(
      'implausible',
      `In the GGUF header, ${what} has an impossible length ${raw}${where}; the file is truncated or corrupted.`,
    );
  }
  return Number(raw);
}

function int64(v: bigint): number | bigint {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

export async function readString(cur: ChunkedCursor, what: string): Promise<string> {
  await need(cur, 8, what);
  const length = plausibleLength(cur, cur.u64(), 1, what);
  await need(cur, length, what);
  return cur.utf8(length);
}

function readFixed(cur: ChunkedCursor, type: number): GgufScalar {
  switch (type) {
    case 0:
      return cur.u8();
    case 1:
      return cur.i8();
    case 2:
      return cur.u16();
    case 3:
      return cur.i16();
    case 4:
      return cur.u32();
    case 5:
      return cur.i32();
    case 6:
      return cur.f32();
    case 7:
      return cur.u8() !== 0;
    case 10:
      return int64(cur.u64());
    case 11:
      return int64(cur.i64());
    default:
      return cur.f64();
  }
}

function unknownType(type: number, what: string): GgufFormatError {
  return new GgufFormatError(
    'bad-value',
    `In the GGUF header, ${what} has an unknown value type ${type}; the file is corrupted or newer than this reader.`,
  );
}

/** Reads one value of `type`; `key` names it in messages and for the array policy. */
export async function readValue(
  cur: ChunkedCursor,
  type: number,
  key: string,
  keep: KeepArray,
  depth = 0,
): Promise<GgufValue> {
  const what = `the value of "${key}"`;
  const size = FIXED_SIZE[type];
  if (size !== undefined) {
    await need(cur, size, what);
    return readFixed(cur, type);
  }
  if (type === GGUF_VALUE_TYPE.STRING) return readString(cur, what);
  if (type !== GGUF_VALUE_TYPE.ARRAY) throw unknownType(type, what);
  if (depth >= MAX_NESTING) {
    throw new GgufFormatError(
      'implausible',
      `In the GGUF header, ${what} nests arrays more than ${MAX_NESTING} deep; the file is corrupted.`,
    );
  }
  await need(cur, 12, what);
  const itemType = cur.u32();
  const itemSize = FIXED_SIZE[itemType];
  if (itemSize === undefined && itemType !== GGUF_VALUE_TYPE.STRING && itemType !== GGUF_VALUE_TYPE.ARRAY)
    throw unknownType(itemType, what);
  // Every string or nested array takes at least 8 bytes, which bounds a plausible count.
  const count = plausibleLength(cur, cur.u64(), itemSize ?? 8, what);
  if (!keep(key, itemType, count)) {
    await skipItems(cur, itemType, count, key, depth);
    return { skipped: true, itemType, count };
  }
  const items: GgufValue[] = [];
  if (itemSize !== undefined) {
    await need(cur, count * itemSize, what);
    for (let i = 0; i < count; i++) items.push(readFixed(cur, itemType));
    return items;
  }
  for (let i = 0; i < count; i++) items.push(await readValue(cur, itemType, key, keep, depth + 1));
  return items;
}

async function skipItems(
  cur: ChunkedCursor,
  itemType: number,
  count: number,
  key: string,
  depth: number,
): Promise<void> {
  const what = `the value of "${key}"`;
  const itemSize = FIXED_SIZE[itemType];
  if (itemSize !== undefined) {
    cur.skip(count * itemSize, what);
  } else if (itemType === GGUF_VALUE_TYPE.STRING) {
    // Tight loop: awaits only when the window runs out (a vocabulary has 100k+ strings).
    for (let i = 0; i < count; i++) {
      const pending = cur.ensure(8, what);
      if (pending) await pending;
      cur.skip(plausibleLength(cur, cur.u64(), 1, what), what);
    }
  } else {
    const skipAll: KeepArray = () => false;
    for (let i = 0; i < count; i++) await readValue(cur, itemType, key, skipAll, depth + 1);
  }
}
