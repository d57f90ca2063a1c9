// Raw norm bytes + what we learned about the commit → the LoadedModel the app works with.
import { decodeTensor } from '../core/dtypes.ts';
import { hiddenSizeFromConfig, modelTypeFromConfig, numLayersFromConfig } from '../core/norms.ts';
import { checkLayers } from '../core/layerChecks.ts';
import { roleShapeOf } from '../core/roles.ts';
import type { LayerNorms, LoadedModel, ModelSource, NormRole } from '../core/types.ts';
import type { CachedModel } from './cache.ts';
import { HubError } from './errors.ts';
import type { TransferCounter } from './http.ts';
import type { TensorBytes } from './readTensorBytes.ts';

const HIDDEN_ROLES: ReadonlySet<string> = new Set(['input', 'post', 'attn_out', 'ffn_out']);

export interface BuildLoadedModelArgs {
  hub: string;
  repo: string;
  revision: string;
  model: CachedModel;
  bytes: ReadonlyMap<string, TensorBytes>;
  counter: TransferCounter;
  /** transfer-related warnings (cache, servers) to add after the model's own */
  warnings: Iterable<string>;
  source?: ModelSource;
}

/** The applied γ of a shifted norm: shift + w, rounded once to float32 like the converters' math. */
function shiftToApplied(stored: Float32Array, shift: number): Float32Array {
  const out = new Float32Array(stored.length);
  for (let i = 0; i < stored.length; i++) out[i] = shift + stored[i]!;
  return out;
}

function concatPieces(pieces: readonly { head: number; vector: Float32Array }[]): Float32Array {
  const sorted = [...pieces].sort((a, b) => a.head - b.head);
  const out = new Float32Array(sorted.reduce((n, p) => n + p.vector.length, 0));
  let at = 0;
  for (const p of sorted) {
    out.set(p.vector, at);
    at += p.vector.length;
  }
  return out;
}

function mostCommon<T>(values: readonly T[]): T | undefined {
  const counts = new Map<T, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best: T | undefined;
  let bestCount = 0;
  for (const [v, c] of counts) if (c > bestCount) [best, bestCount] = [v, c];
  return best;
}

export function buildLoadedModel(a: BuildLoadedModelArgs): LoadedModel {
  const { model, repo } = a;
  const labels = new Map(model.labels);
  const layerOf = new Map<number, LayerNorms>();
  for (const index of [...model.layers, ...model.extraLayers]) {
    const extra = model.extraLayers.includes(index);
    layerOf.set(index, { index, extra, label: labels.get(index) ?? String(index) });
  }
  const warnings = [...model.warnings];
  const pieces = new Map<string, { head: number; vector: Float32Array }[]>();
  let cachedBytes = 0;
  for (const t of model.tensors) {
    const raw = a.bytes.get(t.name);
    if (!raw) throw new HubError('bad-response', `The bytes of ${t.name} in ${repo} were never received.`);
    if (raw.fromCache) cachedBytes += raw.bytes.byteLength;
    let vector: Float32Array;
    try {
      vector = decodeTensor(raw.bytes, t.dtype);
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      throw new HubError('bad-header', `${t.name} in ${repo} cannot be decoded (${t.dtype}): ${why}`, { cause: e });
    }
    const shift = t.shift ?? 0;
    if (shift !== 0) vector = shiftToApplied(vector, shift);
    const layer = layerOf.get(t.layer);
    if (!layer) continue;
    if (t.headIndex !== undefined) {
      const key = `${t.layer}\u0000${t.role}`;
      pieces.set(key, [...(pieces.get(key) ?? []), { head: t.headIndex, vector }]);
      layer[t.role] = concatPieces(pieces.get(key)!);
    } else layer[t.role] = vector;
  }

  const lengths = model.tensors.map((t) => t.shape.reduce((p, d) => p * d, 1));
  const configured = hiddenSizeFromConfig(model.config);
  // only the residual-stream roles must be hidden wide; q/k (head_dim) and q_a/kv_a (ranks) are not
  const hiddenWide = model.tensors
    .filter((t) => HIDDEN_ROLES.has(t.role) && t.headIndex === undefined)
    .map((t) => t.shape.reduce((p, d) => p * d, 1));
  const odd = [...new Set(hiddenWide)].filter((l) => configured !== null && l !== configured);
  if (odd.length)
    warnings.push(`config.json gives hidden size ${configured}, but some norm vectors have length ${odd.join(', ')}.`);
  const architectures = model.config.architectures;
  const modelType = modelTypeFromConfig(model.config);
  const architecture =
    Array.isArray(architectures) && typeof architectures[0] === 'string' ? architectures[0] : modelType || 'unknown';
  const sorted = (xs: number[]) => xs.map((i) => layerOf.get(i)).filter((l): l is LayerNorms => l !== undefined);
  // gaps keep their indices, non-finite vectors are left empty, constant ones and absurd configs noted
  const checked = checkLayers(sorted([...model.layers].sort((x, y) => x - y)), numLayersFromConfig(model.config));
  const decoderLayers = checked.layers;
  warnings.push(...checked.notes);
  const zeroCentred = model.tensors.some((t) => (t.shift ?? 0) !== 0);
  const roleShifts: Partial<Record<NormRole, number>> = {};
  for (const role of new Set(model.tensors.map((t) => t.role))) {
    const shifts = new Set(model.tensors.filter((t) => t.role === role && !t.extra).map((t) => t.shift ?? 0));
    const only = shifts.size === 1 ? [...shifts][0]! : 0;
    if (only !== 0) roleShifts[role] = only;
  }
  const minimumBytes =
    model.shards.reduce((s, f) => s + (f.headerBytes ?? 8 + f.headerLength), 0) +
    model.tensors.reduce((s, t) => s + t.end - t.start, 0);
  return {
    hub: a.hub,
    repo,
    revision: a.revision,
    sha: model.sha,
    architecture,
    modelType,
    hiddenSize: configured ?? mostCommon(lengths) ?? 0,
    layers: decoderLayers,
    extraLayers: sorted([...model.extraLayers].sort((x, y) => x - y)),
    dtype: mostCommon(model.tensors.map((t) => t.dtype)) ?? '',
    normFamily: model.normFamily,
    ...roleShapeOf(decoderLayers),
    zeroCentred,
    ...(zeroCentred ? { roleShifts } : {}),
    format: model.format ?? 'safetensors',
    source: a.source ?? 'hub',
    files: model.format === 'gguf' || a.source === 'local' ? model.shards.map((s) => s.file) : [],
    ...(model.gguf
      ? {
          quant: model.gguf.quant,
          quantOptions: model.gguf.options.map(({ label, totalSize }) => ({ label, totalSize })),
        }
      : {}),
    totalModelBytes: model.totalModelBytes,
    transfer: {
      requests: a.counter.requests,
      bytes: a.counter.bytes,
      minimumBytes,
      cachedBytes,
      resolves: a.counter.resolves,
    },
    fromCache: model.tensors.length > 0 && model.tensors.every((t) => a.bytes.get(t.name)?.fromCache === true),
    warnings: [...new Set([...warnings, ...a.warnings])],
    ...(model.declared !== undefined ? { declared: model.declared } : {}),
  };
}
