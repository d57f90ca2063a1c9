// The only place that calls fetch. Every request is a plain GET with at most a single Range header
// (no preflight on the CDN hop), no cookies, no referrer, and no HTTP cache (Chromium has served
// truncated 206 bodies from its cache); the app keeps its own cache.
import { formatRangeHeader } from '../core/ranges.ts';
import { HubError, errorFromResponse, toHubError, type ErrorContext } from './errors.ts';
import { isHubUrl } from './repoUrls.ts';
import type { VerifiedRanges } from './verifiedRanges.ts';
import type { RangeResult } from './rangeResult.ts';

export type { RangeResult } from './rangeResult.ts';
import {
  backoffMs,
  retryOptions,
  sharedOriginHealth,
  shouldAbandonRange,
  type OriginHealth,
  type RetryOptions,
} from './retryPolicy.ts';

export type { RetryOptions } from './retryPolicy.ts';

/** A server that ignores Range may still hand us a file this small whole. */
export const SMALL_FILE_LIMIT = 4 * 1024 * 1024;
/** Longest Retry-After we are willing to sit through inside one load. */
const MAX_RETRY_AFTER_MS = 30_000;

/** Seconds before a signed CDN URL's expiry at which we stop reusing it. */
const CDN_URL_MARGIN_SECONDS = 60;

/** Counts every request and every body byte we received, for the transfer panel. */
export class TransferCounter {
  requests = 0;
  bytes = 0;
  /** requests to the hub's /resolve/ route (the Hub's "resolvers" rate-limit bucket) */
  resolves = 0;
}

/**
 * The final (signed CDN) URL each file's /resolve/ redirect led to, so that its further ranges go
 * straight to the CDN: half the hops and no resolver budget (hub-protocol §1.11). Dropped on any
 * 4xx from the CDN and before its Expires; the file then goes through /resolve/ again.
 */
export class CdnUrlMemory {
  private readonly urls = new Map<string, { url: string; expires: number | null }>();

  constructor(private readonly now: () => number = () => Date.now()) {}

  get(resolveUrl: string): string | null {
    const hit = this.urls.get(resolveUrl);
    if (!hit) return null;
    if (hit.expires !== null && hit.expires - CDN_URL_MARGIN_SECONDS <= this.now() / 1000) {
      this.urls.delete(resolveUrl);
      return null;
    }
    return hit.url;
  }

  remember(resolveUrl: string, finalUrl: string): void {
    this.urls.set(resolveUrl, { url: finalUrl, expires: signedUrlExpiry(finalUrl, this.now()) });
  }

  forget(resolveUrl: string): void {
    this.urls.delete(resolveUrl);
  }
}

/** Expiry (epoch seconds) of a signed URL: CloudFront `Expires=`, or S3 `X-Amz-Date` + `X-Amz-Expires`. */
export function signedUrlExpiry(url: string, nowMs: number): number | null {
  let q: URLSearchParams;
  try {
    q = new URL(url).searchParams;
  } catch {
    return null;
  }
  const expires = Number(q.get('Expires'));
  if (q.has('Expires') && Number.isFinite(expires)) return expires;
  const amzExpires = Number(q.get('X-Amz-Expires'));
  const amzDate = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(q.get('X-Amz-Date') ?? '');
  if (q.has('X-Amz-Expires') && Number.isFinite(amzExpires)) {
    const start = amzDate
      ? Date.UTC(+amzDate[1]!, +amzDate[2]! - 1, +amzDate[3]!, +amzDate[4]!, +amzDate[5]!, +amzDate[6]!)
      : nowMs;
    return Math.floor(start / 1000) + amzExpires;
  }
  return null;
}

export interface HttpContext {
  fetch: typeof fetch;
  hub: string;
  counter: TransferCounter;
  /** sent only to URLs on `hub` (fetch itself drops it on the cross-origin CDN redirect) */
  token?: string;
  signal?: AbortSignal;
  retry?: Partial<RetryOptions>;
  /** when each origin last delivered a range whole (default: shared by the thread's loads) */
  health?: OriginHealth;
  /** ranges already received whole by an earlier try of this load (a Retry reads only what is missing) */
  verified?: VerifiedRanges;
  /** reuse each file's CDN URL for its further ranges (absent: every range through /resolve/) */
  cdnUrls?: CdnUrlMemory;
}

/** What a caller may set on an HttpContext; the rest has defaults. */
export interface HttpContextOptions {
  /** default: the global fetch */
  fetch?: typeof fetch;
  token?: string;
  signal?: AbortSignal;
  retry?: Partial<RetryOptions>;
  /** share one counter across contexts (default: a fresh one) */
  counter?: TransferCounter;
  health?: OriginHealth;
  verified?: VerifiedRanges;
  cdnUrls?: CdnUrlMemory;
}

/**
 * The one builder of an HttpContext. Fetch is wrapped because an unbound window.fetch throws
 * "Illegal invocation"; only the options given are set, so a missing token stays missing.
 */
export function createHttpContext(hub: string, o: HttpContextOptions = {}): HttpContext {
  const userFetch = o.fetch ?? globalThis.fetch;
  return {
    fetch: (input, init) => userFetch(input, init),
    hub,
    counter: o.counter ?? new TransferCounter(),
    ...(o.token ? { token: o.token } : {}),
    ...(o.signal ? { signal: o.signal } : {}),
    ...(o.retry ? { retry: o.retry } : {}),
    ...(o.health ? { health: o.health } : {}),
    ...(o.verified ? { verified: o.verified } : {}),
    ...(o.cdnUrls ? { cdnUrls: o.cdnUrls } : {}),
  };
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

/** The load's signal, also aborted (with a TimeoutError) after `ms`. */
function withTimeout(signal: AbortSignal | undefined, ms: number): AbortSignal {
  const timeout = AbortSignal.timeout(ms);
  return signal ? AbortSignal.any([signal, timeout]) : timeout;
}

const isTransient = (status: number) => status === 429 || status >= 500;

/** One attempt: an OK response, or a transient error worth retrying; definite errors throw. */
async function attemptOnce(
  url: string,
  init: RequestInit,
  ctx: HttpContext,
  ectx: ErrorContext,
): Promise<Response | HubError> {
  ctx.counter.requests++;
  if (isHubUrl(ctx.hub, url) && url.includes('/resolve/')) ctx.counter.resolves++;
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
export async function fetchWithRetry(
  url: string,
  headers: Record<string, string>,
  ctx: HttpContext,
  errCtx: ErrorContext,
  reportUrl = url,
): Promise<Response> {
  const retry = retryOptions(ctx.retry);
  const sendToken = ctx.token !== undefined && ctx.token !== '' && isHubUrl(ctx.hub, url);
  const init: RequestInit = {
    method: 'GET',
    headers: sendToken ? { ...headers, Authorization: `Bearer ${ctx.token}` } : headers,
    referrerPolicy: 'no-referrer',
    credentials: 'omit',
    cache: 'no-store',
    redirect: 'follow',
  };
  // errors name the /resolve/ URL, never a signed CDN URL
  const ectx: ErrorContext = { ...errCtx, url: reportUrl, withToken: sendToken };
  for (let attempt = 1; ; attempt++) {
    if (ctx.signal?.aborted) throw toHubError(ctx.signal.reason, ectx, ctx.signal);
    // each request (its body included) has its own deadline: a server that stalls never hangs a load
    const signal = withTimeout(ctx.signal, retry.requestTimeoutMs);
    const outcome = await attemptOnce(url, { ...init, signal }, ctx, ectx);
    if (outcome instanceof Response) return outcome;
    if (attempt >= retry.maxAttempts) throw outcome;
    const waitMs =
      outcome.retryAfterSeconds !== undefined ? outcome.retryAfterSeconds * 1000 : backoffMs(attempt, retry);
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

export interface RangeOptions {
  /** accept a range cut short by the end of the file (speculative header reads) */
  allowClip?: boolean;
}

async function readBody(res: Response, ctx: HttpContext): Promise<Uint8Array> {
  const bytes = new Uint8Array(await res.arrayBuffer());
  ctx.counter.bytes += bytes.byteLength;
  return bytes;
}

function badResponse(message: string, url: string, file?: string): HubError {
  return new HubError('bad-response', message, { url, ...(file === undefined ? {} : { file }) });
}

/** The server ignored Range: only a small file may be read whole and sliced. */
async function wholeSmallFile(
  res: Response,
  url: string,
  start: number,
  end: number,
  ctx: HttpContext,
  errCtx: ErrorContext,
  opts: RangeOptions,
): Promise<RangeResult> {
  const name = errCtx.file ?? url;
  if ((res.headers.get('content-type') ?? '').includes('text/html')) {
    // static hosts (Vite) answer a missing file with index.html
    await discardBody(res);
    throw new HubError('entry-not-found', `File ${name} was not found on this server (it answered with a web page).`, {
      url,
      status: 404,
    });
  }
  const length = Number(res.headers.get('content-length') ?? NaN);
  if (!(Number.isFinite(length) && length < SMALL_FILE_LIMIT)) {
    await discardBody(res);
    throw new HubError(
      'range-unsupported',
      `This server does not support range requests for ${name}: it tried to send the whole file.`,
      { url, status: 200 },
    );
  }
  const whole = await readBody(res, ctx);
  if (whole.byteLength !== length)
    throw badResponse(`The server sent ${whole.byteLength} of ${length} bytes of ${name}.`, url, errCtx.file);
  if (end > length && !opts.allowClip)
    throw badResponse(`${name} is shorter (${length} bytes) than its header says.`, url, errCtx.file);
  return { bytes: whole.subarray(start, Math.min(end, length)), total: length, whole };
}

const isClientError = (e: unknown) =>
  e instanceof HubError && e.status !== undefined && e.status >= 400 && e.status < 500;

/** GET one range, straight from the file's remembered CDN URL when there is one, else through /resolve/. */
async function fetchRange(
  url: string,
  headers: Record<string, string>,
  ctx: HttpContext,
  errCtx: ErrorContext,
): Promise<Response> {
  const cdn = ctx.cdnUrls?.get(url) ?? null;
  if (cdn !== null) {
    try {
      return await fetchWithRetry(cdn, headers, ctx, errCtx, url);
    } catch (e) {
      // expired, range-bound or revoked signature: back to /resolve/ for this file
      if (!isClientError(e)) throw e;
      ctx.cdnUrls?.forget(url);
    }
  }
  const res = await fetchWithRetry(url, headers, ctx, errCtx);
  if (ctx.cdnUrls && res.redirected && res.url && res.url !== url && !isHubUrl(ctx.hub, res.url))
    ctx.cdnUrls.remember(url, res.url);
  return res;
}

/** A failure worth another try: a dropped connection, a 5xx, or a 429 whose wait was sat through. */
const isTransientError = (e: unknown): e is HubError =>
  e instanceof HubError &&
  (e.kind === 'network' ||
    e.kind === 'server-error' ||
    (e.kind === 'rate-limited' && (e.retryAfterSeconds ?? 0) * 1000 <= MAX_RETRY_AFTER_MS));

/** One GET of the range: its bytes, or why this try failed in a way worth another; definite errors throw. */
async function rangeAttempt(
  url: string,
  start: number,
  endExclusive: number,
  ctx: HttpContext,
  errCtx: ErrorContext,
  opts: RangeOptions,
): Promise<RangeResult | { problem: string }> {
  const headers = { Range: formatRangeHeader(start, endExclusive) };
  let res: Response;
  try {
    res = await fetchRange(url, headers, ctx, errCtx);
  } catch (e) {
    // fetchWithRetry already retried what it could; a transient error still counts as one try here
    if (isTransientError(e)) return { problem: e.message };
    throw e;
  }
  if (res.status === 200) return wholeSmallFile(res, url, start, endExclusive, ctx, errCtx, opts);
  const cr = parseContentRange(res.headers.get('content-range'));
  const clipped = opts.allowClip && cr?.total != null && cr.total < endExclusive && cr.last === cr.total - 1;
  if (res.status !== 206 || !cr || cr.first !== start || (cr.last !== endExclusive - 1 && !clipped)) {
    await discardBody(res);
    // a short 206: the server (or a cache in between) answered less than asked
    if (res.status === 206 && cr && cr.first === start && cr.last < endExclusive - 1)
      return { problem: `the server answered only ${cr.last - cr.first + 1} of ${endExclusive - start} bytes` };
    throw badResponse(
      `Asked for ${headers.Range} of ${errCtx.file ?? url} but got HTTP ${res.status} with Content-Range "${res.headers.get('content-range') ?? ''}".`,
      url,
      errCtx.file,
    );
  }
  const expected = cr.last - cr.first + 1;
  let bytes: Uint8Array;
  try {
    bytes = await readBody(res, ctx);
  } catch (e) {
    const err = toHubError(e, { ...errCtx, url }, ctx.signal);
    if (err.kind === 'cancelled') throw err;
    return { problem: 'the connection dropped while reading it' };
  }
  if (bytes.byteLength === expected) return { bytes, total: cr.total };
  return { problem: `the body ended after ${bytes.byteLength} of ${expected} bytes` };
}

/**
 * Read [start, endExclusive) with one single-range GET and check that the answer is exactly that
 * range: 206, a matching Content-Range, and the full byte count. A dropped connection, a truncated
 * body, a short 206, a 5xx or a 429 is read again with backoff while the origin still delivers
 * other ranges (retryPolicy.ts); only then does it fail.
 */
export async function readRange(
  url: string,
  start: number,
  endExclusive: number,
  ctx: HttpContext,
  errCtx: ErrorContext,
  opts: RangeOptions = {},
): Promise<RangeResult> {
  const retry = retryOptions(ctx.retry);
  const health = ctx.health ?? sharedOriginHealth;
  const what = `${errCtx.file ?? url} (${formatRangeHeader(start, endExclusive)})`;
  const state = { failures: 0, startedMs: retry.now() };
  const kept = ctx.verified?.get(url, start, endExclusive);
  if (kept) return kept;
  for (;;) {
    const outcome = await rangeAttempt(url, start, endExclusive, ctx, errCtx, opts);
    if (!('problem' in outcome)) {
      health.success(url, retry.now());
      ctx.verified?.put(url, start, endExclusive, outcome);
      return outcome;
    }
    state.failures++;
    if (shouldAbandonRange(state, url, health, retry)) {
      const seconds = ((retry.now() - state.startedMs) / 1000).toFixed(1);
      const why =
        state.failures >= retry.rangeMaxTries
          ? 'it failed every time'
          : `the server delivered nothing else for ${(retry.quietMs / 1000).toFixed(0)} s`;
      throw badResponse(
        `Gave up on ${what} after ${state.failures} tries in ${seconds} s (${why}): ${outcome.problem}.`,
        url,
        errCtx.file,
      );
    }
    try {
      await sleep(backoffMs(state.failures, retry), ctx.signal);
    } catch (e) {
      throw toHubError(e, { ...errCtx, url }, ctx.signal);
    }
  }
}
