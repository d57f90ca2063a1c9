import { describe, expect, it } from 'vitest';
import { HubError, errorFromResponse, retryAfterFrom, toHubError } from './errors.ts';

function res(status: number, headers: Record<string, string> = {}): Response {
  return new Response(null, { status, headers });
}
const ctx = { repo: 'org/model', revision: 'main', url: 'https://hf.co/api/models/org/model/revision/main' };

describe('errorFromResponse', () => {
  it('keys on X-Error-Code before the status', () => {
    expect(errorFromResponse(res(404, { 'x-error-code': 'RepoNotFound' }), ctx).kind).toBe('repo-not-found');
    const rev = errorFromResponse(res(404, { 'x-error-code': 'RevisionNotFound' }), { ...ctx, revision: 'v9' });
    expect(rev.kind).toBe('revision-not-found');
    expect(rev.message).toContain('"v9"');
    expect(rev.message).toContain('org/model');
    const entry = errorFromResponse(res(404, { 'x-error-code': 'EntryNotFound' }), { ...ctx, file: 'config.json' });
    expect(entry.kind).toBe('entry-not-found');
    expect(entry.message).toContain('config.json');
    expect(errorFromResponse(res(401, { 'x-error-code': 'GatedRepo' }), ctx).message).toMatch(/gated.*token/);
    expect(errorFromResponse(res(403, { 'x-error-code': 'GatedRepo' }), ctx).message).toMatch(/not been granted/);
  });

  it('reads a 401 without a code as missing or private, and a rejected token as unauthorized', () => {
    const anon = errorFromResponse(res(401, { 'x-error-message': 'Invalid username or password.' }), ctx);
    expect(anon.kind).toBe('repo-not-found');
    expect(anon.message).toMatch(/private.*token/);
    expect(errorFromResponse(res(401), { ...ctx, withToken: true }).message).toMatch(/this token cannot read it/);
    const bad = errorFromResponse(res(401, { 'x-error-message': 'Invalid credentials in Authorization header' }), ctx);
    expect(bad.kind).toBe('unauthorized');
  });

  it('maps the remaining statuses', () => {
    expect(
      errorFromResponse(res(403, { 'x-error-message': 'Access to this resource is disabled.' }), ctx),
    ).toMatchObject({
      kind: 'forbidden',
      message: 'Access to org/model is forbidden (Access to this resource is disabled).',
    });
    expect(errorFromResponse(res(404), { ...ctx, file: 'x' }).kind).toBe('entry-not-found');
    expect(errorFromResponse(res(404), ctx).kind).toBe('repo-not-found');
    expect(errorFromResponse(res(429, { 'retry-after': '7' }), ctx)).toMatchObject({
      kind: 'rate-limited',
      retryAfterSeconds: 7,
      status: 429,
    });
    expect(errorFromResponse(res(429), ctx).retryAfterSeconds).toBeUndefined();
    expect(errorFromResponse(res(503), ctx).kind).toBe('server-error');
    expect(errorFromResponse(res(416), ctx).kind).toBe('bad-response');
  });

  it('turns into a structured-clone safe info', () => {
    const info = errorFromResponse(res(429, { 'retry-after': '3' }), ctx).toInfo();
    expect(structuredClone(info)).toEqual({
      kind: 'rate-limited',
      message: info.message,
      status: 429,
      url: ctx.url,
      retryAfterSeconds: 3,
    });
  });
});

describe('retryAfterFrom', () => {
  it('reads seconds, HTTP dates and the RateLimit t= parameter', () => {
    expect(retryAfterFrom(new Headers({ 'retry-after': '12' }))).toBe(12);
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(retryAfterFrom(new Headers({ 'retry-after': 'Thu, 01 Jan 2026 00:00:05 GMT' }), now)).toBe(5);
    expect(retryAfterFrom(new Headers({ ratelimit: '"resolvers";r=0;t=42' }))).toBe(42);
    expect(retryAfterFrom(new Headers())).toBeUndefined();
  });
});

describe('toHubError', () => {
  it('keeps HubErrors, maps aborts to cancelled and the rest to network', () => {
    const e = new HubError('gated', 'x');
    expect(toHubError(e, ctx)).toBe(e);
    const ac = new AbortController();
    ac.abort();
    expect(toHubError(new Error('whatever'), ctx, ac.signal).kind).toBe('cancelled');
    expect(toHubError(new DOMException('aborted', 'AbortError'), ctx).kind).toBe('cancelled');
    expect(toHubError(new TypeError('fetch failed'), ctx).kind).toBe('network');
  });

  it('calls a fault in what was read by its name, not "could not reach the server"', () => {
    const e = toHubError(new RangeError('Invalid typed array length: -1'), ctx);
    expect(e.kind).toBe('bad-response');
    expect(e.message).toMatch(/RangeError: Invalid typed array length: -1/);
    expect(e.message).not.toMatch(/CORS|reach/);
  });
});
