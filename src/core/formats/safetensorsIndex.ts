// model.safetensors.index.json → which shard holds each tensor. One reader for the Hub and for
// local folders; every shard name must stay inside the repo (core/repoPaths.ts) before anything
// is asked for by it.
import { shardNameError } from '../repoPaths';
import { isRecord } from '../json';

/** A fault in an index, in the index's own terms. */
export class SafetensorsIndexError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SafetensorsIndexError';
  }
}

export interface SafetensorsIndex {
  /** tensor name → shard path relative to the repo root (the index's folder prepended) */
  weightMap: Map<string, string>;
  /** metadata.total_size when it is a positive safe integer */
  totalSize: number | null;
}

/** At most this many weight_map entries (Kimi-K3's ~500k fit; a hostile index stops here). */
export const MAX_INDEX_ENTRIES = 1_000_000;

export function parseSafetensorsIndex(json: unknown, indexPath: string): SafetensorsIndex {
  if (!isRecord(json) || !isRecord(json.weight_map))
    throw new SafetensorsIndexError(`${indexPath} is not a safetensors index: it has no weight_map object.`);
  const dir = indexPath.includes('/') ? indexPath.slice(0, indexPath.lastIndexOf('/') + 1) : '';
  const weightMap = new Map<string, string>();
  const checked = new Map<string, string | null>();
  let entries = 0;
  for (const name in json.weight_map) {
    if (++entries > MAX_INDEX_ENTRIES)
      throw new SafetensorsIndexError(`${indexPath} lists more than ${MAX_INDEX_ENTRIES} tensors.`);
    const file = json.weight_map[name];
    const key = typeof file === 'string' ? file : '\u0000';
    if (!checked.has(key)) checked.set(key, shardNameError(file));
    const why = checked.get(key);
    if (why)
      throw new SafetensorsIndexError(
        `${indexPath} names a shard that is not a file of this repo (for ${JSON.stringify(name.slice(0, 80))}): ${why}. Nothing outside the repo is read.`,
      );
    weightMap.set(name, dir + (file as string));
  }
  const total = isRecord(json.metadata) ? Number(json.metadata.total_size) : NaN;
  return { weightMap, totalSize: Number.isSafeInteger(total) && total > 0 ? total : null };
}
