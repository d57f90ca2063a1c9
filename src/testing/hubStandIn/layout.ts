// The static Hub layout's git-side primitives (tree entries, LFS pointers, blob oids), shared by
// the repo writer (scripts/demo/staticHub.ts) and the Hub stand-in that serves what it wrote.
// Node-only; no app code imports this folder.
import { createHash } from 'node:crypto';
import { byCodeUnit } from '../../core/order.ts';

export interface LfsInfo {
  oid: string;
  size: number;
  pointerSize: number;
}

export interface TreeFileEntry {
  type: 'file';
  oid: string;
  size: number;
  path: string;
  lfs?: LfsInfo;
}

export interface TreeDirectoryEntry {
  type: 'directory';
  oid: string;
  size: 0;
  path: string;
}

export type TreeEntry = TreeFileEntry | TreeDirectoryEntry;

const LFS_PATTERN =
  /\.(safetensors|bin|pt|pth|ckpt|h5|msgpack|onnx|gguf|npy|npz|pkl|pickle|zip|gz|tgz|tar|7z|arrow|parquet|ot|tflite)$/i;
/** The Hub refuses non-LFS files above 10 MiB. */
export const LFS_SIZE_THRESHOLD = 10 * 1024 * 1024;

/** Whether the Hub would store this path through LFS/Xet (and serve it from the CDN). */
export function isLfsPath(path: string, size = 0): boolean {
  return LFS_PATTERN.test(path) || size >= LFS_SIZE_THRESHOLD;
}

export function sha1Hex(data: Uint8Array | string): string {
  return createHash('sha1').update(data).digest('hex');
}

export function sha256Hex(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** git's object id of a blob: sha1("blob <size>\0" + content). */
export function gitBlobOid(data: Uint8Array): string {
  return createHash('sha1').update(`blob ${data.length}\0`).update(data).digest('hex');
}

/** The git-lfs pointer file that stands in the git tree for an LFS file. */
export function lfsPointer(sha256: string, size: number): string {
  return `version https://git-lfs.github.com/spec/v1\noid sha256:${sha256}\nsize ${size}\n`;
}

/** Tree entry (oid, size, lfs) of one file's content, as the Hub's /tree API reports it. */
export function treeEntryFor(path: string, data: Uint8Array): TreeFileEntry {
  if (isLfsPath(path, data.length)) {
    const oid256 = sha256Hex(data);
    const pointer = new TextEncoder().encode(lfsPointer(oid256, data.length));
    return {
      type: 'file',
      oid: gitBlobOid(pointer),
      size: data.length,
      path,
      lfs: { oid: oid256, size: data.length, pointerSize: pointer.length },
    };
  }
  return { type: 'file', oid: gitBlobOid(data), size: data.length, path };
}

/** Adds the directory entries implied by file paths, sorted by path (a recursive listing). */
export function withDirectories(files: readonly TreeFileEntry[]): TreeEntry[] {
  const dirs = new Map<string, string[]>();
  for (const f of files) {
    const parts = f.path.split('/');
    for (let i = 1; i < parts.length; i++) {
      const dir = parts.slice(0, i).join('/');
      const list = dirs.get(dir) ?? [];
      list.push(`${f.path} ${f.oid}`);
      dirs.set(dir, list);
    }
  }
  const entries: TreeEntry[] = [...files];
  for (const [path, members] of dirs)
    entries.push({ type: 'directory', oid: sha1Hex(members.sort().join('\n')), size: 0, path });
  return entries.sort((a, b) => byCodeUnit(a.path, b.path));
}
