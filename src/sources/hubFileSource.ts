// A Hub file as a byte source: single-range GETs pinned to the commit, each checked to be exactly
// the range asked for (hub/http.ts), under the load's concurrency limit. The bytes read from
// offset 0 (a header's first read and its remainder) are kept, so a tensor that came along with
// the header is never asked for again; a small file a server sent whole answers every read.
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

export interface HubFileSource extends ByteSource {
  /** the file's bytes [0, n) read so far in one piece from offset 0 */
  prefix(): Uint8Array | null;
  /** the server ignored Range and sent the (small) file whole */
  readonly cameWhole: boolean;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.byteLength + b.byteLength);
  out.set(a);
  out.set(b, a.byteLength);
  return out;
}

export function hubFileSource(a: HubFileSourceArgs): HubFileSource {
  let size = a.size;
  let prefix: Uint8Array | null = null;
  const source = {
    path: a.path,
    reads: 0,
    cameWhole: false,
    size: () => size,
    prefix: () => prefix,
    async read(start: number, endExclusive: number): Promise<Uint8Array> {
      const end = size === null ? endExclusive : Math.min(endExclusive, size);
      if (end <= start) return new Uint8Array(0);
      if (prefix && end <= prefix.byteLength) return prefix.slice(start, end);
      source.reads++;
      // a chunked reader may ask past the end of a file whose size it does not know yet
      const r = await a.limit(() =>
        readRange(a.url, start, end, a.ctx, { ...a.errCtx, file: a.path }, { allowClip: true }),
      );
      if (r.total !== null) size = r.total;
      if (r.whole) {
        source.cameWhole = true;
        prefix = r.whole;
      } else if (start === 0 && (!prefix || r.bytes.byteLength > prefix.byteLength)) prefix = r.bytes;
      else if (prefix && start === prefix.byteLength) prefix = concat(prefix, r.bytes);
      return r.bytes;
    },
  };
  return source;
}
