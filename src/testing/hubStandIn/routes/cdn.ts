// The CDN origin: /xet-bridge-us/{root}/{org}/{name}/{sha}/{path} with signed, expiring URLs,
// and CORS preflights for both origins.

import { join } from 'node:path';
import { SHA_RE, isSafePath, isSafeSegment, type RepoRef } from '../repoStore.ts';
import { fileEntry } from '../access.ts';
import { cdnHeaders, decodeSegments, hubHeaders, send, type Ctx, type StandInState } from '../context.ts';
import { serveFile, sign, xetHashOf } from '../serveFile.ts';

export async function cdnRequest(s: StandInState, ctx: Ctx): Promise<void> {
  cdnHeaders(ctx);
  ctx.route = 'cdn';
  const method = ctx.req.method ?? 'GET';
  const fail = (status: number, message: string) => send(ctx, status, message, 'text/plain; charset=utf-8');
  if (s.faults.serverErrorNext > 0) {
    s.faults.serverErrorNext--;
    return fail(503, 'Service Unavailable');
  }
  if (method !== 'GET' && method !== 'HEAD') return fail(405, 'Method Not Allowed');
  const segs = decodeSegments(ctx.url.pathname);
  if (!segs || segs[0] !== 'xet-bridge-us' || segs.length < 6) return fail(404, 'Not Found');
  const expires = Number(ctx.url.searchParams.get('Expires'));
  const signature = ctx.url.searchParams.get('Signature') ?? '';
  const signedRangeParam = ctx.url.searchParams.get('X-Xet-Signed-Range') ?? 'none';
  const signedRange = signedRangeParam === 'none' ? '' : signedRangeParam;
  if (!Number.isFinite(expires) || signature !== sign(s, ctx.url.pathname, expires, signedRange)) {
    return fail(403, 'Auth failed: invalid signature');
  }
  if (s.faults.bindRangeToSignature && (ctx.req.headers.range ?? '') !== signedRange) {
    return fail(403, 'Auth failed: invalid range');
  }
  if (expires < Date.now() / 1000) return fail(403, 'Auth failed: the signed URL has expired');
  const root = s.store.roots[Number(segs[1])];
  const [org, name, sha] = [segs[2] as string, segs[3] as string, segs[4] as string];
  const path = segs.slice(5).join('/');
  if (!root || !isSafeSegment(org) || !isSafeSegment(name) || !SHA_RE.test(sha) || !isSafePath(path))
    return fail(404, 'Not Found');
  const repo: RepoRef = { id: `${org}/${name}`, org, name, root };
  const entry = await fileEntry(s, repo, sha, path);
  if (!entry) return fail(404, 'Not Found');
  const abs = join(s.store.commitDir(repo, sha), ...path.split('/'));
  const base = path.split('/').pop() ?? path;
  ctx.tensor = path.endsWith('.safetensors');
  serveFile(
    s,
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
    { honourRange: !s.faults.ignoreRange },
  );
}

/** An OPTIONS request to either origin (the CDN fails them with the failPreflight fault). */
export function preflight(s: StandInState, ctx: Ctx): void {
  const { req, res } = ctx;
  if (ctx.origin === 'cdn') {
    if (s.faults.failPreflight) {
      send(ctx, 403, 'Forbidden', 'text/plain; charset=utf-8');
      return;
    }
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader('Access-Control-Allow-Methods', 'GET, HEAD');
    res.setHeader('Access-Control-Allow-Headers', req.headers['access-control-request-headers'] ?? '*');
    res.setHeader('Access-Control-Max-Age', '86400');
  } else {
    hubHeaders(s, ctx, ctx.url.pathname.startsWith('/api/') ? 'api' : 'resolvers');
    const reqHeaders = req.headers['access-control-request-headers'];
    if (reqHeaders) res.setHeader('Access-Control-Allow-Headers', reqHeaders);
    res.setHeader('Access-Control-Allow-Methods', req.headers['access-control-request-method'] ?? 'GET');
  }
  res.statusCode = 204;
  res.end();
}
