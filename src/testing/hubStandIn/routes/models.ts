// Hub API routes about models: /api/models (search), /api/models/{id}[/revision/{rev}],
// /api/models/{id}/tree/{rev}/{path} and /api/models/{id}/paths-info/{rev}; cursor paging with Link.

import { withDirectories, type TreeEntry } from '../layout.ts';
import type { RepoInfo } from '../repoStore.ts';
import { authorize, bearer, entryNotFound, grants, infoAt, revisionOrThrow } from '../access.ts';
import { HttpError, readBody, sendJson, truthy, type Ctx, type StandInState } from '../context.ts';
import { xetHashOf } from '../serveFile.ts';
import { passesListFilters } from '../listModels.ts';
import { MODEL_EXPANDABLE_KEYS, MSG_BAD_TOKEN } from '../types.ts';

export function parseExpand(url: URL): string[] | null {
  const keys = [...url.searchParams.getAll('expand'), ...url.searchParams.getAll('expand[]')];
  if (keys.length === 0) return null;
  for (const k of keys) {
    if (!MODEL_EXPANDABLE_KEYS.includes(k)) {
      throw new HttpError(400, `"expand" must be one of [${MODEL_EXPANDABLE_KEYS.map((x) => `"${x}"`).join(', ')}]`);
    }
  }
  return keys;
}

export function pick(info: RepoInfo, keys: string[] | null): Record<string, unknown> {
  if (!keys) return info;
  const out: Record<string, unknown> = { _id: info._id, id: info.id };
  for (const k of keys) if (k in info) out[k] = info[k];
  return out;
}

export async function handleModelInfo(
  s: StandInState,
  ctx: Ctx,
  org: string,
  name: string,
  rev: string | null,
): Promise<void> {
  const { repo } = authorize(s, ctx, org, name, 'metadata');
  const sha = revisionOrThrow(s, repo, rev ?? 'main');
  const info: RepoInfo = { ...infoAt(s, repo, sha), sha };
  if (ctx.url.searchParams.get('blobs') === 'true' || ctx.url.searchParams.get('blobs') === '1') {
    const files = await s.store.files(repo, sha);
    info.siblings = files.map((f) => ({
      rfilename: f.path,
      blobId: f.oid,
      size: f.size,
      ...(f.lfs ? { lfs: { sha256: f.lfs.oid, size: f.lfs.size, pointerSize: f.lfs.pointerSize } } : {}),
    }));
  }
  sendJson(ctx, 200, pick(info, parseExpand(ctx.url)));
}

export function pageLink(s: StandInState, pathname: string, params: URLSearchParams, offset: number): string {
  const next = new URLSearchParams(params);
  next.set('cursor', Buffer.from(JSON.stringify({ offset })).toString('base64url'));
  return `<${s.hubUrl}${pathname}?${next.toString()}>; rel="next"`;
}

export function cursorOffset(url: URL): number {
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

export async function handleTree(
  s: StandInState,
  ctx: Ctx,
  org: string,
  name: string,
  rev: string,
  dirPath: string,
): Promise<void> {
  const { repo } = authorize(s, ctx, org, name, 'metadata');
  const sha = revisionOrThrow(s, repo, rev);
  const info = infoAt(s, repo, sha);
  const recursive = truthy(ctx.url.searchParams.get('recursive'));
  const expand = truthy(ctx.url.searchParams.get('expand'));
  const all = withDirectories(await s.store.files(repo, sha));
  let entries: TreeEntry[];
  if (dirPath) {
    const self = all.find((e) => e.path === dirPath);
    if (!self || self.type === 'file') throw entryNotFound(sha);
    const prefix = `${dirPath}/`;
    entries = all.filter((e) => e.path.startsWith(prefix) && (recursive || !e.path.slice(prefix.length).includes('/')));
  } else {
    entries = recursive ? all : all.filter((e) => !e.path.includes('/'));
  }
  const pageSize = s.opts.treePageSize ?? (expand ? 50 : 1000);
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
    headers.Link = pageLink(s, ctx.url.pathname, ctx.url.searchParams, offset + pageSize);
  sendJson(ctx, 200, page, headers);
}

export async function handlePathsInfo(
  s: StandInState,
  ctx: Ctx,
  org: string,
  name: string,
  rev: string,
): Promise<void> {
  const body = await readBody(ctx.req);
  const { repo } = authorize(s, ctx, org, name, 'metadata');
  const sha = revisionOrThrow(s, repo, rev);
  let paths: string[] = [];
  if ((ctx.req.headers['content-type'] ?? '').includes('application/json')) {
    try {
      const parsed = JSON.parse(body) as { paths?: unknown };
      if (Array.isArray(parsed.paths)) paths = parsed.paths.map(String);
      else if (typeof parsed.paths === 'string') paths = [parsed.paths];
    } catch {
      throw new HttpError(400, 'Invalid JSON body');
    }
  } else {
    paths = new URLSearchParams(body).getAll('paths');
  }
  const all = withDirectories(await s.store.files(repo, sha));
  sendJson(
    ctx,
    200,
    all.filter((e) => paths.includes(e.path)),
  );
}

export function handleSearch(s: StandInState, ctx: Ctx): void {
  const auth = bearer(ctx.req);
  const token = auth.token !== null && auth.token in s.tokens ? auth.token : null;
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
  for (const repo of s.store.all()) {
    if (search && !repo.id.toLowerCase().includes(search)) continue;
    if (author && repo.org !== author) continue;
    let info: RepoInfo;
    try {
      info = s.store.info(repo);
    } catch {
      continue;
    }
    if (info.private === true && !(token && grants(s, token, repo.id))) continue;
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
  const pageSize = Math.max(1, Math.min(s.opts.searchPageSize ?? 1000, limit));
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
  if (offset + pageSize < matches.length) headers.Link = pageLink(s, ctx.url.pathname, p, offset + pageSize);
  sendJson(ctx, 200, page, headers);
}
