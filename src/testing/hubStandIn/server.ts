// A local stand-in for the Hugging Face Hub: two origins (hub + CDN) that answer like huggingface.co
// and its LFS/Xet CDN (hub-protocol.md §1, checklist §1.9), serving repos from folders in the static
// Hub layout (scripts/demo/staticHub.ts). Over HTTP/2 + TLS like the Hub (a self-signed certificate
// made at start; HTTP/1.1 clients are served on the same TLS port), or plain HTTP/1.1. Faults can be
// injected (ignored ranges, latency, 429, 503, failing CDN preflights, truncated bodies, transfers
// dropped halfway) and every response is counted, so tests can assert exactly what a client fetched.

import { createHash, createHmac, randomBytes } from 'node:crypto';
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import http from 'node:http';
import http2 from 'node:http2';
import type { Socket } from 'node:net';
import { selfSignedCertificate } from './tls.ts';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { join, resolve as resolvePath } from 'node:path';
import { lfsPointer, withDirectories, type TreeEntry, type TreeFileEntry } from './layout.ts';
import { RepoStore, SHA_RE, isSafePath, isSafeSegment, parseRange, type RepoInfo, type RepoRef } from './repoStore.ts';

export { parseRange } from './repoStore.ts';
import { passesListFilters } from './listModels.ts';

export interface HubFaults {
  /** the CDN answers range requests with 200 and the whole file */
  ignoreRange: boolean;
  /** delay added before every response, both origins (emulates round-trip time) */
  latencyMs: number;
  /** the next N hub requests get 429 with Retry-After (the CDN is not rate limited) */
  rateLimitNext: number;
  retryAfterSeconds: number;
  /** the next N requests (either origin, preflights excluded) get 503 */
  serverErrorNext: number;
  /** CDN preflights (OPTIONS) get 403, as in datasets#7931 */
  failPreflight: boolean;
  /** 206 responses carry fewer bytes than Content-Range says (the Chromium cache bug) */
  truncateBodies: boolean;
  /** every Nth ranged (206) answer promises its full Content-Length, sends half the body and
   * drops the transfer (HTTP/1.1: the connection closes; HTTP/2: the stream is reset); 0 = never.
   * The same range is dropped at most twice in a row: a client that tries 3 times gets through. */
  dropEvery: number;
  /** extra: signed CDN URLs only work for the Range of the request that got them (xet-core#897) */
  bindRangeToSignature: boolean;
  /** extra: small files on /api/resolve-cache are gzip-encoded when the client accepts it and sends
   * no Range (CloudFront does this; the browser then loses Content-Length and Accept-Ranges) */
  gzipSmallFiles: boolean;
}

export type StandInProtocol = 'h2' | 'http1';

export interface HubStandInOptions {
  /** 'h2': HTTPS with HTTP/2 (and HTTP/1.1 by ALPN) like huggingface.co; 'http1': plain HTTP (default) */
  protocol?: StandInProtocol;
  /** folders in the static Hub layout; the first that has a repo wins */
  roots: string[];
  /** interface and host name of both origins (default 127.0.0.1) */
  host?: string;
  hubPort?: number;
  /** 0 or absent = random free port (same for hubPort) */
  cdnPort?: number;
  /** host name of the CDN origin, to make it a different site from the hub (default: host) */
  cdnHost?: string;
  /** token → repo ids it may read, or ['*'] */
  tokens?: Record<string, string[]>;
  faults?: Partial<HubFaults>;
  /** small files: 307 to /api/resolve-cache like the real hub (default true), else 200 directly */
  smallFilesRedirect?: boolean;
  /** entries per /tree page (default 1000, or 50 with expand=true, as on the Hub) */
  treePageSize?: number;
  /** models per /api/models page when the request gives no smaller limit (default 1000) */
  searchPageSize?: number;
}

export interface HubStats {
  requests: number;
  /** response body bytes sent, both origins */
  bytes: number;
  /** body bytes of *.safetensors responses */
  tensorBytes: number;
  byRoute: Record<string, { requests: number; bytes: number }>;
  /** ranged answers dropped halfway by the dropEvery fault */
  dropped: number;
  /** `at`: when the request arrived, `doneAt`: when its answer ended (ms, the stand-in's clock) */
  log: {
    method: string;
    url: string;
    status: number;
    range?: string;
    bytes: number;
    origin: 'hub' | 'cdn';
    at: number;
    doneAt: number;
    httpVersion: string;
  }[];
}

export interface HubStandIn {
  hubUrl: string;
  cdnUrl: string;
  protocol: StandInProtocol;
  stats(): HubStats;
  resetStats(): void;
  setFaults(f: Partial<HubFaults>): void;
  close(): Promise<void>;
}

export const DEFAULT_FAULTS: HubFaults = {
  ignoreRange: false,
  latencyMs: 0,
  rateLimitNext: 0,
  retryAfterSeconds: 1,
  serverErrorNext: 0,
  failPreflight: false,
  truncateBodies: false,
  dropEvery: 0,
  bindRangeToSignature: false,
  gzipSmallFiles: false,
};

/** Exactly what huggingface.co exposes (hub-protocol §1.4). */
export const HUB_EXPOSE_HEADERS =
  'X-Repo-Commit,X-Request-Id,X-Error-Code,X-Error-Message,X-Total-Count,ETag,Link,Accept-Ranges,Content-Range,X-Linked-Size,X-Linked-ETag,X-Xet-Hash';
export const CDN_EXPOSE_HEADERS = 'Accept-Ranges, Content-Range, Content-Type, Content-Disposition, ETag, X-Cache';

const MODEL_EXPANDABLE_KEYS = [
  'author',
  'cardData',
  'config',
  'createdAt',
  'disabled',
  'downloads',
  'downloadsAllTime',
  'gated',
  'gitalyUid',
  'inferenceProviderMapping',
  'lastModified',
  'library_name',
  'likes',
  'model-index',
  'pipeline_tag',
  'private',
  'safetensors',
  'sha',
  'spaces',
  'tags',
  'transformersInfo',
];

const RATE_WINDOW_SECONDS = 300;
const RATE_QUOTA = { api: 500, resolvers: 3000 } as const;
const MAX_LOG_ENTRIES = 20_000;
const SIGNED_URL_SECONDS = 3600;

const MSG_INVALID_USER = 'Invalid username or password.';
const MSG_BAD_TOKEN = 'Invalid credentials in Authorization header';
const MSG_REPO_NOT_FOUND = 'Repository not found';
const MSG_ENTRY_NOT_FOUND = 'Entry not found';
const MSG_DISABLED = 'Access to this resource is disabled.';
const gatedAnonMessage = (id: string) =>
  `Access to model ${id} is restricted. You must have access to it and be authenticated to access it. Please log in.`;
const gatedDeniedMessage = (id: string) =>
  `Access to model ${id} is restricted and you are not in the authorized list. Visit https://huggingface.co/${id} to ask for access.`;

// ---------------------------------------------------------------------------------------------
// The server

type Req = http.IncomingMessage | http2.Http2ServerRequest;
type Res = http.ServerResponse | http2.Http2ServerResponse;

/** Cut a transfer short: reset the HTTP/2 stream, or close the HTTP/1.1 connection. */
function dropTransfer(res: Res): void {
  if ('stream' in res) res.stream.close(http2.constants.NGHTTP2_INTERNAL_ERROR);
  else res.destroy();
}

interface Ctx {
  req: Req;
  res: Res;
  origin: 'hub' | 'cdn';
  url: URL;
  route: string;
  /** the response serves a *.safetensors file */
  tensor: boolean;
}

class HttpError {
  constructor(
    readonly status: number,
    readonly message: string,
    readonly headers: Record<string, string> = {},
    readonly body?: string,
  ) {}
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function emptyStats(): HubStats {
  return { requests: 0, bytes: 0, tensorBytes: 0, byRoute: {}, dropped: 0, log: [] };
}

function listen(server: http.Server | http2.Http2SecureServer, host: string, port: number): Promise<number> {
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => {
      server.off('error', fail);
      ok((server.address() as AddressInfo).port);
    });
  });
}

function contentTypeFor(path: string): string {
  if (/\.(json|md|txt|py|yaml|yml|gitattributes)$/i.test(path) || path === '.gitattributes')
    return 'text/plain; charset=utf-8';
  return 'application/octet-stream';
}

export async function startHubStandIn(opts: HubStandInOptions): Promise<HubStandIn> {
  const host = opts.host ?? '127.0.0.1';
  const cdnHost = opts.cdnHost ?? host;
  const store = new RepoStore(opts.roots.map((r) => resolvePath(r)));
  const tokens = opts.tokens ?? {};
  const smallFilesRedirect = opts.smallFilesRedirect ?? true;
  const secret = randomBytes(16);
  let faults: HubFaults = { ...DEFAULT_FAULTS, ...opts.faults };
  let stats = emptyStats();
  let rangedAnswers = 0;
  const droppedRanges = new Map<string, number>();
  let rateWindow = { start: Date.now(), api: 0, resolvers: 0 };
  let hubUrl = '';
  let cdnUrl = '';

  // --- accounting -----------------------------------------------------------------------------
  function track(ctx: Ctx): void {
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
      stats.requests++;
      stats.bytes += bytes;
      if (ctx.tensor) stats.tensorBytes += bytes;
      const r = (stats.byRoute[ctx.route] ??= { requests: 0, bytes: 0 });
      r.requests++;
      r.bytes += bytes;
      if (stats.log.length < MAX_LOG_ENTRIES) {
        const range = req.headers.range;
        stats.log.push({
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

  // --- common headers -------------------------------------------------------------------------
  function hubHeaders(ctx: Ctx, bucket: 'api' | 'resolvers', vary = 'Origin'): void {
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
    if (now - rateWindow.start >= RATE_WINDOW_SECONDS * 1000) rateWindow = { start: now, api: 0, resolvers: 0 };
    rateWindow[bucket]++;
    const remaining = Math.max(0, RATE_QUOTA[bucket] - rateWindow[bucket]);
    const reset = Math.max(0, Math.ceil(RATE_WINDOW_SECONDS - (now - rateWindow.start) / 1000));
    res.setHeader('RateLimit', `"${bucket}";r=${remaining};t=${reset}`);
    res.setHeader('RateLimit-Policy', `"fixed window";"${bucket}";q=${RATE_QUOTA[bucket]};w=${RATE_WINDOW_SECONDS}`);
  }

  function cdnHeaders(ctx: Ctx): void {
    ctx.res.setHeader('Access-Control-Allow-Origin', '*');
    ctx.res.setHeader('Access-Control-Expose-Headers', CDN_EXPOSE_HEADERS);
  }

  function send(
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

  function sendJson(ctx: Ctx, status: number, value: unknown, headers: Record<string, string> = {}): void {
    send(ctx, status, JSON.stringify(value), 'application/json; charset=utf-8', headers);
  }

  /** An error the way the hub sends it: JSON on /api, plain text on resolve. */
  function sendError(ctx: Ctx, err: HttpError, json: boolean): void {
    const headers: Record<string, string> = { ...err.headers };
    if (!headers['X-Error-Message']) headers['X-Error-Message'] = err.message;
    if (json) sendJson(ctx, err.status, { error: err.message }, headers);
    else send(ctx, err.status, err.body ?? err.message, 'text/plain; charset=utf-8', headers);
  }

  // --- access control -------------------------------------------------------------------------
  function bearer(req: Req): { present: boolean; token: string | null } {
    const h = req.headers.authorization;
    if (h === undefined) return { present: false, token: null };
    const m = /^Bearer\s+(\S+)\s*$/i.exec(h);
    return { present: true, token: m ? (m[1] as string) : null };
  }

  function grants(token: string, repoId: string): boolean {
    const list = tokens[token] ?? [];
    return list.includes('*') || list.includes(repoId);
  }

  /** Checks the token and the repo's visibility; `content` also enforces gating. */
  function authorize(
    ctx: Ctx,
    org: string,
    name: string,
    mode: 'metadata' | 'content',
  ): { repo: RepoRef; info: RepoInfo } {
    const auth = bearer(ctx.req);
    const token = auth.token !== null && auth.token in tokens ? auth.token : null;
    if (auth.present && token === null) throw new HttpError(401, MSG_BAD_TOKEN);
    const repo = store.find(org, name);
    const info = repo ? store.info(repo) : null;
    const id = repo?.id ?? `${org}/${name}`;
    const hidden = !repo || !info || (info.private === true && !(token && grants(token, id)));
    if (hidden) {
      if (token) throw new HttpError(404, MSG_REPO_NOT_FOUND, { 'X-Error-Code': 'RepoNotFound' });
      throw new HttpError(401, MSG_INVALID_USER, {
        'WWW-Authenticate': 'Bearer realm="Authentication required", charset="UTF-8"',
      });
    }
    if (info.disabled === true) throw new HttpError(403, MSG_DISABLED);
    if (mode === 'content' && info.gated !== false && info.gated !== undefined && !(token && grants(token, id))) {
      if (!token) {
        throw new HttpError(401, gatedAnonMessage(id), {
          'X-Error-Code': 'GatedRepo',
          'WWW-Authenticate': 'Bearer realm="Authentication required", charset="UTF-8"',
        });
      }
      throw new HttpError(403, gatedDeniedMessage(id), { 'X-Error-Code': 'GatedRepo' });
    }
    return { repo: repo as RepoRef, info };
  }

  function revisionOrThrow(repo: RepoRef, rev: string): string {
    const sha = store.resolveRevision(repo, rev);
    if (!sha) throw new HttpError(404, `Invalid rev id: ${rev}`, { 'X-Error-Code': 'RevisionNotFound' });
    return sha;
  }

  function infoAt(repo: RepoRef, sha: string): RepoInfo {
    try {
      return store.info(repo, sha);
    } catch {
      return store.info(repo);
    }
  }

  // --- file serving (hub small files and CDN) -------------------------------------------------
  function serveFile(
    ctx: Ctx,
    abs: string,
    size: number,
    headers: Record<string, string>,
    opts: { honourRange: boolean },
  ): void {
    const { req, res } = ctx;
    for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
    res.setHeader('Accept-Ranges', 'bytes');
    const range = opts.honourRange ? parseRange(req.headers.range, size) : { kind: 'none' as const };
    if (range.kind === 'unsatisfiable') {
      res.setHeader('Content-Range', `bytes */${size}`);
      send(ctx, 416, '', 'text/plain; charset=utf-8');
      return;
    }
    let start = 0;
    let end = size - 1;
    if (range.kind === 'single') {
      start = range.start;
      end = range.end;
      res.statusCode = 206;
      res.setHeader('Content-Range', `bytes ${start}-${end}/${size}`);
      if (faults.truncateBodies) end = start + Math.floor((end - start + 1) / 2) - 1;
    } else {
      res.statusCode = 200;
    }
    const length = Math.max(0, end - start + 1);
    res.setHeader('Content-Length', String(length));
    if (req.method === 'HEAD' || length === 0) {
      res.end();
      return;
    }
    const rangeKey = `${ctx.url.pathname} ${start}-${end}`;
    const droppedBefore = droppedRanges.get(rangeKey) ?? 0;
    if (
      range.kind === 'single' &&
      faults.dropEvery > 0 &&
      ++rangedAnswers % faults.dropEvery === 0 &&
      droppedBefore < 2
    ) {
      droppedRanges.set(rangeKey, droppedBefore + 1);
      // the headers promised `length` bytes; send half of them and drop the transfer
      stats.dropped++;
      const half = Math.max(1, Math.floor(length / 2));
      const partial = createReadStream(abs, { start, end: start + half - 1 });
      partial.on('error', () => dropTransfer(res));
      partial.on('data', (chunk) => (res as http.ServerResponse).write(chunk));
      partial.on('end', () => setTimeout(() => dropTransfer(res), 5));
      return;
    }
    droppedRanges.delete(rangeKey);
    const stream = createReadStream(abs, { start, end });
    stream.on('error', () => dropTransfer(res));
    res.on('close', () => stream.destroy());
    stream.pipe(res as NodeJS.WritableStream);
  }

  async function fileEntry(repo: RepoRef, sha: string, path: string): Promise<TreeFileEntry | null> {
    if (!isSafePath(path)) return null;
    const abs = join(store.commitDir(repo, sha), ...path.split('/'));
    if (!existsSync(abs) || !statSync(abs).isFile()) return null;
    return (await store.files(repo, sha)).find((f) => f.path === path) ?? null;
  }

  function entryNotFound(sha: string): HttpError {
    return new HttpError(
      404,
      MSG_ENTRY_NOT_FOUND,
      { 'X-Error-Code': 'EntryNotFound', 'X-Repo-Commit': sha },
      MSG_ENTRY_NOT_FOUND,
    );
  }

  const xetHashOf = (lfsOid: string) => createHash('sha256').update(`xet:${lfsOid}`).digest('hex');

  function sign(path: string, expires: number, range: string): string {
    return createHmac('sha256', secret).update(`${path}\n${expires}\n${range}`).digest('base64url');
  }

  // --- hub routes -----------------------------------------------------------------------------
  async function handleResolve(
    ctx: Ctx,
    org: string,
    name: string,
    rev: string,
    path: string,
    raw: boolean,
  ): Promise<void> {
    const { repo } = authorize(ctx, org, name, 'content');
    const sha = revisionOrThrow(repo, rev);
    const entry = await fileEntry(repo, sha, path);
    if (!entry) throw entryNotFound(sha);
    const abs = join(store.commitDir(repo, sha), ...path.split('/'));
    const common = { 'X-Repo-Commit': sha };

    if (raw) {
      if (entry.lfs) {
        const pointer = lfsPointer(entry.lfs.oid, entry.lfs.size);
        send(ctx, 200, pointer, 'text/plain; charset=utf-8', { ...common, ETag: `"${entry.oid}"` });
      } else {
        serveFile(
          ctx,
          abs,
          entry.size,
          { ...common, ETag: `"${entry.oid}"`, 'Content-Type': contentTypeFor(path) },
          { honourRange: true },
        );
      }
      return;
    }

    if (entry.lfs) {
      const xet = xetHashOf(entry.lfs.oid);
      const cdnPath = `/xet-bridge-us/${store.roots.indexOf(repo.root)}/${org}/${name}/${sha}/${path.split('/').map(encodeURIComponent).join('/')}`;
      const expires = Math.floor(Date.now() / 1000) + SIGNED_URL_SECONDS;
      const policy = Buffer.from(
        JSON.stringify({
          Statement: [{ Resource: `${cdnUrl}${cdnPath}`, Condition: { DateLessThan: { 'AWS:EpochTime': expires } } }],
        }),
      ).toString('base64url');
      // The signature covers the Range of this request, like the xet bridge (hub-protocol §1.3);
      // the CDN only enforces it with the bindRangeToSignature fault.
      const signedRange = ctx.req.headers.range ?? '';
      const location = `${cdnUrl}${cdnPath}?X-Xet-Cas-Uid=public&X-Xet-Signed-Range=${encodeURIComponent(signedRange || 'none')}&Expires=${expires}&Policy=${policy}&Signature=${sign(cdnPath, expires, signedRange)}&Key-Pair-Id=K2L8F4GPSG1IFC`;
      send(ctx, 302, `Found. Redirecting to ${location}`, 'text/plain; charset=utf-8', {
        ...common,
        Location: location,
        'X-Linked-Size': String(entry.size),
        'X-Linked-ETag': `"${entry.lfs.oid}"`,
        'X-Xet-Hash': xet,
        'Accept-Ranges': 'bytes',
        'Cache-Control': 'no-store',
      });
      return;
    }

    const etag = `"${entry.oid}"`;
    if (smallFilesRedirect) {
      const encPath = path.split('/').map(encodeURIComponent).join('/');
      const original = encodeURIComponent(`/${org}/${name}/resolve/${encodeURIComponent(rev)}/${path}`);
      const location = `/api/resolve-cache/models/${org}/${name}/${sha}/${encPath}?${original}=&etag=${encodeURIComponent(etag)}`;
      send(ctx, 307, `Temporary Redirect. Redirecting to ${location}`, 'text/plain; charset=utf-8', {
        ...common,
        Location: location,
        'X-Linked-ETag': etag,
        'Accept-Ranges': 'bytes',
      });
      return;
    }
    serveFile(
      ctx,
      abs,
      entry.size,
      { ...common, ETag: etag, 'Content-Type': contentTypeFor(path) },
      { honourRange: true },
    );
  }

  async function handleResolveCache(ctx: Ctx, org: string, name: string, sha: string, path: string): Promise<void> {
    const { repo } = authorize(ctx, org, name, 'content');
    if (!SHA_RE.test(sha) || store.resolveRevision(repo, sha) !== sha) {
      throw new HttpError(404, `Invalid rev id: ${sha}`, { 'X-Error-Code': 'RevisionNotFound' });
    }
    const entry = await fileEntry(repo, sha, path);
    if (!entry || entry.lfs) throw entryNotFound(sha);
    const abs = join(store.commitDir(repo, sha), ...path.split('/'));
    ctx.tensor = path.endsWith('.safetensors');
    const headers = {
      'X-Repo-Commit': sha,
      ETag: `"${entry.oid}"`,
      'Content-Type': contentTypeFor(path),
      'Cache-Control': 'public, max-age=31536000, immutable',
    };
    if (
      faults.gzipSmallFiles &&
      ctx.req.headers.range === undefined &&
      /\bgzip\b/.test(String(ctx.req.headers['accept-encoding'] ?? ''))
    ) {
      const body = gzipSync(readFileSync(abs));
      for (const [k, v] of Object.entries(headers)) ctx.res.setHeader(k, v);
      ctx.res.setHeader('Content-Encoding', 'gzip');
      ctx.res.statusCode = 200;
      if (ctx.req.method === 'HEAD') ctx.res.end();
      else {
        (ctx.res as http.ServerResponse).write(body); // chunked: no Content-Length, no Accept-Ranges, as through CloudFront
        ctx.res.end();
      }
      return;
    }
    serveFile(ctx, abs, entry.size, headers, { honourRange: true });
  }

  function parseExpand(url: URL): string[] | null {
    const keys = [...url.searchParams.getAll('expand'), ...url.searchParams.getAll('expand[]')];
    if (keys.length === 0) return null;
    for (const k of keys) {
      if (!MODEL_EXPANDABLE_KEYS.includes(k)) {
        throw new HttpError(400, `"expand" must be one of [${MODEL_EXPANDABLE_KEYS.map((x) => `"${x}"`).join(', ')}]`);
      }
    }
    return keys;
  }

  function pick(info: RepoInfo, keys: string[] | null): Record<string, unknown> {
    if (!keys) return info;
    const out: Record<string, unknown> = { _id: info._id, id: info.id };
    for (const k of keys) if (k in info) out[k] = info[k];
    return out;
  }

  async function handleModelInfo(ctx: Ctx, org: string, name: string, rev: string | null): Promise<void> {
    const { repo } = authorize(ctx, org, name, 'metadata');
    const sha = revisionOrThrow(repo, rev ?? 'main');
    const info: RepoInfo = { ...infoAt(repo, sha), sha };
    if (ctx.url.searchParams.get('blobs') === 'true' || ctx.url.searchParams.get('blobs') === '1') {
      const files = await store.files(repo, sha);
      info.siblings = files.map((f) => ({
        rfilename: f.path,
        blobId: f.oid,
        size: f.size,
        ...(f.lfs ? { lfs: { sha256: f.lfs.oid, size: f.lfs.size, pointerSize: f.lfs.pointerSize } } : {}),
      }));
    }
    sendJson(ctx, 200, pick(info, parseExpand(ctx.url)));
  }

  function pageLink(pathname: string, params: URLSearchParams, offset: number): string {
    const next = new URLSearchParams(params);
    next.set('cursor', Buffer.from(JSON.stringify({ offset })).toString('base64url'));
    return `<${hubUrl}${pathname}?${next.toString()}>; rel="next"`;
  }

  function cursorOffset(url: URL): number {
    const c = url.searchParams.get('cursor');
    if (!c) return 0;
    try {
      const v = (JSON.parse(Buffer.from(c, 'base64url').toString('utf8')) as { offset?: unknown }).offset;
      if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return v;
    } catch {
      // fall through
    }
    throw new HttpError(400, 'Invalid cursor');
  }

  const truthy = (v: string | null) => v === 'true' || v === '1';

  async function handleTree(ctx: Ctx, org: string, name: string, rev: string, dirPath: string): Promise<void> {
    const { repo } = authorize(ctx, org, name, 'metadata');
    const sha = revisionOrThrow(repo, rev);
    const info = infoAt(repo, sha);
    const recursive = truthy(ctx.url.searchParams.get('recursive'));
    const expand = truthy(ctx.url.searchParams.get('expand'));
    const all = withDirectories(await store.files(repo, sha));
    let entries: TreeEntry[];
    if (dirPath) {
      const self = all.find((e) => e.path === dirPath);
      if (!self || self.type === 'file') throw entryNotFound(sha);
      const prefix = `${dirPath}/`;
      entries = all.filter(
        (e) => e.path.startsWith(prefix) && (recursive || !e.path.slice(prefix.length).includes('/')),
      );
    } else {
      entries = recursive ? all : all.filter((e) => !e.path.includes('/'));
    }
    const pageSize = opts.treePageSize ?? (expand ? 50 : 1000);
    const offset = cursorOffset(ctx.url);
    const page = entries.slice(offset, offset + pageSize).map((e) => {
      if (!expand) return e;
      const extra: Record<string, unknown> = {
        lastCommit: { id: sha, title: 'Upload synthetic model', date: info.lastModified },
      };
      if (e.type === 'file' && e.lfs) extra.xetHash = xetHashOf(e.lfs.oid);
      return { ...e, ...extra };
    });
    const headers: Record<string, string> = {};
    if (offset + pageSize < entries.length)
      headers.Link = pageLink(ctx.url.pathname, ctx.url.searchParams, offset + pageSize);
    sendJson(ctx, 200, page, headers);
  }

  async function readBody(req: Req, limit = 1 << 20): Promise<string> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const c of req) {
      size += (c as Buffer).length;
      if (size > limit) throw new HttpError(413, 'Request body too large');
      chunks.push(c as Buffer);
    }
    return Buffer.concat(chunks).toString('utf8');
  }

  async function handlePathsInfo(ctx: Ctx, org: string, name: string, rev: string): Promise<void> {
    const body = await readBody(ctx.req);
    const { repo } = authorize(ctx, org, name, 'metadata');
    const sha = revisionOrThrow(repo, rev);
    let paths: string[] = [];
    if ((ctx.req.headers['content-type'] ?? '').includes('application/json')) {
      try {
        const parsed = JSON.parse(body) as { paths?: unknown };
        paths = Array.isArray(parsed.paths)
          ? parsed.paths.map(String)
          : typeof parsed.paths === 'string'
            ? [parsed.paths]
            : [];
      } catch {
        throw new HttpError(400, 'Invalid JSON body');
      }
    } else {
      paths = new URLSearchParams(body).getAll('paths');
    }
    const all = withDirectories(await store.files(repo, sha));
    sendJson(
      ctx,
      200,
      all.filter((e) => paths.includes(e.path)),
    );
  }

  function handleSearch(ctx: Ctx): void {
    const auth = bearer(ctx.req);
    const token = auth.token !== null && auth.token in tokens ? auth.token : null;
    if (auth.present && token === null) throw new HttpError(401, MSG_BAD_TOKEN);
    const p = ctx.url.searchParams;
    const search = (p.get('search') ?? '').toLowerCase();
    const author = p.get('author');
    const limitParam = p.get('limit');
    const limit = limitParam !== null && /^\d+$/.test(limitParam) ? Math.min(Number(limitParam), 1000) : 1000;
    const expand = parseExpand(ctx.url);
    // as on the Hub: every `filter` value is a tag the model must carry (several are ANDed);
    // base_model:ORG/NAME lists the children of every relation, base_model:finetune:ORG/NAME one
    const filters = p
      .getAll('filter')
      .flatMap((f) => f.split(','))
      .map((f) => f.trim().toLowerCase())
      .filter((f) => f !== '');
    const matches: RepoInfo[] = [];
    for (const repo of store.all()) {
      if (search && !repo.id.toLowerCase().includes(search)) continue;
      if (author && repo.org !== author) continue;
      let info: RepoInfo;
      try {
        info = store.info(repo);
      } catch {
        continue;
      }
      if (info.private === true && !(token && grants(token, repo.id))) continue;
      const tags = Array.isArray(info.tags) ? info.tags.map((t) => String(t).toLowerCase()) : [];
      if (!filters.every((f) => tags.includes(f)) || !passesListFilters(info, p)) continue;
      matches.push(info);
    }
    // sort=downloads|likes|createdAt|lastModified is descending (the Hub is retiring `direction`)
    const sort = p.get('sort');
    if (sort === 'downloads' || sort === 'likes') matches.sort((x, y) => Number(y[sort] ?? 0) - Number(x[sort] ?? 0));
    else if (sort === 'createdAt' || sort === 'lastModified')
      matches.sort((x, y) => String(y[sort] ?? '').localeCompare(String(x[sort] ?? '')));
    if (p.get('direction') === '1') matches.reverse();
    // As on the Hub, `limit` is the page size; further pages come with Link rel="next".
    const pageSize = Math.max(1, Math.min(opts.searchPageSize ?? 1000, limit));
    const offset = cursorOffset(ctx.url);
    const page = matches.slice(offset, offset + pageSize).map((info) =>
      expand
        ? pick(info, expand)
        : {
            _id: info._id,
            id: info.id,
            likes: info.likes ?? 0,
            trendingScore: 0,
            private: info.private ?? false,
            downloads: info.downloads ?? 0,
            tags: info.tags ?? [],
            pipeline_tag: info.pipeline_tag,
            library_name: info.library_name,
            createdAt: info.createdAt,
            modelId: info.id,
          },
    );
    const headers: Record<string, string> = {};
    if (offset + pageSize < matches.length) headers.Link = pageLink(ctx.url.pathname, p, offset + pageSize);
    sendJson(ctx, 200, page, headers);
  }

  // --- control surface ------------------------------------------------------------------------
  async function handleControl(ctx: Ctx, action: string): Promise<void> {
    const method = ctx.req.method ?? 'GET';
    if (action === 'stats' && method === 'GET') return sendJson(ctx, 200, stats);
    if (action === 'faults' && method === 'GET') return sendJson(ctx, 200, faults);
    if (action === 'reset' && method === 'POST') {
      await readBody(ctx.req);
      stats = emptyStats();
      rangedAnswers = 0;
      if (truthy(ctx.url.searchParams.get('faults'))) faults = { ...DEFAULT_FAULTS };
      return sendJson(ctx, 200, { ok: true });
    }
    if (action === 'faults' && method === 'POST') {
      const body = await readBody(ctx.req);
      let patch: Partial<HubFaults>;
      try {
        patch = body.trim() ? (JSON.parse(body) as Partial<HubFaults>) : {};
      } catch {
        throw new HttpError(400, 'Body must be JSON');
      }
      const base = truthy(ctx.url.searchParams.get('replace')) ? DEFAULT_FAULTS : faults;
      faults = { ...base, ...sanitizeFaults(patch) };
      return sendJson(ctx, 200, faults);
    }
    throw new HttpError(404, 'Unknown stand-in control route');
  }

  // --- dispatch -------------------------------------------------------------------------------
  function preflight(ctx: Ctx): void {
    const { req, res } = ctx;
    if (ctx.origin === 'cdn') {
      if (faults.failPreflight) {
        send(ctx, 403, 'Forbidden', 'text/plain; charset=utf-8');
        return;
      }
      res.setHeader('Access-Control-Allow-Origin', '*');
      res.setHeader('Access-Control-Allow-Methods', 'GET, HEAD');
      res.setHeader('Access-Control-Allow-Headers', req.headers['access-control-request-headers'] ?? '*');
      res.setHeader('Access-Control-Max-Age', '86400');
    } else {
      hubHeaders(ctx, ctx.url.pathname.startsWith('/api/') ? 'api' : 'resolvers');
      const reqHeaders = req.headers['access-control-request-headers'];
      if (reqHeaders) res.setHeader('Access-Control-Allow-Headers', reqHeaders);
      res.setHeader('Access-Control-Allow-Methods', req.headers['access-control-request-method'] ?? 'GET');
    }
    res.statusCode = 204;
    res.end();
  }

  function decodeSegments(pathname: string): string[] | null {
    try {
      return pathname
        .split('/')
        .slice(1)
        .map((s) => decodeURIComponent(s));
    } catch {
      return null;
    }
  }

  async function hubRequest(ctx: Ctx): Promise<void> {
    const segs = decodeSegments(ctx.url.pathname) ?? [];
    const method = ctx.req.method ?? 'GET';
    const isApi = segs[0] === 'api';
    const isResolve = segs.length >= 5 && (segs[2] === 'resolve' || segs[2] === 'raw');
    ctx.route = isApi ? 'api' : isResolve ? (segs[2] as string) : 'not-found';
    if (segs[1] === 'resolve-cache') ctx.route = 'resolve-cache';
    hubHeaders(
      ctx,
      isApi && segs[1] !== 'resolve-cache' ? 'api' : 'resolvers',
      isResolve ? 'Origin, Accept' : 'Origin',
    );
    const json = isApi && segs[1] !== 'resolve-cache';

    try {
      if (faults.rateLimitNext > 0) {
        faults.rateLimitNext--;
        const bucket = isApi && segs[1] !== 'resolve-cache' ? 'api' : 'resolvers';
        throw new HttpError(429, `You have been rate-limited; retry in ${faults.retryAfterSeconds} seconds.`, {
          'Retry-After': String(faults.retryAfterSeconds),
          RateLimit: `"${bucket}";r=0;t=${faults.retryAfterSeconds}`,
        });
      }
      if (faults.serverErrorNext > 0) {
        faults.serverErrorNext--;
        throw new HttpError(503, 'Service Unavailable');
      }
      const [a, b, c, d] = segs;
      if (a === 'api' && b === 'models') {
        if (segs.length === 2 || (segs.length === 3 && c === '')) {
          if (method !== 'GET' && method !== 'HEAD') throw new HttpError(405, 'Method not allowed');
          ctx.route = 'api-search';
          return handleSearch(ctx);
        }
        const org = c ?? '';
        const name = d ?? '';
        const rest = segs.slice(4);
        if (rest.length === 0 || (rest[0] === 'revision' && rest.length >= 2)) {
          ctx.route = 'api-model';
          return await handleModelInfo(ctx, org, name, rest.length === 0 ? null : rest.slice(1).join('/'));
        }
        if (rest[0] === 'tree' && rest.length >= 2) {
          ctx.route = 'api-tree';
          return await handleTree(
            ctx,
            org,
            name,
            rest[1] as string,
            rest
              .slice(2)
              .filter((s) => s !== '')
              .join('/'),
          );
        }
        if (rest[0] === 'paths-info' && rest.length >= 2 && method === 'POST') {
          ctx.route = 'api-paths-info';
          return await handlePathsInfo(ctx, org, name, rest.slice(1).join('/'));
        }
      }
      if (
        a === 'api' &&
        b === 'resolve-cache' &&
        c === 'models' &&
        segs.length >= 7 &&
        (method === 'GET' || method === 'HEAD')
      ) {
        return await handleResolveCache(
          ctx,
          segs[3] as string,
          segs[4] as string,
          segs[5] as string,
          segs.slice(6).join('/'),
        );
      }
      if (isResolve && (method === 'GET' || method === 'HEAD')) {
        return await handleResolve(
          ctx,
          a as string,
          b as string,
          segs[3] as string,
          segs.slice(4).join('/'),
          segs[2] === 'raw',
        );
      }
      throw new HttpError(404, "Sorry, we can't find the page you are looking for.");
    } catch (e) {
      if (!(e instanceof HttpError)) throw e;
      sendError(ctx, e, json);
    }
  }

  async function cdnRequest(ctx: Ctx): Promise<void> {
    cdnHeaders(ctx);
    ctx.route = 'cdn';
    const method = ctx.req.method ?? 'GET';
    const fail = (status: number, message: string) => send(ctx, status, message, 'text/plain; charset=utf-8');
    if (faults.serverErrorNext > 0) {
      faults.serverErrorNext--;
      return fail(503, 'Service Unavailable');
    }
    if (method !== 'GET' && method !== 'HEAD') return fail(405, 'Method Not Allowed');
    const segs = decodeSegments(ctx.url.pathname);
    if (!segs || segs[0] !== 'xet-bridge-us' || segs.length < 6) return fail(404, 'Not Found');
    const expires = Number(ctx.url.searchParams.get('Expires'));
    const signature = ctx.url.searchParams.get('Signature') ?? '';
    const signedRangeParam = ctx.url.searchParams.get('X-Xet-Signed-Range') ?? 'none';
    const signedRange = signedRangeParam === 'none' ? '' : signedRangeParam;
    if (!Number.isFinite(expires) || signature !== sign(ctx.url.pathname, expires, signedRange)) {
      return fail(403, 'Auth failed: invalid signature');
    }
    if (faults.bindRangeToSignature && (ctx.req.headers.range ?? '') !== signedRange) {
      return fail(403, 'Auth failed: invalid range');
    }
    if (expires < Date.now() / 1000) return fail(403, 'Auth failed: the signed URL has expired');
    const root = store.roots[Number(segs[1])];
    const [org, name, sha] = [segs[2] as string, segs[3] as string, segs[4] as string];
    const path = segs.slice(5).join('/');
    if (!root || !isSafeSegment(org) || !isSafeSegment(name) || !SHA_RE.test(sha) || !isSafePath(path))
      return fail(404, 'Not Found');
    const repo: RepoRef = { id: `${org}/${name}`, org, name, root };
    const entry = await fileEntry(repo, sha, path);
    if (!entry) return fail(404, 'Not Found');
    const abs = join(store.commitDir(repo, sha), ...path.split('/'));
    const base = path.split('/').pop() ?? path;
    ctx.tensor = path.endsWith('.safetensors');
    serveFile(
      ctx,
      abs,
      entry.size,
      {
        ETag: `"${entry.lfs ? xetHashOf(entry.lfs.oid) : entry.oid}"`,
        'Content-Type': 'application/octet-stream',
        'Content-Disposition': `inline; filename*=UTF-8''${encodeURIComponent(base)}; filename="${base}";`,
        'Cache-Control': 'public, max-age=31536000',
        'X-Cache': 'Hit from cloudfront',
        'Last-Modified': 'Tue, 10 Feb 2026 09:30:00 GMT',
      },
      { honourRange: !faults.ignoreRange },
    );
  }

  function handler(origin: 'hub' | 'cdn') {
    return (req: Req, res: Res): void => {
      const base = origin === 'hub' ? hubUrl : cdnUrl;
      const url = new URL(req.url ?? '/', base);
      const ctx: Ctx = { req, res, origin, url, route: origin === 'cdn' ? 'cdn' : 'not-found', tensor: false };
      const run = async () => {
        if (origin === 'hub' && url.pathname.startsWith('/__standin/')) {
          // the control surface: CORS like the hub, but no faults, latency or accounting
          res.setHeader('Access-Control-Allow-Origin', req.headers.origin ?? '*');
          res.setHeader('Vary', 'Origin');
          res.setHeader('Cache-Control', 'no-store');
          // lets a page read nextHopProtocol of these answers (tests check the browser speaks h2)
          res.setHeader('Timing-Allow-Origin', '*');
          if (req.method === 'OPTIONS') {
            res.setHeader('Access-Control-Allow-Methods', 'GET, POST');
            res.setHeader(
              'Access-Control-Allow-Headers',
              req.headers['access-control-request-headers'] ?? 'content-type',
            );
            res.statusCode = 204;
            res.end();
            return;
          }
          try {
            await handleControl(ctx, url.pathname.slice('/__standin/'.length));
          } catch (e) {
            if (!(e instanceof HttpError)) throw e;
            sendJson(ctx, e.status, { error: e.message });
          }
          return;
        }
        track(ctx);
        if (faults.latencyMs > 0) await sleep(faults.latencyMs);
        if (req.method === 'OPTIONS') {
          ctx.route = 'preflight';
          preflight(ctx);
          return;
        }
        if (origin === 'hub') await hubRequest(ctx);
        else await cdnRequest(ctx);
      };
      run().catch((err: unknown) => {
        if (!res.headersSent) {
          res.statusCode = 500;
          res.setHeader('Content-Type', 'text/plain; charset=utf-8');
          res.end(`Internal stand-in error: ${err instanceof Error ? err.message : String(err)}`);
        } else {
          dropTransfer(res);
        }
      });
    };
  }

  const protocol = opts.protocol ?? 'http1';
  const sockets = new Set<Socket>();
  const makeServer = (origin: 'hub' | 'cdn') => {
    const server =
      protocol === 'h2'
        ? http2.createSecureServer({ ...selfSignedCertificate(), allowHTTP1: true }, handler(origin))
        : http.createServer(handler(origin));
    server.on('connection', (s: Socket) => {
      sockets.add(s);
      s.once('close', () => sockets.delete(s));
    });
    return server;
  };
  const hubServer = makeServer('hub');
  const cdnServer = makeServer('cdn');
  const hubPort = await listen(hubServer, host, opts.hubPort ?? 0);
  const cdnPort = await listen(cdnServer, cdnHost, opts.cdnPort ?? 0);
  const urlHost = (h: string) => (h.includes(':') ? `[${h}]` : h);
  const scheme = protocol === 'h2' ? 'https' : 'http';
  hubUrl = `${scheme}://${urlHost(host)}:${hubPort}`;
  cdnUrl = `${scheme}://${urlHost(cdnHost)}:${cdnPort}`;

  const closeServer = (s: http.Server | http2.Http2SecureServer) =>
    new Promise<void>((ok) => {
      s.close(() => ok());
      for (const socket of sockets) socket.destroy();
    });

  return {
    hubUrl,
    cdnUrl,
    protocol,
    stats: () => structuredClone(stats),
    resetStats: () => {
      stats = emptyStats();
      rangedAnswers = 0;
    },
    setFaults: (f) => {
      faults = { ...faults, ...sanitizeFaults(f) };
    },
    close: async () => {
      await Promise.all([closeServer(hubServer), closeServer(cdnServer)]);
    },
  };
}

function sanitizeFaults(patch: Partial<HubFaults>): Partial<HubFaults> {
  const out: Partial<HubFaults> = {};
  for (const key of Object.keys(DEFAULT_FAULTS) as (keyof HubFaults)[]) {
    const v = (patch as Record<string, unknown>)[key];
    if (v === undefined) continue;
    if (typeof DEFAULT_FAULTS[key] === 'boolean') (out as Record<string, unknown>)[key] = Boolean(v);
    else if (typeof v === 'number' && Number.isFinite(v) && v >= 0) (out as Record<string, unknown>)[key] = v;
  }
  return out;
}
