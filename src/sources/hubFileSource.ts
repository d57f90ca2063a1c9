// A Hub file as a byte source: single-range GETs pinned to the commit, each checked to be exactly
// the range asked for (hub/http.ts), under the load's concurrency limit.
import type { ErrorContext } from '../hub/errors';
import { readRange, type HttpContext } from '../hub/http';
import type { Limiter } from '../hub/limit';
import type { ByteSource } from './byteSource';

export interface HubFileSourceArgs {
  url: string;
  path: string;
  /** from the file listing, when the server gave it */
  size: number | null;
  ctx: HttpContext;
  errCtx: ErrorContext;
  limit: Limiter;
}

export function hubFileSource(a: HubFileSourceArgs): ByteSource {
  let size = a.size;
  const source = {
    path: a.path,
    reads: 0,
    size: () => size,
    async read(start: number, endExclusive: number): Promise<Uint8Array> {
      const end = size === null ? endExclusive : Math.min(endExclusive, size);
      if (end <= start) return new Uint8Array(0);
      source.reads++;
      // a chunked reader may ask past the end of a file whose size it does not know yet
      const r = await a.limit(() =>
        readRange(a.url, start, end, a.ctx, { ...a.errCtx, file: a.path }, { allowClip: true }),
      );
      if (r.total !== null) size = r.total;
      return r.bytes;
    },
  };
  return source;
}
