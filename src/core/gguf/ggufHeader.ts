// GGUF v2/v3 header parsing from a chunked byte source: magic, version, counts, metadata, tensor
// infos, and where each tensor's bytes sit in the file. Reads forward only as far as the header
// goes (never the tensor data). Layout: llama.cpp's gguf-py and ggml/src/gguf.cpp.
import { ChunkedCursor, type ReadRange, type ReadStats } from './chunkedCursor.ts';
import { GgufFormatError } from './ggufError.ts';
import { groupDigits } from '../format.ts';
import { ggmlTensorBytes, ggmlTypeName } from './ggmlTypes.ts';
import { keepShortArrays, readString, readValue, type GgufValue, type KeepArray } from './ggufValues.ts';

export const DEFAULT_CHUNK_SIZE = 2 * 1024 * 1024;
/** Real headers are a few MB (tokenizers); far beyond this the file is corrupted. */
export const MAX_GGUF_HEADER_BYTES = 64 * 1024 * 1024;
export const MAX_TENSOR_COUNT = 1_000_000;
export const MAX_KV_COUNT = 1_000_000;
/** GGML_MAX_DIMS */
export const MAX_TENSOR_DIMS = 4;
export const DEFAULT_ALIGNMENT = 32;

const MAGIC = [0x47, 0x47, 0x55, 0x46]; // "GGUF"

export interface GgufTensorInfo {
  name: string;
  /** numpy order, slowest-varying first: the stored ggml dims reversed */
  shape: number[];
  ggmlType: number;
  /** "Q4_K", or "type N" when unknown */
  typeName: string;
  /** offset from the start of the data section, as stored */
  offset: number;
  /** absolute file offset of the first byte */
  start: number;
  /** absolute offset one past the last byte; null when the type's block size is unknown */
  end: number | null;
}

export interface GgufHeader {
  version: 2 | 3;
  metadata: Map<string, GgufValue>;
  tensors: GgufTensorInfo[];
  alignment: number;
  /** absolute offset where the tensor infos end */
  headerEnd: number;
  /** headerEnd rounded up to the alignment: tensor offsets count from here */
  dataStart: number;
  fileSize: number | null;
}

export interface ReadGgufHeaderOptions {
  /** total file size when known (Content-Range, file listing): enables the bounds checks */
  fileSize: number | null;
  chunkSize?: number;
  maxHeaderBytes?: number;
  /** which arrays keep their items; default: short ones only */
  keepArray?: KeepArray;
}

export interface GgufHeaderRead {
  header: GgufHeader;
  /** reads made and bytes received: about the header size, not the file's */
  stats: ReadStats;
}

async function need(cur: ChunkedCursor, n: number, what: string): Promise<void> {
  const pending = cur.ensure(n, what);
  if (pending) await pending;
}

function printable(bytes: Uint8Array): string | null {
  for (const b of bytes) if (b < 0x09 || (b > 0x0d && b < 0x20) || b > 0x7e) return null;
  return String.fromCharCode(...bytes);
}

async function readPreamble(cur: ChunkedCursor): Promise<{ version: 2 | 3; tensorCount: number; kvCount: number }> {
  try {
    await need(cur, 4, 'the magic number');
  } catch (e) {
    if (e instanceof GgufFormatError)
      throw new GgufFormatError('not-gguf', 'This is not a GGUF file: it is shorter than the 4-byte "GGUF" magic.');
    throw e;
  }
  const magic = cur.bytes(4);
  if (!MAGIC.every((b, i) => magic[i] === b)) {
    const text = printable(magic);
    const hint = text === null ? '' : ` Its first bytes read "${text}", so it may be a text or HTML page.`;
    throw new GgufFormatError('not-gguf', `This is not a GGUF file: it does not start with the "GGUF" magic.${hint}`);
  }
  await need(cur, 20, 'the version and counts');
  const version = cur.u32();
  if (version === 0x02000000 || version === 0x03000000) {
    throw new GgufFormatError(
      'big-endian',
      'This GGUF file is big-endian; only little-endian GGUF files are supported.',
    );
  }
  if (version !== 2 && version !== 3) {
    const why =
      version === 1
        ? 'GGUF version 1 (2023) uses 32-bit lengths and is no longer produced'
        : 'only versions 2 and 3 are known';
    throw new GgufFormatError('unsupported-version', `This GGUF file has version ${version}; ${why}.`);
  }
  const tensorCount = cur.u64();
  const kvCount = cur.u64();
  if (tensorCount > BigInt(MAX_TENSOR_COUNT)) {
    throw new GgufFormatError(
      'implausible',
      `The GGUF header claims ${tensorCount} tensors (more than ${groupDigits(MAX_TENSOR_COUNT)}); the file is corrupted.`,
    );
  }
  if (kvCount > BigInt(MAX_KV_COUNT)) {
    throw new GgufFormatError(
      'implausible',
      `The GGUF header claims ${kvCount} metadata entries (more than ${groupDigits(MAX_KV_COUNT)}); the file is corrupted.`,
    );
  }
  return { version, tensorCount: Number(tensorCount), kvCount: Number(kvCount) };
}

async function readMetadata(cur: ChunkedCursor, kvCount: number, keep: KeepArray): Promise<Map<string, GgufValue>> {
  const metadata = new Map<string, GgufValue>();
  for (let i = 0; i < kvCount; i++) {
    const key = await readString(cur, `the key of metadata entry ${i}`);
    if (metadata.has(key))
      throw new GgufFormatError(
        'bad-value',
        `The GGUF header has the metadata key "${key}" twice; the file is corrupted.`,
      );
    await need(cur, 4, `the type of "${key}"`);
    const type = cur.u32();
    metadata.set(key, await readValue(cur, type, key, keep));
  }
  return metadata;
}

function alignmentOf(metadata: Map<string, GgufValue>): number {
  const value = metadata.get('general.alignment');
  if (value === undefined) return DEFAULT_ALIGNMENT;
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0 || (value & (value - 1)) !== 0) {
    throw new GgufFormatError(
      'bad-value',
      `The GGUF general.alignment is ${String(value)}; it must be a positive power of two.`,
    );
  }
  return value;
}

async function readTensorInfo(
  cur: ChunkedCursor,
  index: number,
  alignment: number,
): Promise<Omit<GgufTensorInfo, 'start' | 'end'> & { bytes: number | null }> {
  const name = await readString(cur, `the name of tensor ${index}`);
  const what = `tensor "${name}"`;
  await need(cur, 4, what);
  const nDims = cur.u32();
  if (nDims > MAX_TENSOR_DIMS) {
    throw new GgufFormatError(
      'implausible',
      `In the GGUF header, ${what} has ${nDims} dimensions; ggml allows at most ${MAX_TENSOR_DIMS}.`,
    );
  }
  await need(cur, 8 * nDims + 12, what);
  const dims: number[] = [];
  let elements = 1;
  for (let d = 0; d < nDims; d++) {
    const dim = cur.u64();
    elements *= Number(dim);
    if (dim > BigInt(Number.MAX_SAFE_INTEGER) || !Number.isSafeInteger(elements)) {
      throw new GgufFormatError('implausible', `In the GGUF header, ${what} has a shape too large to be real.`);
    }
    dims.push(Number(dim));
  }
  const ggmlType = cur.u32();
  const rawOffset = cur.u64();
  if (rawOffset > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new GgufFormatError(
      'offset-beyond-file',
      `In the GGUF header, ${what} has an impossible offset ${rawOffset}.`,
    );
  }
  const offset = Number(rawOffset);
  if (offset % alignment !== 0) {
    throw new GgufFormatError(
      'bad-value',
      `In the GGUF header, ${what} starts at offset ${groupDigits(offset)}, which is not a multiple of the alignment ${alignment}.`,
    );
  }
  const bytes = ggmlTensorBytes(ggmlType, elements, dims[0] ?? 1);
  return { name, shape: [...dims].reverse(), ggmlType, typeName: ggmlTypeName(ggmlType), offset, bytes };
}

function placeTensor(
  info: Awaited<ReturnType<typeof readTensorInfo>>,
  dataStart: number,
  fileSize: number | null,
): GgufTensorInfo {
  const { bytes, ...rest } = info;
  const start = dataStart + info.offset;
  const end = bytes === null ? null : start + bytes;
  if (fileSize !== null && (start > fileSize || (end ?? start) > fileSize)) {
    throw new GgufFormatError(
      'offset-beyond-file',
      `In the GGUF header, tensor "${info.name}" lies at bytes ${groupDigits(start)}–${groupDigits(end ?? start)}, beyond the end of the ${groupDigits(fileSize)}-byte file; the file is truncated or corrupted.`,
    );
  }
  return { ...rest, start, end };
}

/** Reads and validates a GGUF header through `read`, in chunks, stopping where the header ends. */
export async function readGgufHeader(read: ReadRange, opts: ReadGgufHeaderOptions): Promise<GgufHeaderRead> {
  const fileSize = opts.fileSize;
  const cur = new ChunkedCursor(read, {
    fileSize,
    chunkSize: Math.max(1, opts.chunkSize ?? DEFAULT_CHUNK_SIZE),
    maxBytes: opts.maxHeaderBytes ?? MAX_GGUF_HEADER_BYTES,
  });
  const { version, tensorCount, kvCount } = await readPreamble(cur);
  const metadata = await readMetadata(cur, kvCount, opts.keepArray ?? keepShortArrays);
  const alignment = alignmentOf(metadata);
  const infos: Awaited<ReturnType<typeof readTensorInfo>>[] = [];
  const names = new Set<string>();
  for (let i = 0; i < tensorCount; i++) {
    const info = await readTensorInfo(cur, i, alignment);
    if (names.has(info.name))
      throw new GgufFormatError(
        'bad-value',
        `The GGUF header lists tensor "${info.name}" twice; the file is corrupted.`,
      );
    names.add(info.name);
    infos.push(info);
  }
  const headerEnd = cur.position;
  const dataStart = Math.ceil(headerEnd / alignment) * alignment;
  const tensors = infos.map((info) => placeTensor(info, dataStart, fileSize));
  return { header: { version, metadata, tensors, alignment, headerEnd, dataStart, fileSize }, stats: cur.stats };
}

/** Convenience for tests and tools: a whole file (or its first bytes) already in memory. */
export function parseGgufBytes(bytes: Uint8Array, opts: Partial<ReadGgufHeaderOptions> = {}): Promise<GgufHeaderRead> {
  return readGgufHeader(async (start, end) => bytes.subarray(start, end), { fileSize: bytes.length, ...opts });
}
