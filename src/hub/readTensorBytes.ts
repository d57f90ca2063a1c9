// The raw bytes of the norm tensors of one file: from the cache, from bytes already read along with
// the header, or with as few single-range GETs as the gap budget allows.
import { planTensorReads } from '../core/ranges.ts';
import type { CachedNormTensor, NormCache } from './cache.ts';
import type { ErrorContext } from './errors.ts';
import { readRange, type HttpContext } from './http.ts';
import type { Limiter } from './limit.ts';

export interface TensorBytes {
  bytes: Uint8Array;
  fromCache: boolean;
}

export interface ReadTensorBytesArgs {
  url: string;
  file: string;
  tensors: readonly CachedNormTensor[];
  /** bytes of the file from offset 0, when we have them */
  prefix: Uint8Array | null;
  ctx: HttpContext;
  errCtx: ErrorContext;
  limit: Limiter;
  cache: NormCache | null;
  keyOf: (t: CachedNormTensor) => string;
  warn: (message: string) => void;
  /** called as tensors become available, with how many */
  onTensors: (count: number) => void;
}

export async function readTensorBytes(a: ReadTensorBytesArgs): Promise<Map<string, TensorBytes>> {
  const out = new Map<string, TensorBytes>();
  const cached = await Promise.all(a.tensors.map((t) => (a.cache ? a.cache.getTensor(a.keyOf(t)) : undefined)));
  const toFetch: CachedNormTensor[] = [];
  a.tensors.forEach((t, i) => {
    const hit = cached[i];
    const length = t.end - t.start;
    if (hit && hit.byteLength === length) {
      out.set(t.name, { bytes: hit, fromCache: true });
    } else {
      if (hit) a.warn('The local cache held a damaged entry; it was ignored and the data loaded from the network.');
      if (length === 0) out.set(t.name, { bytes: new Uint8Array(0), fromCache: false });
      else if (a.prefix && t.end <= a.prefix.byteLength)
        out.set(t.name, { bytes: a.prefix.slice(t.start, t.end), fromCache: false });
      else toFetch.push(t);
    }
  });
  if (out.size) a.onTensors(out.size);

  await Promise.all(
    planTensorReads(toFetch).map(async (plan) => {
      const r = await a.limit(() => readRange(a.url, plan.start, plan.end, a.ctx, { ...a.errCtx, file: a.file }));
      // a server that ignored Range sent the whole small file: the slice is still right
      for (const t of plan.tensors)
        out.set(t.name, { bytes: r.bytes.slice(t.start - plan.start, t.end - plan.start), fromCache: false });
      a.onTensors(plan.tensors.length);
    }),
  );
  return out;
}
