// Tests build local files by hand: a File that knows the folder path a picked folder would give it,
// a smooth synthetic γ per layer and role, and the load of files that make one model.
import { groupLocalFiles, localPathOf } from '../../core/localFiles';
import type { LoadedModel } from '../../core/types';
import { withLocalPath } from '../localFileSource';
import { loadLocalModel } from '../loadLocalModel';

/** A File named after the last part of `path`, known by the whole `path` (webkitRelativePath). */
export function localFile(bytes: Uint8Array | string, path: string): File {
  return withLocalPath(new File([bytes as BlobPart], path.slice(path.lastIndexOf('/') + 1)), path);
}

/** γ of `hidden` values, distinct per layer and role. */
export function syntheticGamma(hidden: number, layer: number, role: number): Float32Array {
  return Float32Array.from(
    { length: hidden },
    (_, i) => 0.3 + 0.1 * layer + 0.05 * role + 0.01 * Math.sin(i * 1.7 + layer),
  );
}

/** Group the files as a picked folder is grouped, insist they make one model, and load it. */
export async function loadOneLocalModel(files: File[]): Promise<LoadedModel> {
  const { groups } = groupLocalFiles(files.map((f) => ({ path: localPathOf(f), size: f.size })));
  if (groups.length !== 1) throw new Error(`Expected the files to make one model, got ${groups.length}.`);
  return loadLocalModel({ ...groups[0]!, files });
}
