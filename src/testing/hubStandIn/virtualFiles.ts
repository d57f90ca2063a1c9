// Virtual files for the Hub stand-in: a file whose bytes are computed for any requested range
// (deterministically, from a seed) instead of read from disk, so the bench can serve 7B-shaped
// checkpoints of real layout without writing 15 GB. On disk the file is a sparse placeholder of the
// right size (listings, sizes and hashes stay the stand-in's own); the server asks this registry
// first when it serves a file (server.ts, serveFile).
import { closeSync, openSync, ftruncateSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { lfsPointer, gitBlobOid, type TreeEntry } from './layout.ts';

/** Bytes [start, endExclusive) of a virtual file. */
export type RangeFiller = (start: number, endExclusive: number) => Uint8Array;

const registry = new Map<string, RangeFiller>();

/** The filler of a file the stand-in is about to serve, if it is virtual. */
export function virtualFileAt(absPath: string): RangeFiller | undefined {
  return registry.get(absPath);
}

/**
 * Mounts a virtual file into a repo commit the static layout already holds (writeStaticRepo): a
 * sparse placeholder of `size` bytes, its LFS entry in the tree sidecars, its name in the siblings.
 */
export function mountVirtualFile(
  root: string,
  repo: string,
  sha: string,
  path: string,
  size: number,
  fill: RangeFiller,
): void {
  const [org, name] = repo.split('/') as [string, string];
  const abs = join(root, org, name, 'resolve', sha, path);
  const fd = openSync(abs, 'w');
  ftruncateSync(fd, size);
  closeSync(fd);
  registry.set(abs, fill);
  const oid = createHash('sha256').update(`virtual:${repo}:${sha}:${path}:${size}`).digest('hex');
  const pointer = lfsPointer(oid, size);
  const entry: TreeEntry = {
    type: 'file',
    oid: gitBlobOid(new TextEncoder().encode(pointer)),
    size,
    path,
    lfs: { oid, size, pointerSize: pointer.length },
  };
  const api = join(root, 'api', 'models', org, name);
  for (const rev of [sha, 'main']) {
    const treeFile = join(api, 'tree', encodeURIComponent(rev));
    if (existsSync(treeFile)) {
      const tree = (JSON.parse(readFileSync(treeFile, 'utf8')) as TreeEntry[]).filter((e) => e.path !== path);
      writeFileSync(treeFile, `${JSON.stringify([...tree, entry].sort((a, b) => (a.path < b.path ? -1 : 1)))}\n`);
    }
    const infoFile = join(api, 'revision', encodeURIComponent(rev));
    if (existsSync(infoFile)) {
      const info = JSON.parse(readFileSync(infoFile, 'utf8')) as { siblings?: { rfilename: string }[] };
      info.siblings = [...(info.siblings ?? []).filter((s) => s.rfilename !== path), { rfilename: path }];
      writeFileSync(infoFile, `${JSON.stringify(info)}\n`);
    }
  }
}

export function unmountAll(): void {
  registry.clear();
}
