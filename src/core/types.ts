// Shared data shapes of the pure core. Everything here is structured-clone safe,
// so it crosses the worker boundary (comlink) unchanged.

import type { DeclaredLineage } from './lineage/declaredTypes';

/** Storage dtypes we decode exactly to Float32. */
export type NormDtype = 'BF16' | 'F16' | 'F32';

/**
 * What a per-layer norm does, whatever its tensor is called: before attention (`input`), before
 * the MLP (`post`), on the attention or MLP output (`attn_out`, `ffn_out`), on queries and keys
 * (`q`, `k`), on MLA's low-rank query and key-value (`q_a`, `kv_a`).
 */
export type NormRole = 'input' | 'post' | 'attn_out' | 'ffn_out' | 'q' | 'k' | 'q_a' | 'kv_a';
export const NORM_ROLES: readonly NormRole[] = ['input', 'post', 'attn_out', 'ffn_out', 'q', 'k', 'q_a', 'kv_a'];

export function isNormRole(value: string): value is NormRole {
  return (NORM_ROLES as readonly string[]).includes(value);
}

/** How the weights are stored. */
export type WeightsFormat = 'safetensors' | 'gguf';
/** Where the bytes came from: a Hub-like server, or files on the user's disk. */
export type ModelSource = 'hub' | 'local';

/** A parsed `org/name@rev` reference (rev defaults to 'main'). */
export interface RepoRef {
  repo: string;
  revision: string;
  /** GGUF repos: the quantization to read (absent = the smallest) */
  quant?: string;
  /**
   * Set for a model from the user's disk (`m=local:LABEL/file/…`): `repo` is its label, `revision`
   * is 'local', and it is never read from a hub. `files` are the base names to drop to reopen it.
   */
  local?: { files: string[] };
}

/** One tensor entry of a safetensors header, with absolute file offsets. */
export interface TensorEntry {
  name: string;
  dtype: string;
  shape: number[];
  /** absolute byte offset in the file of the first byte (8 + N + data_offsets[0]) */
  start: number;
  /** absolute byte offset one past the last byte */
  end: number;
}

/** A validated safetensors header. */
export interface SafetensorsHeader {
  /** N, the JSON length in bytes */
  headerLength: number;
  /** 8 + N: where the byte buffer starts */
  dataStart: number;
  /** file size if known (from Content-Range); validated to equal dataStart + max(end) */
  fileSize: number | null;
  metadata: Record<string, string> | null;
  tensors: TensorEntry[];
}

/** A norm tensor found by the architecture table. */
export interface NormTensorRef {
  name: string;
  layer: number;
  role: NormRole;
  /** true for blocks that are not decoder layers (e.g. GLM's next-token-prediction layer) */
  extra: boolean;
  /** shard file that holds it */
  file: string;
  /** applied as stored + shift (1 for Gemma-style γ − 1 storage); absent = 0 */
  shift?: number;
  /** one head's piece of a per-head norm stored as separate tensors (StableLM): joined in this order */
  headIndex?: number;
}

/** One layer's norm vectors (decoded, applied γ, 2-D per-head norms flattened). Missing roles are undefined. */
export interface LayerNorms extends Partial<Record<NormRole, Float32Array>> {
  index: number;
  extra: boolean;
  /** human label, e.g. "46 (MTP)" */
  label: string;
}

/** A model whose norm vectors are loaded. */
export interface LoadedModel {
  hub: string;
  repo: string;
  /** what the user asked for (branch, tag or sha) */
  revision: string;
  /** the commit sha every read was pinned to */
  sha: string;
  architecture: string;
  modelType: string;
  hiddenSize: number;
  /** decoder layers, ascending, normally 0..n-1 */
  layers: LayerNorms[];
  /** blocks beyond the decoder (kept, labelled, excluded from matrices) */
  extraLayers: LayerNorms[];
  /** storage dtype of the norm tensors (the most common one if mixed) */
  dtype: string;
  /** the architecture-table entry that matched */
  normFamily: string;
  /** roles present in the decoder layers, in NORM_ROLES order */
  roles: NormRole[];
  /** vector length of each role present (flattened) */
  roleWidths: Partial<Record<NormRole, number>>;
  /** the stored values were γ − 1 and were shifted to the applied γ = 1 + w */
  zeroCentred: boolean;
  /** per role, the shift added to every stored value (1 for Gemma-style norms); absent = none */
  roleShifts?: Partial<Record<NormRole, number>>;
  format: WeightsFormat;
  source: ModelSource;
  /** the weight files read (GGUF parts, local files); empty for Hub safetensors */
  files: string[];
  /** GGUF: the quantization read, and every quantization the repo offers (label, bytes) */
  quant?: string;
  quantOptions?: { label: string; totalSize: number | null }[];
  /** sum of the sizes of all safetensors files of the repo, bytes (null if unknown) */
  totalModelBytes: number | null;
  transfer: TransferStats;
  /** true when every tensor came from the cache */
  fromCache: boolean;
  /** non-fatal notes for the user (cache fallback, gzip, ...) */
  warnings: string[];
  /** the model card's lineage claim (base_model, relation); null = none; absent for local files */
  declared?: DeclaredLineage | null;
  /** Hub API calls (model info) this load spent: 0 when the sha was cached */
  apiCalls?: number;
}

export interface TransferStats {
  requests: number;
  /** response body bytes received */
  bytes: number;
  /** bytes that were strictly needed: headers (8+N) + norm tensor bytes */
  minimumBytes: number;
  /** tensor bytes served from the cache */
  cachedBytes: number;
  /** requests that went through the hub's /resolve/ route (its rate-limited "resolvers" bucket) */
  resolves?: number;
  /** wall time of the load in the loader worker, ms (the deep check's time estimate uses bytes / wallMs) */
  wallMs?: number;
}

export type LoadPhase = 'resolving' | 'metadata' | 'headers' | 'tensors' | 'done' | 'error' | 'cancelled';

export interface LoadProgress {
  phase: LoadPhase;
  tensorsDone: number;
  tensorsTotal: number;
  requests: number;
  bytes: number;
  totalModelBytes: number | null;
  sha?: string;
  message?: string;
}

/** Similarity matrices for one pair of models and one role. Rows: model a's decoder layers. */
export interface PairMatrices {
  a: number;
  b: number;
  norm: NormRole;
  rows: number;
  cols: number;
  /** row-major rows*cols */
  cosine: Float64Array;
  pearson: Float64Array;
}

/** Why a load failed, in a form that crosses the worker boundary. */
export type HubErrorKind =
  | 'invalid-repo-id'
  | 'repo-not-found' // 404 RepoNotFound, or 401 without an error code: missing or private
  | 'revision-not-found'
  | 'entry-not-found'
  | 'gated' // GatedRepo: needs a token with access
  | 'unauthorized' // token rejected
  | 'forbidden'
  | 'rate-limited'
  | 'server-error'
  | 'network' // fetch rejected: offline, DNS, CORS
  | 'range-unsupported' // server answered a range request with the whole file
  | 'bad-header' // corrupted or implausible safetensors header
  | 'bad-response' // wrong status/length/content for what was asked
  | 'bad-file' // a local file that is truncated, corrupt, or not safetensors/GGUF
  | 'no-safetensors'
  | 'no-norms'
  | 'cancelled';

export interface HubErrorInfo {
  kind: HubErrorKind;
  /** one sentence a user can act on */
  message: string;
  status?: number;
  url?: string;
  /** the file at fault, as the repo names it (when one file is) */
  file?: string;
  retryAfterSeconds?: number;
}
