// GGUF parts → tensor catalogue: each part's header read forward in 2 MiB chunks (tokenizer
// arrays make real headers megabytes), never the file itself.
import type { TensorCatalogue } from '../core/formats/catalogue';
import {
  GgufFormatError,
  planGgufNorms,
  readGgufHeader,
  type GgufHeader,
  type GgufNormPlan,
  type KeepArray,
} from '../core/gguf';
import { HubError } from '../hub/errors';
import type { ByteSource } from './byteSource';

/** Headers of all parts (part 1 first), with format errors turned into messages naming the file. */
export async function readGgufHeaders(
  parts: readonly ByteSource[],
  opts: { keepArray?: KeepArray } = {},
): Promise<GgufHeader[]> {
  return Promise.all(
    parts.map(async (source) => {
      try {
        return (await readGgufHeader((a, b) => source.read(a, b), { fileSize: source.size(), ...opts })).header;
      } catch (e) {
        if (e instanceof GgufFormatError)
          throw new HubError('bad-file', `${source.path} is not a readable GGUF file: ${e.message}`, {
            cause: e,
            file: source.path,
          });
        throw e;
      }
    }),
  );
}

export function ggufCatalogueOf(parts: readonly ByteSource[], headers: readonly GgufHeader[]): TensorCatalogue {
  // the core's plan checks the split set (order, count, tensor total) and that every norm is F32/F16/BF16
  let plan: GgufNormPlan;
  try {
    plan = planGgufNorms(parts.map((p, i) => ({ path: p.path, header: headers[i]! })));
  } catch (e) {
    if (e instanceof GgufFormatError)
      throw new HubError('bad-file', `${parts[0]!.path}: ${e.message}`, { cause: e, file: parts[0]!.path });
    throw e;
  }
  const normDtypes = new Map(plan.norms.map((n) => [n.name, n.dtype]));
  return {
    format: 'gguf',
    config: plan.config,
    files: headers.map((h, i) => ({
      file: parts[i]!.path,
      headerBytes: h.dataStart,
      total: h.fileSize ?? parts[i]!.size(),
    })),
    tensors: headers.flatMap((h, i) =>
      h.tensors.map((t) => ({
        name: t.name,
        file: parts[i]!.path,
        dtype: normDtypes.get(t.name) ?? t.typeName,
        shape: t.shape,
        start: t.start,
        end: t.end ?? t.start,
      })),
    ),
    warnings: [],
  };
}

export async function readGgufCatalogue(parts: readonly ByteSource[]): Promise<TensorCatalogue> {
  return ggufCatalogueOf(parts, await readGgufHeaders(parts));
}
