// The only place that calls fetch. Every request is a plain GET with at most a single Range header
// (no preflight on the CDN hop), no cookies, no referrer, and no HTTP cache (Chromium has served
// truncated 206 bodies from its cache); the app keeps its own cache.
import { formatRangeHeader } from '../core/ranges.ts';
import { HubError, errorFromResponse, toHubError, type ErrorContext } from './errors.ts';
import { isHubUrl } from './repoUrls.ts';

/** A server that ignores Range may still hand us a file this small whole. */
export const SMALL_FILE_LIMIT = 4 * 1024 * 1024;
/** Longest Retry-After we are willing to sit through inside one load. */
const MAX_RETRY_AFTER_MS = 30_000;

export interface RetryOptions {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** injectable for tests */
  random: () => number;
}
export const DEFAULT_RETRY: RetryOptions = { maxAttempts: 4, baseDelayMs: 400, maxDelayMs: 8000, random: Math.random };

/** Counts every request and every body byte we received, for the transfer panel. */
export class TransferCounter {
  requests = 0;
  bytes = 0;
}

export interface HttpContext {
  fetch: typeof fetch;
  hub: string;
  counter: TransferCounter;
  /** sent only to URLs on `hub` (fetch itself drops it on the cross-origin CDN redirect) */
  token?: string;
  signal?: AbortSignal;
  retry?: Partial<RetryOptions>;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Drop a body we will not read; a range-ignoring server would otherwise stream gigabytes. */
export async function discardBody(res: Response): Promise<void> {
  await res.body?.cancel().catch(() => undefined);
}

const isTransient = (status: number) => status === 429 || status >= 500;

/** One attempt: an OK response, or a transient error worth retrying; definite errors throw. */
async function attemptOnce(url: string, init: RequestInit, ctx: HttpContext, ectx: ErrorContext): Promise<Response | HubError> {
  ctx.counter.requests++;
  let res: Response;
  try {
    res = await ctx.fetch(url, init);
  } catch (e) {
    const err = toHubError(e, ectx, ctx.signal);
    if (err.kind === 'network') return err;
    throw err;
  }
  if (res.ok) return res;
  const err = errorFromResponse(res, ectx);
  await discardBody(res);
  if (isTransient(res.status)) return err;
  throw err;
}

/**
 * GET with retries on 429, 5xx and network errors (exponential backoff with jitter, or the
 * Retry-After when the server lets us read it). Returns a 2xx response; throws HubError otherwise.
 */
export async function fetchWithRetry(url: string, headers: Record<string, string>, ctx: HttpContext, errCtx: ErrorContext): Promise<Response> {
  const retry = { ...DEFAULT_RETRY, ...ctx.retry };
  const sendToken = ctx.token !== undefined && ctx.token !== '' && isHubUrl(ctx.hub, url);
  const init: RequestInit = {
    method: 'GET',
    headers: sendToken ? { ...headers, Authorization: `Bearer ${ctx.token}` } : headers,
    referrerPolicy: 'no-referrer',
    credentials: 'omit',
    cache: 'no-store',
    redirect: 'follow',
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  };
  const ectx: ErrorContext = { ...errCtx, url, withToken: sendToken };
  for (let attempt = 1; ; attempt++) {
    if (ctx.signal?.aborted) throw toHubError(ctx.signal.reason, ectx, ctx.signal);
    const outcome = await attemptOnce(url, init, ctx, ectx);
    if (outcome instanceof Response) return outcome;
    if (attempt >= retry.maxAttempts) throw outcome;
    const waitMs =
      outcome.retryAfterSeconds !== undefined
        ? outcome.retryAfterSeconds * 1000
        : Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (attempt - 1)) * (0.5 + retry.random());
    if (waitMs > MAX_RETRY_AFTER_MS) throw outcome;
    try {
      await sleep(waitMs, ctx.signal);
    } catch (e) {
      throw toHubError(e, ectx, ctx.signal);
    }
  }
}

export interface ContentRange {
  first: number;
  last: number;
  total: number | null;
}

export function parseContentRange(value: string | null): ContentRange | null {
  const m = /^bytes\s+(\d+)-(\d+)\/(\d+|\*)$/i.exec(value?.trim() ?? '');
  if (!m?.[1] || !m[2] || !m[3]) return null;
  const first = Number(m[1]);
  const last = Number(m[2]);
  const total = m[3] === '*' ? null : Number(m[3]);
  if (last < first || (total !== null && last >= total)) return null;
  return { first, last, total };
}

export interface RangeResult {
  /** the bytes of [start, end) (shorter only when `allowClip` and the file ends first) */
  bytes: Uint8Array;
  /** file size from the Content-Range total (or the whole body's length) */
  total: number | null;
  /** set when the server ignored Range and sent a small file whole */
  whole?: Uint8Array;
}

export interface RangeOptions {
  /** accept a range cut short by the end of the file (speculative header reads) */
  allowClip?: boolean;
}

async function readBody(res: Response, ctx: HttpContext): Promise<Uint8Array> {
  const bytes = new Uint8Array(await res.arrayBuffer());
  ctx.counter.bytes += bytes.byteLength;
  return bytes;
}

function badResponse(message: string, url: string): HubError {
  return new HubError('bad-response', message, { url });
}

/** The server ignored Range: only a small file may be read whole and sliced. */
async function wholeSmallFile(res: Response, url: string, start: number, end: number, ctx: HttpContext, errCtx: ErrorContext, opts: RangeOptions): Promise<RangeResult> {
  const name = errCtx.file ?? url;
  if ((res.headers.get('content-type') ?? '').includes('text/html')) {
    // static hosts (Vite) answer a missing file with index.html
    await discardBody(res);
    throw new HubError('entry-not-found', `File ${name} was not found on this server (it answered with a web page).`, { url, status: 404 });
  }
  const length = Number(res.headers.get('content-length') ?? NaN);
  if (!(Number.isFinite(length) && length < SMALL_FILE_LIMIT)) {
    await discardBody(res);
    throw new HubError('range-unsupported', `This server does not support range requests for ${name}: it tried to send the whole file.`, { url, status: 200 });
  }
  const whole = await readBody(res, ctx);
  if (whole.byteLength !== length) throw badResponse(`The server sent ${whole.byteLength} of ${length} bytes of ${name}.`, url);
  if (end > length && !opts.allowClip) throw badResponse(`${name} is shorter (${length} bytes) than its header says.`, url);
  return { bytes: whole.subarray(start, Math.min(end, length)), total: length, whole };
}

/**
 * Read [start, endExclusive) with one single-range GET and check that the answer is exactly that
 * range: 206, a matching Content-Range, and the full byte count (one retry on a short body).
 */
export async function readRange(url: string, start: number, endExclusive: number, ctx: HttpContext, errCtx: ErrorContext, opts: RangeOptions = {}): Promise<RangeResult> {
  const headers = { Range: formatRangeHeader(start, endExclusive) };
  let lastError: HubError | null = null;
  for (let attempt = 0; attempt < 2; attempt++) {
    const res = await fetchWithRetry(url, headers, ctx, errCtx);
    if (res.status === 200) return wholeSmallFile(res, url, start, endExclusive, ctx, errCtx, opts);
    const cr = parseContentRange(res.headers.get('content-range'));
    const clipped = opts.allowClip && cr?.total != null && cr.total < endExclusive && cr.last === cr.total - 1;
    if (res.status !== 206 || !cr || cr.first !== start || (cr.last !== endExclusive - 1 && !clipped)) {
      await discardBody(res);
      throw badResponse(
        `Asked for ${headers.Range} of ${errCtx.file ?? url} but got HTTP ${res.status} with Content-Range "${res.headers.get('content-range') ?? ''}".`,
        url,
      );
    }
    const expected = cr.last - cr.first + 1;
    let bytes: Uint8Array;
    try {
      bytes = await readBody(res, ctx);
    } catch (e) {
      const err = toHubError(e, { ...errCtx, url }, ctx.signal);
      if (err.kind === 'cancelled') throw err;
      lastError = badResponse(`The connection dropped while reading ${errCtx.file ?? url} (${headers.Range}).`, url);
      continue;
    }
    if (bytes.byteLength === expected) return { bytes, total: cr.total };
    lastError = badResponse(`Got ${bytes.byteLength} of ${expected} bytes for ${headers.Range} of ${errCtx.file ?? url}.`, url);
  }
  throw lastError ?? badResponse(`Could not read ${url}.`, url);
}
