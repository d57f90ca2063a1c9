// A local file read by File.slice: only the header and norm bytes ever leave the disk cache,
// nothing is uploaded anywhere.
import type { ByteSource } from './byteSource';
import { localPathOf } from '../core/localFiles';

export { localPathOf };

export function localFileSource(file: File, path = localPathOf(file)): ByteSource & { bytesRead: number } {
  const source = {
    path,
    reads: 0,
    bytesRead: 0,
    size: () => file.size,
    async read(start: number, endExclusive: number): Promise<Uint8Array> {
      const end = Math.min(endExclusive, file.size);
      if (start < 0 || start > end) return new Uint8Array(0);
      source.reads++;
      const bytes = new Uint8Array(await file.slice(start, end).arrayBuffer());
      source.bytesRead += bytes.byteLength;
      return bytes;
    },
  };
  return source;
}

/**
 * The same File, known by `path` to localPathOf(). Dropped files and files cloned into a worker do
 * not keep the folder in webkitRelativePath (read-only, and not cloned), so the path travels beside
 * the File and is set again on the instance here.
 */
export function withLocalPath(file: File, path: string): File {
  if (localPathOf(file) !== path)
    Object.defineProperty(file, 'webkitRelativePath', { value: path, configurable: true });
  return file;
}
