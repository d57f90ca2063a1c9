// Rows of a model's matrices for the deep check (issue 14), read through any byte source (Hub range
// reads, a GGUF part, a local File): each request's rows become runs of consecutive rows (rows are
// contiguous in row-major storage), FP8 tensors add the rows of their block-scale tensor they need,
// neighbouring runs of a file are merged into single-range reads (core/ranges mergeFileReads), and
// the bytes are decoded to Float32 here — this runs in the loader worker. Never a whole shard: only
// the planned rows (and the merge's bounded overfetch) are read.
import type { DeepReadRequest, DeepTensorInfo, RowBlock } from '../core/deep/api';
import type { CatalogueTensor } from '../core/formats/catalogue';
import { FP8_BLOCK, decodeRows, deepRowBytes, unsupportedDtypeMessage } from '../core/rowDecode';
import { mergeFileReads, type FilePart } from '../core/ranges';
import { HubError } from '../hub/errors';
import type { ByteSource } from './byteSource';

/** Raw row bytes of one tensor, by tensor name and row ids (e.g. the IndexedDB tensor store). */
export interface RowByteCache {
  get(tensor: string, rowIds: Int32Array): Promise<Uint8Array | undefined>;
  put(tensor: string, rowIds: Int32Array, bytes: Uint8Array): Promise<void>;
}

export interface ReadDeepRowsArgs {
  label: string;
  /** catalogue entries by name */
  tensors: ReadonlyMap<string, CatalogueTensor>;
  infos: ReadonlyMap<string, DeepTensorInfo>;
  /** FP8 tensor → its weight_scale_inv tensor */
  scales: Readonly<Record<string, string>>;
  sources: ReadonlyMap<string, ByteSource>;
  requests: readonly DeepReadRequest[];
  cache?: RowByteCache | null;
}

export interface DeepRowsRead {
  blocks: RowBlock[];
  /** bytes fetched now (overfetch and scale rows included) */
  bytesRead: number;
  /** bytes taken from the cache instead */
  cachedBytes: number;
  requests: number;
  /** ms spent decoding (the worker's compute share of the read) */
  decodeMs: number;
}

interface Want {
  key: string;
  tensor: CatalogueTensor;
  rowIds: Int32Array;
  rowBytes: number;
  out: Uint8Array;
}

/** Runs of consecutive ids of an ascending list. */
export function consecutiveRuns(ids: ArrayLike<number>): [number, number][] {
  const runs: [number, number][] = [];
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i] as number;
    const last = runs[runs.length - 1];
    if (last && last[1] === id) last[1] = id + 1;
    else runs.push([id, id + 1]);
  }
  return runs;
}

function want(a: ReadDeepRowsArgs, key: string, name: string, rowIds: Int32Array): Want {
  const tensor = a.tensors.get(name);
  if (!tensor) throw new HubError('bad-header', `${a.label} has no tensor ${name}.`);
  if (tensor.shape.length !== 2) throw new HubError('bad-header', `${name} in ${a.label} is not 2-D.`);
  const [rows, cols] = tensor.shape as [number, number];
  const rowBytes = deepRowBytes(tensor.dtype, cols);
  if (rowBytes === null) throw new HubError('bad-file', `${a.label}: ${unsupportedDtypeMessage(name, tensor.dtype)}`);
  if (tensor.end - tensor.start !== rows * rowBytes)
    throw new HubError(
      'bad-header',
      `${name} in ${a.label} spans ${tensor.end - tensor.start} bytes, not ${rows} rows.`,
    );
  for (let i = 0; i < rowIds.length; i++) {
    const id = rowIds[i] as number;
    if (id < 0 || id >= rows || (i > 0 && id <= (rowIds[i - 1] as number)))
      throw new HubError('bad-response', `Row ids of ${name} must be ascending and below ${rows}.`);
  }
  return { key, tensor, rowIds, rowBytes, out: new Uint8Array(rowIds.length * rowBytes) };
}

function partsOf(w: Want): FilePart[] {
  return consecutiveRuns(w.rowIds).map(([first, end]) => ({
    file: w.tensor.file,
    name: w.key,
    firstRow: first,
    endRow: end,
    start: w.tensor.start + first * w.rowBytes,
    end: w.tensor.start + end * w.rowBytes,
  }));
}

/** Scale rows an FP8 request needs: one scale row per 128-row block touched. */
function scaleRowIds(rowIds: Int32Array): Int32Array {
  return Int32Array.from(new Set(Array.from(rowIds, (id) => Math.floor(id / FP8_BLOCK))));
}

async function fillFromCache(cache: RowByteCache | null | undefined, wants: readonly Want[]): Promise<Set<Want>> {
  const hit = new Set<Want>();
  if (!cache) return hit;
  await Promise.all(
    wants.map(async (w) => {
      const bytes = await cache.get(w.tensor.name, w.rowIds).catch(() => undefined);
      if (bytes && bytes.byteLength === w.out.byteLength) {
        w.out.set(bytes);
        hit.add(w);
      }
    }),
  );
  return hit;
}

async function fetchParts(a: ReadDeepRowsArgs, wants: readonly Want[]): Promise<{ bytes: number; requests: number }> {
  const byKey = new Map(wants.map((w) => [w.key, w]));
  const plan = mergeFileReads(wants.flatMap(partsOf));
  await Promise.all(
    plan.reads.map(async (read) => {
      const source = a.sources.get(read.file);
      if (!source) throw new HubError('bad-header', `${a.label} lists ${read.file}, but it is not among the files.`);
      const got = await source.read(read.start, read.end);
      if (got.byteLength !== read.end - read.start)
        throw new HubError('bad-response', `${read.file} (${a.label}) ended before byte ${read.end}.`);
      for (const part of read.parts) {
        const w = byKey.get(part.name)!;
        w.rowIds.forEach((id, k) => {
          if (id < part.firstRow || id >= part.endRow) return;
          const from = w.tensor.start + id * w.rowBytes - read.start;
          w.out.set(got.subarray(from, from + w.rowBytes), k * w.rowBytes);
        });
      }
    }),
  );
  return { bytes: plan.bytes, requests: plan.requests };
}

/** Reads and decodes the requested rows; FP8 rows come back with their block scales applied. */
export async function readDeepRows(a: ReadDeepRowsArgs): Promise<DeepRowsRead> {
  const rowWants = a.requests.map((r, i) => want(a, `r${i}`, r.tensor, r.rowIds));
  const scaleWants = new Map<string, Want>();
  a.requests.forEach((r, i) => {
    const scale = a.scales[r.tensor];
    if (scale && rowWants[i]!.tensor.dtype === 'F8_E4M3')
      scaleWants.set(r.tensor, want(a, `s${i}`, scale, scaleRowIds(r.rowIds)));
  });
  const all = [...rowWants, ...scaleWants.values()];
  const hits = await fillFromCache(a.cache, all);
  const fresh = all.filter((w) => !hits.has(w));
  const fetched = await fetchParts(a, fresh);
  await Promise.all(fresh.map((w) => a.cache?.put(w.tensor.name, w.rowIds, w.out).catch(() => undefined)));
  const t0 = performance.now();
  const blocks = a.requests.map((r, i): RowBlock => {
    const w = rowWants[i]!;
    const info = a.infos.get(r.tensor);
    const [, cols] = w.tensor.shape as [number, number];
    const scale = scaleWants.get(r.tensor);
    let scaleRows: Map<number, Float32Array> | undefined;
    if (scale) {
      const scaleCols = scale.tensor.shape[1] as number;
      const values = decodeRows({
        bytes: scale.out,
        dtype: scale.tensor.dtype,
        rows: scale.rowIds.length,
        cols: scaleCols,
      });
      scaleRows = new Map(
        Array.from(scale.rowIds, (id, k) => [id, values.subarray(k * scaleCols, (k + 1) * scaleCols)]),
      );
    } else if (w.tensor.dtype === 'F8_E4M3') {
      throw new HubError('bad-header', `${r.tensor} in ${a.label} is FP8 without a weight_scale_inv tensor.`);
    }
    const values = decodeRows({
      bytes: w.out,
      dtype: w.tensor.dtype,
      rows: r.rowIds.length,
      cols,
      rowIds: r.rowIds,
      ...(scaleRows ? { scaleRows } : {}),
    });
    const base: DeepTensorInfo = info ?? {
      role: 'embed',
      layer: -1,
      name: r.tensor,
      shape: [w.tensor.shape[0]!, cols],
      dtype: w.tensor.dtype,
    };
    return { ...base, rowIds: r.rowIds, values };
  });
  const cachedBytes = [...hits].reduce((s, w) => s + w.out.byteLength, 0);
  const decodeMs = performance.now() - t0;
  return { blocks, bytesRead: fetched.bytes, cachedBytes, requests: fetched.requests, decodeMs };
}
