// Reads repos in the static Hub layout (scripts/demo/staticHub.ts) for the Hub stand-in:
// finds a repo across roots, resolves revisions to commit shas, lists a commit's files with
// sizes and git/LFS oids. Also the Range header parser shared by both origins.

import { createHash } from 'node:crypto';
import { createReadStream, existsSync, promises as fsp, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gitBlobOid, isLfsPath, lfsPointer, type TreeEntry, type TreeFileEntry } from './layout.ts';
import { byCodeUnit } from '../../core/order.ts';

export const SHA_RE = /^[0-9a-f]{40}$/;

// ---------------------------------------------------------------------------------------------
// Repos on disk

export interface RepoRef {
  id: string;
  org: string;
  name: string;
  root: string;
}

export type RepoInfo = Record<string, unknown> & {
  sha: string;
  private?: boolean;
  gated?: false | string;
  disabled?: boolean;
};

export class RepoStore {
  private hashCache = new Map<string, { size: number; mtimeMs: number; entry: TreeFileEntry }>();

  constructor(readonly roots: string[]) {}

  find(org: string, name: string): RepoRef | null {
    if (!isSafeSegment(org) || !isSafeSegment(name)) return null;
    for (const root of this.roots) {
      if (existsSync(join(root, 'api', 'models', org, name, 'revision', 'main')))
        return { id: `${org}/${name}`, org, name, root };
    }
    return null;
  }

  all(): RepoRef[] {
    const seen = new Map<string, RepoRef>();
    for (const root of this.roots) {
      const base = join(root, 'api', 'models');
      for (const org of safeReaddir(base)) {
        for (const name of safeReaddir(join(base, org))) {
          const id = `${org}/${name}`;
          if (!seen.has(id) && existsSync(join(base, org, name, 'revision', 'main')))
            seen.set(id, { id, org, name, root });
        }
      }
    }
    return [...seen.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
  }

  private apiDir(repo: RepoRef): string {
    return join(repo.root, 'api', 'models', repo.org, repo.name);
  }

  info(repo: RepoRef, rev = 'main'): RepoInfo {
    return JSON.parse(readFileSync(join(this.apiDir(repo), 'revision', encodeURIComponent(rev)), 'utf8')) as RepoInfo;
  }

  /** Branch name, full sha or a ≥7-hex prefix of a known commit → full sha; null if unknown. */
  resolveRevision(repo: RepoRef, rev: string): string | null {
    if (rev === '' || rev.includes('\0')) return null;
    const file = join(this.apiDir(repo), 'revision', encodeURIComponent(rev));
    if (existsSync(file)) {
      try {
        return (JSON.parse(readFileSync(file, 'utf8')) as RepoInfo).sha;
      } catch {
        return null;
      }
    }
    if (/^[0-9a-f]{7,40}$/.test(rev)) {
      const matches = safeReaddir(join(this.apiDir(repo), 'revision')).filter(
        (f) => SHA_RE.test(f) && f.startsWith(rev),
      );
      if (matches.length === 1) return matches[0] as string;
    }
    return null;
  }

  commitDir(repo: RepoRef, sha: string): string {
    return join(repo.root, repo.org, repo.name, 'resolve', sha);
  }

  /** Files of a commit with size (from disk) and oids (from the tree sidecar, else hashed). */
  async files(repo: RepoRef, sha: string): Promise<TreeFileEntry[]> {
    const dir = this.commitDir(repo, sha);
    const sidecar = new Map<string, TreeFileEntry>();
    const treeFile = join(this.apiDir(repo), 'tree', sha);
    if (existsSync(treeFile)) {
      try {
        for (const e of JSON.parse(readFileSync(treeFile, 'utf8')) as TreeEntry[])
          if (e.type === 'file') sidecar.set(e.path, e);
      } catch {
        // stale or broken sidecar: hash instead
      }
    }
    const out: TreeFileEntry[] = [];
    const walk = async (rel: string): Promise<void> => {
      for (const entry of await fsp.readdir(join(dir, rel), { withFileTypes: true })) {
        const path = rel ? `${rel}/${entry.name}` : entry.name;
        if (entry.isDirectory()) await walk(path);
        else if (entry.isFile()) out.push(await this.entryFor(join(dir, path), path, sidecar.get(path)));
      }
    };
    if (existsSync(dir)) await walk('');
    return out.sort((a, b) => byCodeUnit(a.path, b.path));
  }

  private async entryFor(abs: string, path: string, known: TreeFileEntry | undefined): Promise<TreeFileEntry> {
    const st = statSync(abs);
    if (known && known.size === st.size) return known;
    const cached = this.hashCache.get(abs);
    if (cached && cached.size === st.size && cached.mtimeMs === st.mtimeMs) return cached.entry;
    let entry: TreeFileEntry;
    if (isLfsPath(path, st.size)) {
      const sha256 = await hashFile(abs, 'sha256');
      const pointer = Buffer.from(lfsPointer(sha256, st.size));
      entry = {
        type: 'file',
        oid: gitBlobOid(pointer),
        size: st.size,
        path,
        lfs: { oid: sha256, size: st.size, pointerSize: pointer.length },
      };
    } else {
      entry = { type: 'file', oid: gitBlobOid(readFileSync(abs)), size: st.size, path };
    }
    this.hashCache.set(abs, { size: st.size, mtimeMs: st.mtimeMs, entry });
    return entry;
  }
}

function safeReaddir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

export function isSafeSegment(s: string): boolean {
  return s !== '' && s !== '.' && s !== '..' && !s.includes('/') && !s.includes('\\') && !s.includes('\0');
}

export function isSafePath(path: string): boolean {
  return path !== '' && path.split('/').every(isSafeSegment);
}

function hashFile(path: string, algo: 'sha256' | 'sha1'): Promise<string> {
  return new Promise((ok, fail) => {
    const h = createHash(algo);
    createReadStream(path)
      .on('data', (c) => h.update(c))
      .on('end', () => ok(h.digest('hex')))
      .on('error', fail);
  });
}

// ---------------------------------------------------------------------------------------------
// Ranges

export type RangeRequest =
  { kind: 'none' } | { kind: 'single'; start: number; end: number } | { kind: 'multi' } | { kind: 'unsatisfiable' };

/** Parses a Range header against a size. Suffix, unsatisfiable and malformed ranges → 416. */
export function parseRange(header: string | undefined, size: number): RangeRequest {
  if (header === undefined) return { kind: 'none' };
  const m = /^bytes=(\d+)-(\d*)$/.exec(header.trim());
  if (m) {
    const start = Number(m[1]);
    const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
    if (start >= size || (m[2] !== '' && Number(m[2]) < start)) return { kind: 'unsatisfiable' };
    return { kind: 'single', start, end };
  }
  if (/^bytes=\s*(\d*-\d*)(\s*,\s*\d*-\d*)+\s*$/.test(header.trim())) return { kind: 'multi' };
  return { kind: 'unsatisfiable' };
}
