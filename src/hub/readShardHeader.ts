// One shard's safetensors header: a speculative first range from byte 0, an exact second range
// only when 8 + N turned out larger, then validation against the Content-Range total.
import { planHeaderRemainder } from '../core/ranges.ts';
import { SafetensorsFormatError, parseSafetensorsHeader, readHeaderLength } from '../core/safetensors.ts';
import type { SafetensorsHeader } from '../core/types.ts';
import { HubError, type ErrorContext } from './errors.ts';
import { readRange, type HttpContext } from './http.ts';

export interface ShardHeader {
  file: string;
  header: SafetensorsHeader;
  /** file bytes from offset 0 that came along with the header (small tensors may sit inside) */
  prefix: Uint8Array | null;
  /** the server ignored Range and sent the (small) file whole */
  cameWhole: boolean;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.byteLength + b.byteLength);
  out.set(a);
  out.set(b, a.byteLength);
  return out;
}

export async function readShardHeader(
  url: string,
  file: string,
  firstReadEnd: number,
  ctx: HttpContext,
  errCtx: ErrorContext,
): Promise<ShardHeader> {
  const ectx = { ...errCtx, file };
  const first = await readRange(url, 0, firstReadEnd, ctx, ectx, { allowClip: true });
  let prefix = first.whole ?? first.bytes;
  const total = first.total;
  try {
    const headerLength = readHeaderLength(prefix.subarray(0, 8));
    const rest = planHeaderRemainder(prefix.byteLength, headerLength);
    if (rest && (total === null || rest.end <= total)) {
      const second = await readRange(url, rest.start, rest.end, ctx, ectx);
      if (second.total !== total) {
        throw new HubError('bad-response', `The size of ${file} in ${errCtx.repo} changed between two reads.`, { url });
      }
      prefix = concat(prefix, second.bytes);
    }
    const header = parseSafetensorsHeader(prefix.subarray(8), headerLength, total);
    return { file, header, prefix, cameWhole: first.whole !== undefined };
  } catch (e) {
    if (e instanceof SafetensorsFormatError) {
      throw new HubError('bad-header', `${file} in ${errCtx.repo} is not a valid safetensors file: ${e.message}`, {
        url,
        file,
        cause: e,
      });
    }
    throw e;
  }
}
