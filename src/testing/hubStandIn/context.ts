// The shared request context of the stand-in: the server's mutable state (knobs, faults, counters),
// the per-request context, and the helpers every route uses to answer (headers, bodies, errors).

import { randomBytes } from 'node:crypto';
import http from 'node:http';
import http2 from 'node:http2';
import { resolve as resolvePath } from 'node:path';
import { RepoStore } from './repoStore.ts';
import {
  CDN_EXPOSE_HEADERS,
  DEFAULT_FAULTS,
  HUB_EXPOSE_HEADERS,
  MAX_LOG_ENTRIES,
  RATE_QUOTA,
  RATE_WINDOW_SECONDS,
  type HubFaults,
  type HubStandInOptions,
  type HubStats,
} from './types.ts';

export type Req = http.IncomingMessage | http2.Http2ServerRequest;
export type Res = http.ServerResponse | http2.Http2ServerResponse;

/** Everything one stand-in instance knows and counts; routes read and update it. */
export interface StandInState {
  readonly opts: HubStandInOptions;
  readonly store: RepoStore;
  /** token → repo ids it may read, or ['*'] */
  readonly tokens: Record<string, string[]>;
  readonly smallFilesRedirect: boolean;
  /** the key that signs CDN URLs */
  readonly secret: Buffer;
  faults: HubFaults;
  stats: HubStats;
  /** ranged answers so far (the dropEvery fault counts them) */
  rangedAnswers: number;
  /** how often each `path start-end` was dropped in a row */
  readonly droppedRanges: Map<string, number>;
  rateWindow: { start: number; api: number; resolvers: number };
  hubUrl: string;
  cdnUrl: string;
}

export function createState(opts: HubStandInOptions): StandInState {
  return {
    opts,
    store: new RepoStore(opts.roots.map((r) => resolvePath(r))),
    tokens: opts.tokens ?? {},
    smallFilesRedirect: opts.smallFilesRedirect ?? true,
    secret: randomBytes(16),
    faults: { ...DEFAULT_FAULTS, ...opts.faults },
    stats: emptyStats(),
    rangedAnswers: 0,
    droppedRanges: new Map<string, number>(),
    rateWindow: { start: Date.now(), api: 0, resolvers: 0 },
    hubUrl: '',
    cdnUrl: '',
  };
}

export interface Ctx {
  req: Req;
  res: Res;
  origin: 'hub' | 'cdn';
  url: URL;
  /** the label this request is counted under in stats.byRoute */
  route: string;
  /** the response serves a *.safetensors file */
  tensor: boolean;
}

export class HttpError {
  constructor(
    readonly status: number,
    readonly message: string,
    readonly headers: Record<string, string> = {},
    readonly body?: string,
  ) {}
}

/** Cut a transfer short: reset the HTTP/2 stream, or close the HTTP/1.1 connection. */
export function dropTransfer(res: Res): void {
  if ('stream' in res) res.stream.close(http2.constants.NGHTTP2_INTERNAL_ERROR);
  else res.destroy();
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export const truthy = (v: string | null) => v === 'true' || v === '1';

export function emptyStats(): HubStats {
  return { requests: 0, bytes: 0, tensorBytes: 0, byRoute: {}, dropped: 0, log: [] };
}

export function contentTypeFor(path: string): string {
  if (/\.(json|md|txt|py|yaml|yml|gitattributes)$/i.test(path) || path === '.gitattributes')
    return 'text/plain; charset=utf-8';
  return 'application/octet-stream';
}

/** Counts the bytes of the answer and logs it in `s.stats` when it closes. */
export function track(s: StandInState, ctx: Ctx): void {
  const { req, res } = ctx;
  const at = performance.now();
  let bytes = 0;
  const write = res.write.bind(res) as (...a: unknown[]) => boolean;
  const end = res.end.bind(res) as (...a: unknown[]) => Res;
  const count = (chunk: unknown) => {
    if (typeof chunk === 'string') bytes += Buffer.byteLength(chunk);
    else if (chunk instanceof Uint8Array) bytes += chunk.byteLength;
  };
  (res as { write: unknown }).write = (chunk: unknown, ...rest: unknown[]) => {
    count(chunk);
    return write(chunk, ...rest);
  };
  (res as { end: unknown }).end = (chunk?: unknown, ...rest: unknown[]) => {
    if (typeof chunk !== 'function') count(chunk);
    return end(chunk, ...rest);
  };
  res.once('close', () => {
    s.stats.requests++;
    s.stats.bytes += bytes;
    if (ctx.tensor) s.stats.tensorBytes += bytes;
    const r = (s.stats.byRoute[ctx.route] ??= { requests: 0, bytes: 0 });
    r.requests++;
    r.bytes += bytes;
    if (s.stats.log.length < MAX_LOG_ENTRIES) {
      const range = req.headers.range;
      s.stats.log.push({
        method: req.method ?? 'GET',
        url: `${ctx.url.pathname}${ctx.url.search}`,
        status: res.statusCode,
        ...(range !== undefined ? { range } : {}),
        bytes,
        origin: ctx.origin,
        at,
        doneAt: performance.now(),
        httpVersion: req.httpVersion,
      });
    }
  });
}

export function hubHeaders(s: StandInState, ctx: Ctx, bucket: 'api' | 'resolvers', vary = 'Origin'): void {
  const { req, res } = ctx;
  res.setHeader('Access-Control-Allow-Origin', req.headers.origin ?? 'https://huggingface.co');
  res.setHeader('Vary', vary);
  res.setHeader('Access-Control-Expose-Headers', HUB_EXPOSE_HEADERS);
  res.setHeader('Access-Control-Max-Age', '86400');
  res.setHeader('X-Powered-By', 'huggingface-moon');
  res.setHeader(
    'X-Request-Id',
    `Root=1-${Math.floor(Date.now() / 1000).toString(16)}-${randomBytes(12).toString('hex')}`,
  );
  const now = Date.now();
  if (now - s.rateWindow.start >= RATE_WINDOW_SECONDS * 1000) s.rateWindow = { start: now, api: 0, resolvers: 0 };
  s.rateWindow[bucket]++;
  const remaining = Math.max(0, RATE_QUOTA[bucket] - s.rateWindow[bucket]);
  const reset = Math.max(0, Math.ceil(RATE_WINDOW_SECONDS - (now - s.rateWindow.start) / 1000));
  res.setHeader('RateLimit', `"${bucket}";r=${remaining};t=${reset}`);
  res.setHeader('RateLimit-Policy', `"fixed window";"${bucket}";q=${RATE_QUOTA[bucket]};w=${RATE_WINDOW_SECONDS}`);
}

export function cdnHeaders(ctx: Ctx): void {
  ctx.res.setHeader('Access-Control-Allow-Origin', '*');
  ctx.res.setHeader('Access-Control-Expose-Headers', CDN_EXPOSE_HEADERS);
}

export function send(
  ctx: Ctx,
  status: number,
  body: string,
  contentType: string,
  headers: Record<string, string> = {},
): void {
  const { res, req } = ctx;
  res.statusCode = status;
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  const buf = Buffer.from(body);
  res.setHeader('Content-Type', contentType);
  res.setHeader('Content-Length', String(buf.length));
  if (req.method === 'HEAD') res.end();
  else res.end(buf);
}

export function sendJson(ctx: Ctx, status: number, value: unknown, headers: Record<string, string> = {}): void {
  send(ctx, status, JSON.stringify(value), 'application/json; charset=utf-8', headers);
}

/** An error the way the hub sends it: JSON on /api, plain text on resolve. */
export function sendError(ctx: Ctx, err: HttpError, json: boolean): void {
  const headers: Record<string, string> = { ...err.headers };
  if (!headers['X-Error-Message']) headers['X-Error-Message'] = err.message;
  if (json) sendJson(ctx, err.status, { error: err.message }, headers);
  else send(ctx, err.status, err.body ?? err.message, 'text/plain; charset=utf-8', headers);
}

export async function readBody(req: Req, limit = 1 << 20): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > limit) throw new HttpError(413, 'Request body too large');
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export function decodeSegments(pathname: string): string[] | null {
  try {
    return pathname
      .split('/')
      .slice(1)
      .map((s) => decodeURIComponent(s));
  } catch {
    return null;
  }
}
