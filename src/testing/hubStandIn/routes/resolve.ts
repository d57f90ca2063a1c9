// Hub routes that answer a file: /{org}/{name}/resolve|raw/{rev}/{path} and /api/resolve-cache/models/….

import { readFileSync } from 'node:fs';
import type http from 'node:http';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { lfsPointer } from '../layout.ts';
import { SHA_RE } from '../repoStore.ts';
import { authorize, entryNotFound, fileEntry, revisionOrThrow } from '../access.ts';
import { HttpError, contentTypeFor, send, type Ctx, type StandInState } from '../context.ts';
import { serveFile, sign, xetHashOf } from '../serveFile.ts';
import { SIGNED_URL_SECONDS } from '../types.ts';

export async function handleResolve(
  s: StandInState,
  ctx: Ctx,
  org: string,
  name: string,
  rev: string,
  path: string,
  raw: boolean,
): Promise<void> {
  const { repo } = authorize(s, ctx, org, name, 'content');
  const sha = revisionOrThrow(s, repo, rev);
  const entry = await fileEntry(s, repo, sha, path);
  if (!entry) throw entryNotFound(sha);
  const abs = join(s.store.commitDir(repo, sha), ...path.split('/'));
  const common = { 'X-Repo-Commit': sha };

  if (raw) {
    if (entry.lfs) {
      const pointer = lfsPointer(entry.lfs.oid, entry.lfs.size);
      send(ctx, 200, pointer, 'text/plain; charset=utf-8', { ...common, ETag: `"${entry.oid}"` });
    } else {
      serveFile(
        s,
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
    const cdnPath = `/xet-bridge-us/${s.store.roots.indexOf(repo.root)}/${org}/${name}/${sha}/${path.split('/').map(encodeURIComponent).join('/')}`;
    const expires = Math.floor(Date.now() / 1000) + SIGNED_URL_SECONDS;
    const policy = Buffer.from(
      JSON.stringify({
        Statement: [{ Resource: `${s.cdnUrl}${cdnPath}`, Condition: { DateLessThan: { 'AWS:EpochTime': expires } } }],
      }),
    ).toString('base64url');
    // The signature covers the Range of this request, like the xet bridge (hub-protocol §1.3);
    // the CDN only enforces it with the bindRangeToSignature fault.
    const signedRange = ctx.req.headers.range ?? '';
    const location = `${s.cdnUrl}${cdnPath}?X-Xet-Cas-Uid=public&X-Xet-Signed-Range=${encodeURIComponent(signedRange || 'none')}&Expires=${expires}&Policy=${policy}&Signature=${sign(s, cdnPath, expires, signedRange)}&Key-Pair-Id=K2L8F4GPSG1IFC`;
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
  if (s.smallFilesRedirect) {
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
    s,
    ctx,
    abs,
    entry.size,
    { ...common, ETag: etag, 'Content-Type': contentTypeFor(path) },
    { honourRange: true },
  );
}

export async function handleResolveCache(
  s: StandInState,
  ctx: Ctx,
  org: string,
  name: string,
  sha: string,
  path: string,
): Promise<void> {
  const { repo } = authorize(s, ctx, org, name, 'content');
  if (!SHA_RE.test(sha) || s.store.resolveRevision(repo, sha) !== sha) {
    throw new HttpError(404, `Invalid rev id: ${sha}`, { 'X-Error-Code': 'RevisionNotFound' });
  }
  const entry = await fileEntry(s, repo, sha, path);
  if (!entry || entry.lfs) throw entryNotFound(sha);
  const abs = join(s.store.commitDir(repo, sha), ...path.split('/'));
  ctx.tensor = path.endsWith('.safetensors');
  const headers = {
    'X-Repo-Commit': sha,
    ETag: `"${entry.oid}"`,
    'Content-Type': contentTypeFor(path),
    'Cache-Control': 'public, max-age=31536000, immutable',
  };
  if (
    s.faults.gzipSmallFiles &&
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
  serveFile(s, ctx, abs, entry.size, headers, { honourRange: true });
}
