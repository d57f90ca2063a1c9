// Catalogue → the norm tensors: safetensors names go through the architecture table, GGUF's
// llama.cpp vocabulary through its own small table; both give the same roles.
import { ggufNormTensors } from '../gguf';
import { discoverNorms, numLayersFromConfig, type NormDiscovery } from '../norms';
import { NORM_ROLES, type NormTensorRef } from '../types';
import type { TensorCatalogue } from './catalogue';
import { plausibleLayerCount } from '../layerChecks';

function discoverGgufNorms(catalogue: TensorCatalogue): NormDiscovery {
  const architecture =
    typeof catalogue.config.gguf_architecture === 'string' ? catalogue.config.gguf_architecture : null;
  const decoderLayers = numLayersFromConfig(catalogue.config);
  const fileOf = new Map(catalogue.tensors.map((t) => [t.name, t.file]));
  const refs = ggufNormTensors(fileOf.keys(), { architecture, decoderLayers });
  const tensors: NormTensorRef[] = refs.map((r) => ({
    name: r.name,
    layer: r.layer,
    role: r.role,
    extra: r.extra,
    file: fileOf.get(r.name)!,
  }));
  const layers = [...new Set(tensors.filter((t) => !t.extra).map((t) => t.layer))].sort((a, b) => a - b);
  const extraLayers = [...new Set(tensors.filter((t) => t.extra).map((t) => t.layer))].sort((a, b) => a - b);
  const labels = new Map<number, string>([
    ...layers.map((l): [number, string] => [l, String(l)]),
    ...extraLayers.map((l): [number, string] => [l, `${l} (MTP)`]),
  ]);
  const warnings: string[] = [];
  const expected = plausibleLayerCount(layers, decoderLayers);
  const absent = Array.from({ length: expected }, (_, i) => i).filter((l) => !layers.includes(l));
  if (absent.length) warnings.push(`No norm tensors for layer${absent.length > 1 ? 's' : ''} ${absent.join(', ')}.`);
  const roles = NORM_ROLES.filter((r) => tensors.some((t) => !t.extra && t.role === r));
  const normLike = [...fileOf.keys()].filter((n) => /norm/.test(n)).slice(0, 6);
  return {
    family: `gguf:${architecture ?? 'unknown'}`,
    // the converter already wrote the applied γ (Gemma's + 1 included): nothing to shift
    zeroCentred: false,
    tensors,
    layers,
    extraLayers,
    labels,
    warnings,
    modelType: architecture ?? '',
    matchedBy: tensors.length ? 'names' : 'none',
    notes: 'GGUF (llama.cpp names); norms hold the applied γ.',
    roles,
    expectedRoles: roles,
    widths: new Map(),
    shifts: new Map(),
    shiftedRoles: new Map(),
    headPieces: new Map(),
    unknownMessage: tensors.length
      ? null
      : `No per-layer norm weights recognised in this GGUF (architecture "${architecture ?? 'unknown'}")${normLike.length ? `. Norm-like tensors: ${normLike.join(', ')}` : ''}.`,
    normLikeTensors: normLike,
  };
}

export function discoverCatalogueNorms(catalogue: TensorCatalogue): NormDiscovery {
  if (catalogue.format === 'gguf') return discoverGgufNorms(catalogue);
  return discoverNorms(new Map(catalogue.tensors.map((t) => [t.name, t.file])), catalogue.config);
}
