// Access control and repo lookups shared by the hub routes: s.tokens, visibility, gating, revisions, files.

import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { TreeFileEntry } from './layout.ts';
import { isSafePath, type RepoInfo, type RepoRef } from './repoStore.ts';
import { HttpError, type Ctx, type Req, type StandInState } from './context.ts';
import {
  MSG_BAD_TOKEN,
  MSG_DISABLED,
  MSG_ENTRY_NOT_FOUND,
  MSG_INVALID_USER,
  MSG_REPO_NOT_FOUND,
  gatedAnonMessage,
  gatedDeniedMessage,
} from './types.ts';

export function bearer(req: Req): { present: boolean; token: string | null } {
  const h = req.headers.authorization;
  if (h === undefined) return { present: false, token: null };
  const m = /^Bearer\s+(\S+)\s*$/i.exec(h);
  return { present: true, token: m ? (m[1] as string) : null };
}

export function grants(s: StandInState, token: string, repoId: string): boolean {
  const list = s.tokens[token] ?? [];
  return list.includes('*') || list.includes(repoId);
}

/** Checks the token and the repo's visibility; `content` also enforces gating. */
export function authorize(
  s: StandInState,
  ctx: Ctx,
  org: string,
  name: string,
  mode: 'metadata' | 'content',
): { repo: RepoRef; info: RepoInfo } {
  const auth = bearer(ctx.req);
  const token = auth.token !== null && auth.token in s.tokens ? auth.token : null;
  if (auth.present && token === null) throw new HttpError(401, MSG_BAD_TOKEN);
  const repo = s.store.find(org, name);
  const info = repo ? s.store.info(repo) : null;
  const id = repo?.id ?? `${org}/${name}`;
  const hidden = !repo || !info || (info.private === true && !(token && grants(s, token, id)));
  if (hidden) {
    if (token) throw new HttpError(404, MSG_REPO_NOT_FOUND, { 'X-Error-Code': 'RepoNotFound' });
    throw new HttpError(401, MSG_INVALID_USER, {
      'WWW-Authenticate': 'Bearer realm="Authentication required", charset="UTF-8"',
    });
  }
  if (info.disabled === true) throw new HttpError(403, MSG_DISABLED);
  if (mode === 'content' && info.gated !== false && info.gated !== undefined && !(token && grants(s, token, id))) {
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

export function revisionOrThrow(s: StandInState, repo: RepoRef, rev: string): string {
  const sha = s.store.resolveRevision(repo, rev);
  if (!sha) throw new HttpError(404, `Invalid rev id: ${rev}`, { 'X-Error-Code': 'RevisionNotFound' });
  return sha;
}

export function infoAt(s: StandInState, repo: RepoRef, sha: string): RepoInfo {
  try {
    return s.store.info(repo, sha);
  } catch {
    return s.store.info(repo);
  }
}

export async function fileEntry(
  s: StandInState,
  repo: RepoRef,
  sha: string,
  path: string,
): Promise<TreeFileEntry | null> {
  if (!isSafePath(path)) return null;
  const abs = join(s.store.commitDir(repo, sha), ...path.split('/'));
  if (!existsSync(abs) || !statSync(abs).isFile()) return null;
  return (await s.store.files(repo, sha)).find((f) => f.path === path) ?? null;
}

export function entryNotFound(sha: string): HttpError {
  return new HttpError(
    404,
    MSG_ENTRY_NOT_FOUND,
    { 'X-Error-Code': 'EntryNotFound', 'X-Repo-Commit': sha },
    MSG_ENTRY_NOT_FOUND,
  );
}
