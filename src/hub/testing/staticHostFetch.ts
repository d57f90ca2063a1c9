// Test double: a fetch that behaves like a plain static host (Vite dev/preview) serving the static
// Hub layout from a directory: simple ranges → 206 (clipped at the end of the file), a missing file
// → index.html with 200 text/html, no error codes. Node-only (reads the disk).
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface StaticHostLogEntry {
  url: string;
  range: string | null;
  status: number;
  bytes: number;
  authorization: boolean;
}

export interface StaticHostOptions {
  /** answer ranges with the whole file (200) */
  ignoreRange?: boolean;
}

const INDEX_HTML =
  '<!doctype html><html><head><title>NormScope</title></head><body><div id="root"></div></body></html>';

export function staticHostFetch(base: string, root: string, opts: StaticHostOptions = {}) {
  const log: StaticHostLogEntry[] = [];
  const fetchFn = async (input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> => {
    init.signal?.throwIfAborted();
    const url = String(input);
    const headers = new Headers(init.headers);
    const range = headers.get('range');
    const record = (res: Response, bytes: number) => {
      log.push({ url, range, status: res.status, bytes, authorization: headers.has('authorization') });
      return res;
    };
    if (!url.startsWith(`${base}/`)) throw new TypeError(`fetch failed: ${url}`);
    // a static server decodes the path once: %2F in a revision becomes a directory separator
    // a static host serves files by path and ignores the query string (?blobs=true)
    const pathPart = url.slice(base.length + 1).split('?')[0]!;
    const path = join(root, ...pathPart.split('/').map(decodeURIComponent));
    let data: Uint8Array<ArrayBuffer>;
    try {
      if (!statSync(path).isFile()) throw new Error('not a file');
      data = new Uint8Array(readFileSync(path));
    } catch {
      return record(
        new Response(INDEX_HTML, { status: 200, headers: { 'content-type': 'text/html' } }),
        INDEX_HTML.length,
      );
    }
    const type = path.endsWith('.json') ? 'application/json' : 'application/octet-stream';
    const m = /^bytes=(\d+)-(\d+)$/.exec(range ?? '');
    if (!m || opts.ignoreRange) {
      return record(
        new Response(data, { status: 200, headers: { 'content-type': type, 'content-length': String(data.length) } }),
        data.length,
      );
    }
    const first = Number(m[1]);
    const last = Math.min(Number(m[2]), data.length - 1);
    if (first >= data.length)
      return record(new Response('', { status: 416, headers: { 'content-range': `bytes */${data.length}` } }), 0);
    const body = data.slice(first, last + 1);
    return record(
      new Response(body, {
        status: 206,
        headers: {
          'content-type': type,
          'content-range': `bytes ${first}-${last}/${data.length}`,
          'content-length': String(body.length),
        },
      }),
      body.length,
    );
  };
  return { fetch: fetchFn as typeof fetch, log };
}
