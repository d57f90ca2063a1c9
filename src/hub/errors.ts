// Typed Hub errors, and the one place where HTTP answers become plain-English sentences.
import type { HubErrorInfo, HubErrorKind } from '../core/types.ts';

export class HubError extends Error {
  readonly kind: HubErrorKind;
  readonly status?: number;
  readonly url?: string;
  readonly retryAfterSeconds?: number;
  /** the file at fault, as the repo names it */
  readonly file?: string;

  constructor(
    kind: HubErrorKind,
    message: string,
    opts: { status?: number; url?: string; retryAfterSeconds?: number; cause?: unknown; file?: string } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'HubError';
    this.kind = kind;
    if (opts.status !== undefined) this.status = opts.status;
    if (opts.url !== undefined) this.url = opts.url;
    if (opts.retryAfterSeconds !== undefined) this.retryAfterSeconds = opts.retryAfterSeconds;
    if (opts.file !== undefined) this.file = opts.file;
  }

  /** Structured-clone safe form for the worker boundary. */
  toInfo(): HubErrorInfo {
    const info: HubErrorInfo = { kind: this.kind, message: this.message };
    if (this.status !== undefined) info.status = this.status;
    if (this.url !== undefined) info.url = this.url;
    if (this.retryAfterSeconds !== undefined) info.retryAfterSeconds = this.retryAfterSeconds;
    if (this.file !== undefined) info.file = this.file;
    return info;
  }
}

/** What the request was about, so messages can name the repo, revision and file. */
export interface ErrorContext {
  repo: string;
  revision?: string;
  file?: string;
  /** the URL we asked for (never a signed CDN URL, never with a token) */
  url?: string;
  /** whether an Authorization header was sent */
  withToken?: boolean;
}

const BAD_TOKEN = 'Invalid credentials in Authorization header';

/** Seconds from Retry-After (delta or HTTP date) or the RateLimit `t=` parameter, when readable. */
export function retryAfterFrom(headers: Headers, now = Date.now()): number | undefined {
  const ra = headers.get('retry-after');
  if (ra) {
    const secs = Number(ra);
    if (Number.isFinite(secs) && secs >= 0) return secs;
    const date = Date.parse(ra);
    if (Number.isFinite(date)) return Math.max(0, Math.ceil((date - now) / 1000));
  }
  const t = /;\s*t=(\d+)/.exec(headers.get('ratelimit') ?? '')?.[1];
  return t === undefined ? undefined : Number(t);
}

function what(ctx: ErrorContext): string {
  return ctx.file ? `${ctx.file} in ${ctx.repo}` : ctx.repo;
}

/** Map a non-OK answer: X-Error-Code first, then the status. Reads headers only. */
export function errorFromResponse(res: Response, ctx: ErrorContext): HubError {
  const code = res.headers.get('x-error-code') ?? '';
  const serverMessage = res.headers.get('x-error-message') ?? '';
  const status = res.status;
  const base = {
    status,
    ...(ctx.url === undefined ? {} : { url: ctx.url }),
    ...(ctx.file === undefined ? {} : { file: ctx.file }),
  };
  const rev = ctx.revision ?? 'main';
  switch (code) {
    case 'RepoNotFound':
      return new HubError('repo-not-found', `Repository ${ctx.repo} was not found.`, base);
    case 'RevisionNotFound':
      return new HubError('revision-not-found', `Revision "${rev}" does not exist in ${ctx.repo}.`, base);
    case 'EntryNotFound':
      return new HubError(
        'entry-not-found',
        `File ${ctx.file ?? '(unknown)'} was not found in ${ctx.repo} at revision ${rev}.`,
        base,
      );
    case 'GatedRepo':
      return status === 403
        ? new HubError(
            'gated',
            `${ctx.repo} is gated and this token has not been granted access: request access on the model page.`,
            base,
          )
        : new HubError('gated', `${ctx.repo} is gated: add a Hugging Face token that has access to it.`, base);
  }
  if (status === 401) {
    if (serverMessage.includes(BAD_TOKEN)) {
      return new HubError(
        'unauthorized',
        `The Hugging Face token was rejected while reading ${ctx.repo}: check or replace it.`,
        base,
      );
    }
    // the Hub answers 401 without a code for both missing and private repos (anti-enumeration)
    return ctx.withToken
      ? new HubError('repo-not-found', `Repository ${ctx.repo} does not exist or this token cannot read it.`, base)
      : new HubError(
          'repo-not-found',
          `Repository ${ctx.repo} does not exist or is private (log in or add a token to read private repos).`,
          base,
        );
  }
  if (status === 403) {
    const detail = serverMessage ? ` (${serverMessage.replace(/\.$/, '')})` : '';
    return new HubError('forbidden', `Access to ${what(ctx)} is forbidden${detail}.`, base);
  }
  if (status === 404) {
    // static hosts answer 404 without a code
    return ctx.file
      ? new HubError('entry-not-found', `File ${ctx.file} was not found in ${ctx.repo} at revision ${rev}.`, base)
      : new HubError(
          'repo-not-found',
          `Repository ${ctx.repo} (revision "${rev}") was not found on this server.`,
          base,
        );
  }
  if (status === 429) {
    const retryAfterSeconds = retryAfterFrom(res.headers);
    return new HubError(
      'rate-limited',
      `The Hub is rate-limiting requests for ${ctx.repo}: wait a few minutes and try again.`,
      {
        ...base,
        ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
      },
    );
  }
  if (status >= 500) {
    return new HubError(
      'server-error',
      `The server failed (HTTP ${status}) while reading ${what(ctx)}: try again later.`,
      base,
    );
  }
  return new HubError('bad-response', `Unexpected HTTP ${status} while reading ${what(ctx)}.`, base);
}

/** The same error, its message naming the model (every message a user sees names model, file and fault). */
export function namingModel(err: HubError, model: string): HubError {
  if (err.kind === 'cancelled' || err.message.includes(model)) return err;
  return new HubError(err.kind, `${model}: ${err.message}`, {
    ...(err.status === undefined ? {} : { status: err.status }),
    ...(err.url === undefined ? {} : { url: err.url }),
    ...(err.file === undefined ? {} : { file: err.file }),
    ...(err.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: err.retryAfterSeconds }),
    cause: err,
  });
}

/** Anything thrown by fetch or our code → HubError (abort → cancelled, fetch's TypeError → network, the rest → bad-response naming it). */
export function toHubError(err: unknown, ctx: ErrorContext, signal?: AbortSignal): HubError {
  if (err instanceof HubError) return err;
  const url = {
    ...(ctx.url === undefined ? {} : { url: ctx.url }),
    ...(ctx.file === undefined ? {} : { file: ctx.file }),
  };
  if (signal?.aborted || (err instanceof Error && err.name === 'AbortError')) {
    return new HubError('cancelled', `Loading ${ctx.repo} was cancelled.`, { ...url, cause: err });
  }
  if (err instanceof Error && err.name === 'TimeoutError') {
    return new HubError('network', `The server did not answer in time for ${what(ctx)} (the request timed out).`, {
      ...url,
      cause: err,
    });
  }
  // fetch rejects with a TypeError when the network fails; anything else is a fault in what was read
  // (or in NormScope), never "could not reach the server"
  if (!(err instanceof TypeError)) {
    const detail = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    return new HubError('bad-response', `Reading ${what(ctx)} failed: ${detail}.`, { ...url, cause: err });
  }
  return new HubError(
    'network',
    `Could not reach the server for ${what(ctx)} (offline, blocked by CORS, or connection lost).`,
    {
      ...url,
      cause: err,
    },
  );
}
