// Safetensors files → tensor catalogue, read through any byte source: 8 + 64 KiB first (most
// headers fit), the exact rest when N says more.
import { planHeaderRemainder } from '../ranges';
import { SafetensorsFormatError, parseSafetensorsHeader, readHeaderLength } from '../safetensors';
import type { SafetensorsHeader } from '../types';
import type { CatalogueTensor, ReadBytes, TensorCatalogue } from './catalogue';

/** Over a network most headers fit a 64 KiB first read; a local disk reads 8 bytes, then exactly N. */
export const NETWORK_FIRST_READ = 64 * 1024;

export interface SafetensorsFileInput {
  file: string;
  size: number | null;
  read: ReadBytes;
  /** bytes of the first read (default NETWORK_FIRST_READ) */
  firstRead?: number;
  /** the size as the reads have told it (a Content-Range total), when `size` was not known up front */
  sizeNow?: () => number | null;
}

/** One file's validated header; format errors name the file. */
export async function readSafetensorsHeaderFrom(input: SafetensorsFileInput): Promise<SafetensorsHeader> {
  const want = Math.max(8, input.firstRead ?? NETWORK_FIRST_READ);
  const first = await input.read(0, input.size === null ? want : Math.min(want, input.size));
  try {
    const headerLength = readHeaderLength(first.subarray(0, 8));
    let bytes = first;
    const size = input.size ?? input.sizeNow?.() ?? null;
    const remainder = planHeaderRemainder(first.byteLength, headerLength);
    if (remainder) {
      if (size !== null && remainder.end > size) {
        throw new SafetensorsFormatError(
          `its header says it is ${headerLength} bytes long, but the file has only ${size} bytes (truncated?).`,
        );
      }
      const rest = await input.read(remainder.start, remainder.end);
      bytes = new Uint8Array(first.byteLength + rest.byteLength);
      bytes.set(first);
      bytes.set(rest, first.byteLength);
    }
    return parseSafetensorsHeader(bytes.subarray(8), headerLength, size);
  } catch (e) {
    if (e instanceof SafetensorsFormatError)
      throw new SafetensorsFormatError(`${input.file} is not a valid safetensors file: ${e.message}`);
    throw e;
  }
}

/** Files and their headers (in the same order) as one catalogue; a name in two files keeps the first. */
export function safetensorsCatalogueOf(
  files: readonly { file: string; size: number | null }[],
  headers: readonly SafetensorsHeader[],
  config: Record<string, unknown>,
): TensorCatalogue {
  const tensors: CatalogueTensor[] = [];
  const seen = new Map<string, string>();
  const warnings: string[] = [];
  headers.forEach((h, i) => {
    const file = files[i]!.file;
    for (const t of h.tensors) {
      const other = seen.get(t.name);
      if (other !== undefined) {
        warnings.push(`${t.name} is in both ${other} and ${file}; the first is used.`);
        continue;
      }
      seen.set(t.name, file);
      tensors.push({ name: t.name, file, dtype: t.dtype, shape: t.shape, start: t.start, end: t.end });
    }
  });
  return {
    format: 'safetensors',
    config,
    files: headers.map((h, i) => ({
      file: files[i]!.file,
      headerBytes: h.dataStart,
      total: h.fileSize ?? files[i]!.size,
    })),
    tensors,
    warnings,
  };
}

/** Every file's header, read side by side, as one catalogue. */
export async function readSafetensorsCatalogue(
  files: readonly SafetensorsFileInput[],
  config: Record<string, unknown>,
): Promise<TensorCatalogue> {
  const headers = await Promise.all(files.map((f) => readSafetensorsHeaderFrom(f)));
  return safetensorsCatalogueOf(files, headers, config);
}
