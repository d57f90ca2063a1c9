// One shard's safetensors header from the Hub, read through its byte source by the format
// catalogue's reader (a first range, then the exact rest when 8 + N turned out longer), with format
// errors named as bad-header for this repo. The Hub load and row-sample planning both read here.
import { readSafetensorsHeaderFrom } from '../core/formats/safetensorsCatalogue.ts';
import { SafetensorsFormatError } from '../core/safetensors.ts';
import type { SafetensorsHeader } from '../core/types.ts';
import { hubFileSource, type HubFileSource } from '../sources/hubFileSource.ts';
import { HubError, type ErrorContext } from './errors.ts';
import type { HttpContext } from './http.ts';

export interface ShardHeader {
  file: string;
  header: SafetensorsHeader;
  /** file bytes from offset 0 that came along with the header (small tensors may sit inside) */
  prefix: Uint8Array | null;
  /** the server ignored Range and sent the (small) file whole */
  cameWhole: boolean;
}

/** The header of `source`'s file, `firstRead` bytes first; the bytes read stay in the source. */
export async function readHeaderOf(source: HubFileSource, firstRead: number, repo: string): Promise<SafetensorsHeader> {
  try {
    return await readSafetensorsHeaderFrom({
      file: source.path,
      size: source.size(),
      read: (start, end) => source.read(start, end),
      sizeNow: () => source.size(),
      firstRead,
    });
  } catch (e) {
    if (e instanceof SafetensorsFormatError)
      throw new HubError('bad-header', e.message.replace(source.path, `${source.path} in ${repo}`), {
        cause: e,
        file: source.path,
      });
    throw e;
  }
}

export async function readShardHeader(
  url: string,
  file: string,
  firstReadEnd: number,
  ctx: HttpContext,
  errCtx: ErrorContext,
): Promise<ShardHeader> {
  const source = hubFileSource({
    url,
    path: file,
    size: null,
    ctx,
    errCtx: { ...errCtx, file },
    limit: (task) => task(),
  });
  const header = await readHeaderOf(source, firstReadEnd, errCtx.repo);
  return { file, header, prefix: source.prefix(), cameWhole: source.cameWhole };
}
