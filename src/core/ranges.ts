// Which byte ranges to read. Every range is a single `bytes=a-b` (multi-range and suffix ranges
// are unreliable on the Hub's CDN and on static hosts, and force CORS preflights).
import { byCodeUnit } from './order.ts';

/** Lower bound for the first header read when we only know a tensor count. */
export const MIN_HEADER_READ = 64 * 1024;
/**
 * Lower bound when the index gives us the tensor names: the estimate is then an upper bound
 * already, and a large floor would dominate the bytes of small shards.
 */
export const MIN_HEADER_READ_FROM_NAMES = 1024;
/** Upper bound of the speculative first read; a bigger header gets a second, exact read. */
export const MAX_HEADER_READ = 1024 * 1024;
/**
 * First read of a single-file model, which has no index to size it from. Small on purpose: such a
 * model skips the index round trip, so an exact second header read still keeps the load within
 * three sequential round trips, while a large guess would mostly fetch unneeded tensor bytes.
 */
export const SINGLE_FILE_FIRST_READ = 16 * 1024;
/** Typical size of one header entry when only the count is known. */
export const BYTES_PER_ENTRY = 150;
/** Per-entry JSON around a name: quotes, dtype, a shape of up to 3 dims and two 12-digit offsets. */
const ENTRY_OVERHEAD = 96;
/** `{"__metadata__":{"format":"pt"},` plus padding and some slack for other writers. */
const HEADER_OVERHEAD = 256;
const ROUND_TO = 512;
/** Largest gap worth reading through to save a request. */
export const DEFAULT_MAX_GAP = 4 * 1024;
/** Merged reads may carry at most this fraction of unneeded bytes. */
export const MAX_GAP_OVERHEAD = 0.25;

export interface ByteRange {
  start: number;
  /** exclusive */
  end: number;
}

export interface HeaderReadHint {
  file: string;
  /** names of the tensors the index places in this file (the best estimate) */
  tensorNames?: readonly string[];
  /** a count when names are unknown */
  tensorCount?: number;
}

export interface HeaderReadPlan extends ByteRange {
  file: string;
}

const roundUp = (n: number, step: number): number => Math.ceil(n / step) * step;
const clamp = (n: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, n));

/** Bytes to read first so that 8 + N almost always fits in one round trip without reading much more. */
export function firstHeaderReadSize(hint: Omit<HeaderReadHint, 'file'>): number {
  if (hint.tensorNames && hint.tensorNames.length > 0) {
    let est = 8 + HEADER_OVERHEAD;
    for (const name of hint.tensorNames) est += name.length + ENTRY_OVERHEAD;
    return clamp(roundUp(est, ROUND_TO), MIN_HEADER_READ_FROM_NAMES, MAX_HEADER_READ);
  }
  const count = hint.tensorCount ?? 0;
  return clamp(roundUp(8 + count * BYTES_PER_ENTRY, 16 * 1024), MIN_HEADER_READ, MAX_HEADER_READ);
}

/**
 * Header bytes per byte of the index: a header entry (dtype, shape, offsets) is longer than the
 * index's name → file line. 1.21–1.25 on the bench and demo repos (compact JSON); the Hub's indented
 * indexes carry more whitespace per entry, which makes it lower there.
 */
export const HEADER_BYTES_PER_INDEX_BYTE = 1.25;

/**
 * First read of every shard when the index itself is not read: the index's size (from the file
 * listing) × HEADER_BYTES_PER_INDEX_BYTE shared among all shards but one (the embeddings or the head
 * often sit alone in a shard with a tiny header), so that most headers fit one read while few tensor
 * bytes come along; a longer header gets its exact remainder. Without the index's size nothing says
 * how long the headers are: a 1 KiB probe, then the exact rest.
 */
export function firstShardReadSize(indexBytes: number | null, shards: number): number {
  if (indexBytes === null || indexBytes <= 0 || shards <= 0) return MIN_HEADER_READ_FROM_NAMES;
  const share = (HEADER_BYTES_PER_INDEX_BYTE * indexBytes) / Math.max(1, shards - 1);
  return clamp(roundUp(share, ROUND_TO), MIN_HEADER_READ_FROM_NAMES, MAX_HEADER_READ);
}

/** One `bytes=0-(K-1)` read per file, sized from what the index says about it. */
export function planHeaderReads(files: readonly HeaderReadHint[]): HeaderReadPlan[] {
  return files.map((f) => ({ file: f.file, start: 0, end: firstHeaderReadSize(f) }));
}

/** The exact second read needed when the header (8 + N) is longer than what was read first. */
export function planHeaderRemainder(alreadyRead: number, headerLength: number): ByteRange | null {
  const need = 8 + headerLength;
  return need > alreadyRead ? { start: alreadyRead, end: need } : null;
}

export interface TensorSpan {
  name: string;
  start: number;
  end: number;
}

export interface TensorReadPlan<T extends TensorSpan = TensorSpan> extends ByteRange {
  tensors: T[];
}

/**
 * Group tensors into reads, merging neighbours when the gap is at most maxGap and the merged read
 * stays within (1 + MAX_GAP_OVERHEAD) × its needed bytes. Norms sit between huge matrices in real
 * files, so most reads stay single; merging pays off for adjacent small tensors.
 */
export function planTensorReads<T extends TensorSpan>(
  tensors: readonly T[],
  maxGap = DEFAULT_MAX_GAP,
): TensorReadPlan<T>[] {
  const sorted = [...tensors].sort((a, b) => a.start - b.start || a.end - b.end);
  const plans: TensorReadPlan<T>[] = [];
  let cur: (TensorReadPlan<T> & { needed: number; gaps: number }) | null = null;
  for (const t of sorted) {
    if (!(Number.isSafeInteger(t.start) && Number.isSafeInteger(t.end) && t.start >= 0 && t.end >= t.start)) {
      throw new RangeError(`invalid byte span for ${t.name}: ${t.start}-${t.end}`);
    }
    if (cur) {
      const gap = Math.max(0, t.start - cur.end);
      const size = Math.max(0, t.end - Math.max(t.start, cur.end));
      if (gap <= maxGap && cur.gaps + gap <= MAX_GAP_OVERHEAD * (cur.needed + size)) {
        cur.tensors.push(t);
        cur.end = Math.max(cur.end, t.end);
        cur.gaps += gap;
        cur.needed += size;
        continue;
      }
      plans.push({ start: cur.start, end: cur.end, tensors: cur.tensors });
    }
    cur = { start: t.start, end: t.end, tensors: [t], needed: t.end - t.start, gaps: 0 };
  }
  if (cur) plans.push({ start: cur.start, end: cur.end, tensors: cur.tensors });
  return plans;
}

/** `bytes=a-b` for the half-open range [start, endExclusive). */
export function formatRangeHeader(start: number, endExclusive: number): string {
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(endExclusive) || start < 0 || endExclusive <= start) {
    throw new RangeError(`invalid byte range [${start}, ${endExclusive})`);
  }
  return `bytes=${start}-${endExclusive - 1}`;
}

/** A run of rows of one tensor inside a file read, at absolute offsets. */
export interface ReadPart {
  name: string;
  firstRow: number;
  endRow: number;
  start: number;
  end: number;
}

/** A run of rows with the file it is in (the input of mergeFileReads). */
export type FilePart = ReadPart & { file: string };

/** One single-range GET. */
export interface FileRead {
  file: string;
  start: number;
  end: number;
  parts: ReadPart[];
}

export interface ModelReadPlan {
  reads: FileRead[];
  /** bytes the reads fetch, overfetch included */
  bytes: number;
  /** bytes of the wanted rows */
  neededBytes: number;
  requests: number;
}

/** Merge every tensor's row runs of one model into single-range reads, per file (neighbours join). */
export function mergeFileReads(parts: readonly FilePart[], maxGapBytes = DEFAULT_MAX_GAP): ModelReadPlan {
  const byFile = new Map<string, FilePart[]>();
  for (const p of parts) byFile.set(p.file, [...(byFile.get(p.file) ?? []), p]);
  const reads: FileRead[] = [];
  for (const [file, list] of [...byFile].sort(([x], [y]) => byCodeUnit(x, y))) {
    for (const plan of planTensorReads(list, maxGapBytes)) {
      reads.push({
        file,
        start: plan.start,
        end: plan.end,
        parts: plan.tensors.map(({ name, firstRow, endRow, start, end }) => ({ name, firstRow, endRow, start, end })),
      });
    }
  }
  const bytes = reads.reduce((s, r) => s + r.end - r.start, 0);
  const neededBytes = parts.reduce((s, p) => s + p.end - p.start, 0);
  return { reads, bytes, neededBytes, requests: reads.length };
}

/** Compact text form of sorted row ids ("0-63,100-131"), for cache keys and logs. */
export function formatRowIds(rowIds: readonly number[]): string {
  const parts: string[] = [];
  let i = 0;
  while (i < rowIds.length) {
    let j = i;
    while (j + 1 < rowIds.length && (rowIds[j + 1] as number) === (rowIds[j] as number) + 1) j++;
    parts.push(i === j ? String(rowIds[i]) : `${rowIds[i]}-${rowIds[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}
