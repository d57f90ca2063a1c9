// The hub origin's dispatcher and route table. To add a route, add an entry to HUB_ROUTES: the first
// entry whose `match` accepts the path segments (and whose `methods`, if given, include the method)
// answers. Handlers throw HttpError for error answers: JSON on /api, plain text on resolve, as the Hub.

import { HttpError, decodeSegments, hubHeaders, sendError, type Ctx, type StandInState } from '../context.ts';
import { handleModelInfo, handlePathsInfo, handleSearch, handleTree } from './models.ts';
import { handleResolve, handleResolveCache } from './resolve.ts';

export interface HubRoute<P = unknown> {
  /** label counted in stats.byRoute; absent: 'api' under /api, 'resolve'/'raw' for files, else 'not-found' */
  name?: string;
  /** methods answered (any when absent); another method falls through to later routes… */
  methods?: readonly string[];
  /** …or, when set, gets 405 with this route's default label */
  rejectOtherMethods?: boolean;
  /** the handler's parameters when the path (decoded segments, without the leading '') is this route's */
  match(segs: readonly string[]): P | null;
  handle(s: StandInState, ctx: Ctx, params: P): Promise<void> | void;
}

/** Keeps each entry's parameter type checked while the table holds routes of different types. */
export const route = <P>(r: HubRoute<P>): HubRoute => r as HubRoute;

const READ = ['GET', 'HEAD'] as const;

/** /api/models/{org}/{name}/… → the model and the segments after it */
function modelPath(segs: readonly string[]): { org: string; name: string; rest: readonly string[] } | null {
  if (segs[0] !== 'api' || segs[1] !== 'models') return null;
  return { org: segs[2] ?? '', name: segs[3] ?? '', rest: segs.slice(4) };
}

export const HUB_ROUTES: HubRoute[] = [
  route({
    name: 'api-search',
    methods: READ,
    rejectOtherMethods: true,
    match: (segs) =>
      segs[0] === 'api' && segs[1] === 'models' && (segs.length === 2 || (segs.length === 3 && segs[2] === ''))
        ? {}
        : null,
    handle: (s, ctx) => handleSearch(s, ctx),
  }),
  route({
    name: 'api-model',
    match: (segs) => {
      const m = modelPath(segs);
      if (!m || !(m.rest.length === 0 || (m.rest[0] === 'revision' && m.rest.length >= 2))) return null;
      return { ...m, rev: m.rest.length === 0 ? null : m.rest.slice(1).join('/') };
    },
    handle: (s, ctx, p) => handleModelInfo(s, ctx, p.org, p.name, p.rev),
  }),
  route({
    name: 'api-tree',
    match: (segs) => {
      const m = modelPath(segs);
      if (!m || m.rest[0] !== 'tree' || m.rest.length < 2) return null;
      const dir = m.rest
        .slice(2)
        .filter((x) => x !== '')
        .join('/');
      return { ...m, rev: m.rest[1] as string, dir };
    },
    handle: (s, ctx, p) => handleTree(s, ctx, p.org, p.name, p.rev, p.dir),
  }),
  route({
    name: 'api-paths-info',
    methods: ['POST'],
    match: (segs) => {
      const m = modelPath(segs);
      if (!m || m.rest[0] !== 'paths-info' || m.rest.length < 2) return null;
      return { ...m, rev: m.rest.slice(1).join('/') };
    },
    handle: (s, ctx, p) => handlePathsInfo(s, ctx, p.org, p.name, p.rev),
  }),
  route({
    methods: READ,
    match: (segs) =>
      segs[0] === 'api' && segs[1] === 'resolve-cache' && segs[2] === 'models' && segs.length >= 7
        ? { org: segs[3] as string, name: segs[4] as string, sha: segs[5] as string, path: segs.slice(6).join('/') }
        : null,
    handle: (s, ctx, p) => handleResolveCache(s, ctx, p.org, p.name, p.sha, p.path),
  }),
  route({
    methods: READ,
    match: (segs) =>
      isResolvePath(segs)
        ? {
            org: segs[0] as string,
            name: segs[1] as string,
            rev: segs[3] as string,
            path: segs.slice(4).join('/'),
            raw: segs[2] === 'raw',
          }
        : null,
    handle: (s, ctx, p) => handleResolve(s, ctx, p.org, p.name, p.rev, p.path, p.raw),
  }),
];

function isResolvePath(segs: readonly string[]): boolean {
  return segs.length >= 5 && (segs[2] === 'resolve' || segs[2] === 'raw');
}

/** The 429 and 503 faults, before any route runs. */
function injectedFault(s: StandInState, bucket: 'api' | 'resolvers'): HttpError | null {
  const { faults } = s;
  if (faults.rateLimitNext > 0) {
    faults.rateLimitNext--;
    return new HttpError(429, `You have been rate-limited; retry in ${faults.retryAfterSeconds} seconds.`, {
      'Retry-After': String(faults.retryAfterSeconds),
      RateLimit: `"${bucket}";r=0;t=${faults.retryAfterSeconds}`,
    });
  }
  if (faults.serverErrorNext > 0) {
    faults.serverErrorNext--;
    return new HttpError(503, 'Service Unavailable');
  }
  return null;
}

/** Answers one (non-preflight) request to the hub origin through HUB_ROUTES. */
export async function hubRequest(s: StandInState, ctx: Ctx, routes: readonly HubRoute[] = HUB_ROUTES): Promise<void> {
  const segs = decodeSegments(ctx.url.pathname) ?? [];
  const method = ctx.req.method ?? 'GET';
  const isApi = segs[0] === 'api';
  const isResolve = isResolvePath(segs);
  const json = isApi && segs[1] !== 'resolve-cache';
  if (isApi) ctx.route = 'api';
  else if (isResolve) ctx.route = segs[2] as string;
  else ctx.route = 'not-found';
  if (segs[1] === 'resolve-cache') ctx.route = 'resolve-cache';
  hubHeaders(s, ctx, json ? 'api' : 'resolvers', isResolve ? 'Origin, Accept' : 'Origin');
  try {
    const fault = injectedFault(s, json ? 'api' : 'resolvers');
    if (fault) throw fault;
    for (const r of routes) {
      const params = r.match(segs);
      if (params === null) continue;
      if (r.methods && !r.methods.includes(method)) {
        if (r.rejectOtherMethods) throw new HttpError(405, 'Method not allowed');
        continue;
      }
      if (r.name !== undefined) ctx.route = r.name;
      return await r.handle(s, ctx, params);
    }
    throw new HttpError(404, "Sorry, we can't find the page you are looking for.");
  } catch (e) {
    if (!(e instanceof HttpError)) throw e;
    sendError(ctx, e, json);
  }
}
