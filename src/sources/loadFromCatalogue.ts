// Catalogue → norm tensors → their bytes: the part of a load that is the same for every source and format.
// The norm bytes of each file are read with as few ranges as the gap budget allows.
import { discoverCatalogueNorms } from '../core/formats/catalogueNorms';
import type { TensorCatalogue } from '../core/formats/catalogue';
import { modelTypeFromConfig } from '../core/norms';
import { planTensorReads } from '../core/ranges';
import { CACHE_FORMAT_VERSION, type CachedModel, type CachedNormTensor } from '../hub/cache';
import { HubError } from '../hub/errors';
import type { TensorBytes } from '../hub/readTensorBytes';
import type { ByteSource } from './byteSource';

export interface ModelIdentity {
  hub: string;
  repo: string;
  revision: string;
  sha: string;
}

export interface LoadFromCatalogueArgs {
  identity: ModelIdentity;
  catalogue: TensorCatalogue;
  /** by file path */
  sources: ReadonlyMap<string, ByteSource>;
  needsToken?: boolean;
  /** the norm tensors found, before any of their bytes is read */
  onPlanned?: (count: number) => void;
  onTensors?: (count: number) => void;
}

/** What a load learned and read; the caller decodes it once with buildLoadedModel. */
export interface CatalogueLoad {
  model: CachedModel;
  bytes: Map<string, TensorBytes>;
}

/** The norm tensors of a catalogue, with where they live, or a clear error naming what was found. */
export function normTensorsOf(catalogue: TensorCatalogue, label: string): Omit<CachedModel, 'sha' | 'needsToken'> {
  const found = discoverCatalogueNorms(catalogue);
  if (found.tensors.length === 0) {
    const type = modelTypeFromConfig(catalogue.config) || 'unknown';
    throw new HubError(
      'no-norms',
      `${label}: ${found.unknownMessage ?? `no per-layer norm weights found (model_type "${type}").`}`,
    );
  }
  const entries = new Map(catalogue.tensors.map((t) => [t.name, t]));
  const tensors = found.tensors.map((ref): CachedNormTensor => {
    const e = entries.get(ref.name)!;
    return { ...ref, file: e.file, dtype: e.dtype, shape: e.shape, start: e.start, end: e.end };
  });
  const model: Omit<CachedModel, 'sha' | 'needsToken'> = {
    version: CACHE_FORMAT_VERSION,
    config: catalogue.config,
    normFamily: found.family,
    zeroCentred: found.zeroCentred,
    format: catalogue.format,
    layers: found.layers,
    extraLayers: found.extraLayers,
    labels: [...found.labels],
    tensors,
    shards: catalogue.files.map((f) => ({
      file: f.file,
      headerLength: Math.max(0, f.headerBytes - 8),
      total: f.total,
      headerBytes: f.headerBytes,
    })),
    totalModelBytes: catalogue.files.every((f) => f.total !== null)
      ? catalogue.files.reduce((s, f) => s + (f.total ?? 0), 0)
      : null,
    warnings: [...catalogue.warnings, ...found.warnings],
  };
  return model;
}

const FORMAT_NAMES = { safetensors: 'safetensors', gguf: 'GGUF' } as const;

/** Read the norm bytes of one file: merged ranges, each checked to be whole. Faults are named in the file's own format. */
async function readNormBytes(
  source: ByteSource,
  tensors: readonly CachedNormTensor[],
  label: string,
  format: TensorCatalogue['format'],
  onTensors?: (n: number) => void,
): Promise<Map<string, TensorBytes>> {
  const out = new Map<string, TensorBytes>();
  const size = source.size();
  const kind = FORMAT_NAMES[format] ?? format;
  const damaged = (why: string) =>
    new HubError('bad-header', `${source.path} (${label}) is a damaged ${kind} file: ${why}`, { file: source.path });
  for (const t of tensors) {
    if (t.end <= t.start) throw damaged(`${t.name} has no readable bytes (type ${t.dtype}).`);
    if (size !== null && t.end > size)
      throw damaged(
        `${t.name} would end at byte ${t.end}, but the file has ${size} bytes (truncated, or offsets past the end).`,
      );
  }
  await Promise.all(
    planTensorReads(tensors).map(async (plan) => {
      const bytes = await source.read(plan.start, plan.end);
      if (bytes.byteLength !== plan.end - plan.start)
        throw damaged(
          `it ended after ${plan.start + bytes.byteLength} bytes, before the norm tensors it lists (truncated, or offsets past the end).`,
        );
      for (const t of plan.tensors)
        out.set(t.name, { bytes: bytes.slice(t.start - plan.start, t.end - plan.start), fromCache: false });
      onTensors?.(plan.tensors.length);
    }),
  );
  return out;
}

export async function loadFromCatalogue(a: LoadFromCatalogueArgs): Promise<CatalogueLoad> {
  const label = a.identity.repo;
  const model: CachedModel = {
    ...normTensorsOf(a.catalogue, label),
    sha: a.identity.sha,
    needsToken: a.needsToken ?? false,
  };
  a.onPlanned?.(model.tensors.length);
  const toRead = new Map<string, CachedNormTensor[]>();
  for (const t of model.tensors) toRead.set(t.file, [...(toRead.get(t.file) ?? []), t]);
  const bytes = new Map<string, TensorBytes>();
  const parts = await Promise.all(
    [...toRead].map(([file, list]) => {
      const source = a.sources.get(file);
      if (!source)
        throw new HubError('bad-header', `${label} lists ${file}, but that file is not among the files given.`, {
          file,
        });
      return readNormBytes(source, list, label, a.catalogue.format, a.onTensors);
    }),
  );
  for (const part of parts) for (const [name, b] of part) bytes.set(name, b);
  return { model, bytes };
}
