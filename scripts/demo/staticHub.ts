// Writes model repos in the STATIC HUB LAYOUT, which Vite (dev/preview), any static host and the
// local Hub stand-in (src/testing/hubStandIn/server.ts) all serve with the same client code as the real Hub:
//
//   {root}/api/models/{org}/{name}/revision/{rev}   repo info JSON (rev = "main" and the full sha)
//   {root}/api/models/{org}/{name}/tree/{rev}       recursive file listing (size, oid, lfs) — the
//                                                   stand-in pages and filters it like /tree
//   {root}/{org}/{name}/resolve/{sha}/{path}        the repo files
//   {root}/index.json                               demo picker: repos with a one-line description
//
// Also builders that turn per-layer γ arrays into realistically laid-out safetensors repos.

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseSafetensorsFile, serializeSafetensors, type SerializableTensor } from '../../src/core/safetensors.ts';
import type { NormDtype } from '../../src/core/types.ts';
import { createRng } from './random.ts';
import { byCodeUnit } from '../../src/core/order.ts';

const TORCH_DTYPE: Record<NormDtype, string> = { BF16: 'bfloat16', F16: 'float16', F32: 'float32' };

/** Fixed timestamps keep the output byte-identical between runs. */
export const DEMO_CREATED_AT = '2026-01-05T12:00:00.000Z';
export const DEMO_LAST_MODIFIED = '2026-02-10T09:30:00.000Z';

export type GatedMode = false | 'auto' | 'manual';

export interface StaticRepoSpec {
  /** "org/name" */
  repo: string;
  /** path → content; config.json is written from `config` unless given here */
  files: Record<string, Uint8Array | string>;
  config: Record<string, unknown>;
  gated?: GatedMode;
  private?: boolean;
  disabled?: boolean;
  /** one line for index.json and the README title */
  description?: string;
  /** the model card's YAML front matter as the API reports it (default: license + tags) */
  cardData?: Record<string, unknown>;
  tags?: string[];
  /** the Hub's download count (lists sort by it) */
  downloads?: number;
  createdAt?: string;
  lastModified?: string;
  /** branch names that point at this commit (default ["main"]) */
  branches?: string[];
  /** write no config.json (GGUF repos have none); the API info then carries no config either */
  noConfig?: boolean;
}

export interface WrittenRepo {
  repo: string;
  sha: string;
  /** files of the commit, sorted by path */
  files: TreeFileEntry[];
  /** sum of all file sizes */
  totalBytes: number;
  /** sum of the sizes of the *.safetensors files */
  safetensorsBytes: number;
  info: Record<string, unknown>;
}

export {
  LFS_SIZE_THRESHOLD,
  gitBlobOid,
  isLfsPath,
  lfsPointer,
  sha1Hex,
  sha256Hex,
  treeEntryFor,
  withDirectories,
  type LfsInfo,
  type TreeDirectoryEntry,
  type TreeEntry,
  type TreeFileEntry,
} from '../../src/testing/hubStandIn/layout.ts';
import { sha1Hex, treeEntryFor, withDirectories, type TreeFileEntry } from '../../src/testing/hubStandIn/layout.ts';

function splitRepo(repo: string): [string, string] {
  const m = /^([A-Za-z0-9][\w.-]*)\/([\w.-]+)$/.exec(repo);
  if (!m) throw new Error(`Repo id must look like "org/name", got "${repo}".`);
  return [m[1] as string, m[2] as string];
}

function safeRelativePath(path: string): string {
  const parts = path.split('/');
  if (path.startsWith('/') || parts.some((p) => p === '' || p === '.' || p === '..'))
    throw new Error(`Unsafe repo file path "${path}".`);
  return path;
}

function writeFile(path: string, data: Uint8Array | string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, data);
}

const DEFAULT_GITATTRIBUTES =
  '*.safetensors filter=lfs diff=lfs merge=lfs -text\n*.bin filter=lfs diff=lfs merge=lfs -text\n';

/** Parameter counts per dtype over every safetensors file that parses (corrupted ones are skipped). */
function countParameters(files: Map<string, Uint8Array>): { parameters: Record<string, number>; total: number } | null {
  const parameters: Record<string, number> = {};
  let total = 0;
  let any = false;
  for (const [path, data] of files) {
    if (!path.endsWith('.safetensors')) continue;
    try {
      const header = parseSafetensorsFile(data);
      any = true;
      for (const t of header.tensors) {
        const n = t.shape.reduce((a, b) => a * b, 1);
        parameters[t.dtype] = (parameters[t.dtype] ?? 0) + n;
        total += n;
      }
    } catch {
      // a deliberately corrupted fixture: no parameter count for it
    }
  }
  return any ? { parameters, total } : null;
}

/**
 * Writes one repo commit into the static layout and returns its sha (derived from the content).
 * Writing the same repo again with other content adds a new commit and moves the branches; the
 * old commit stays readable by its sha, as on the Hub.
 */
export function writeStaticRepo(root: string, spec: StaticRepoSpec): WrittenRepo {
  const [org, name] = splitRepo(spec.repo);
  const enc = new TextEncoder();
  const contents = new Map<string, Uint8Array>();
  contents.set('.gitattributes', enc.encode(DEFAULT_GITATTRIBUTES));
  if (!spec.noConfig) contents.set('config.json', enc.encode(`${JSON.stringify(spec.config, null, 2)}\n`));
  for (const [path, data] of Object.entries(spec.files)) {
    contents.set(safeRelativePath(path), typeof data === 'string' ? enc.encode(data) : data);
  }
  const files = [...contents.entries()]
    .map(([path, data]) => treeEntryFor(path, data))
    .sort((a, b) => byCodeUnit(a.path, b.path));
  const sha = sha1Hex(`commit ${spec.repo}\n${files.map((f) => `${f.path} ${f.lfs?.oid ?? f.oid}`).join('\n')}\n`);

  for (const [path, data] of contents) writeFile(join(root, org, name, 'resolve', sha, path), data);

  const totalBytes = files.reduce((n, f) => n + f.size, 0);
  const safetensorsBytes = files.filter((f) => f.path.endsWith('.safetensors')).reduce((n, f) => n + f.size, 0);
  const config = spec.config;
  const params = countParameters(contents);
  const info: Record<string, unknown> = {
    _id: sha1Hex(`id ${spec.repo}`).slice(0, 24),
    id: spec.repo,
    modelId: spec.repo,
    author: org,
    sha,
    lastModified: spec.lastModified ?? DEMO_LAST_MODIFIED,
    createdAt: spec.createdAt ?? DEMO_CREATED_AT,
    private: spec.private ?? false,
    gated: spec.gated ?? false,
    disabled: spec.disabled ?? false,
    tags: spec.tags ?? [
      'transformers',
      'safetensors',
      String(config.model_type ?? 'custom'),
      'text-generation',
      'synthetic',
    ],
    pipeline_tag: 'text-generation',
    library_name: spec.noConfig ? 'gguf' : 'transformers',
    siblings: files.map((f) => ({ rfilename: f.path })),
    ...(spec.noConfig
      ? {}
      : { config: { architectures: config.architectures ?? [], model_type: config.model_type ?? null } }),
    cardData: spec.cardData ?? { license: 'mit', tags: ['synthetic', 'normscope-demo'] },
    transformersInfo: {
      auto_model: 'AutoModelForCausalLM',
      pipeline_tag: 'text-generation',
      processor: 'AutoTokenizer',
    },
    ...(params ? { safetensors: params } : {}),
    usedStorage: totalBytes,
    downloads: spec.downloads ?? 0,
    likes: 0,
    spaces: [],
  };
  const infoJson = `${JSON.stringify(info)}\n`;
  const treeJson = `${JSON.stringify(withDirectories(files))}\n`;
  const api = join(root, 'api', 'models', org, name);
  for (const rev of [sha, ...(spec.branches ?? ['main'])]) {
    const file = encodeURIComponent(rev);
    writeFile(join(api, 'revision', file), infoJson);
    writeFile(join(api, 'tree', file), treeJson);
  }
  return { repo: spec.repo, sha, files, totalBytes, safetensorsBytes, info };
}

export interface StaticIndexEntry {
  id: string;
  description: string;
  sha: string;
  [key: string]: unknown;
}

/** Writes {root}/index.json, the list of repos the UI's demo picker offers. */
export function writeStaticIndex(root: string, repos: StaticIndexEntry[], extra: Record<string, unknown> = {}): void {
  writeFile(join(root, 'index.json'), `${JSON.stringify({ ...extra, repos }, null, 2)}\n`);
}

// Builders

export { encodeValues, placeholder, roundTo, tensor } from './tensorData.ts';
import { placeholder, randomMatrix, roundTo, tensor } from './tensorData.ts';

/** A group of tensors that must stay in one shard (one layer, the embeddings…). */
export interface TensorGroup {
  tensors: SerializableTensor[];
  /** 'first' / 'last' groups never share a shard with layers when embeddingsOwnShard is set */
  kind: 'embed' | 'layer' | 'tail';
}

export function shardName(i: number, n: number): string {
  return `model-${String(i).padStart(5, '0')}-of-${String(n).padStart(5, '0')}.safetensors`;
}

export interface ShardingOptions {
  /** decoder layers per shard; 0 or undefined → one model.safetensors */
  layersPerShard?: number;
  /** put the embeddings alone in shard 1 (as in Solar-Open, whose layer 0 is in shard 2) */
  embeddingsOwnShard?: boolean;
  /** decoder layers of each layer shard in turn (overrides layersPerShard once given) */
  layerShardSizes?: number[];
}

/** Greedy sharding in state-dict order; returns files + the index, like save_pretrained. */
export function shardGroups(groups: TensorGroup[], opts: ShardingOptions): Record<string, Uint8Array | string> {
  const sizes = opts.layerShardSizes;
  const lps = opts.layersPerShard ?? (sizes ? 1 : 0);
  const metadata = { format: 'pt' };
  if (lps <= 0 && !sizes) {
    return {
      'model.safetensors': serializeSafetensors(
        groups.flatMap((g) => g.tensors),
        metadata,
      ),
    };
  }
  const shards: SerializableTensor[][] = [];
  let current: SerializableTensor[] = [];
  let layersInCurrent = 0;
  for (const g of groups) {
    if (g.kind === 'layer') {
      const full = sizes
        ? layersInCurrent === (sizes[shards.length - (opts.embeddingsOwnShard ? 1 : 0)] ?? lps)
        : layersInCurrent === lps;
      if (full) {
        shards.push(current);
        current = [];
        layersInCurrent = 0;
      }
      layersInCurrent++;
    }
    current.push(...g.tensors);
    if (g.kind === 'embed' && opts.embeddingsOwnShard) {
      shards.push(current);
      current = [];
    }
  }
  if (current.length > 0) shards.push(current);
  return shardedFiles(shards, metadata);
}

/** Shards named as transformers names them, and the index: weight_map sorted, total size and parameters. */
export function shardedFiles(
  shards: readonly SerializableTensor[][],
  metadata: Record<string, string>,
): Record<string, Uint8Array | string> {
  const files: Record<string, Uint8Array | string> = {};
  const weightMap: Record<string, string> = {};
  let totalSize = 0;
  let totalParameters = 0;
  shards.forEach((list, i) => {
    const file = shardName(i + 1, shards.length);
    files[file] = serializeSafetensors(list, metadata);
    for (const t of list) {
      weightMap[t.name] = file;
      totalSize += t.data.length;
      totalParameters += t.shape.reduce((a, b) => a * b, 1);
    }
  });
  const sortedMap = Object.fromEntries(Object.entries(weightMap).sort(([a], [b]) => byCodeUnit(a, b)));
  const index = { metadata: { total_parameters: totalParameters, total_size: totalSize }, weight_map: sortedMap };
  files['model.safetensors.index.json'] = `${JSON.stringify(index, null, 2)}\n`;
  return files;
}

export function syntheticReadme(repo: string, description: string, details: string[], baseModel?: string): string {
  return [
    '---',
    'license: mit',
    ...(baseModel ? [`base_model: ${baseModel}`] : []),
    'library_name: transformers',
    'tags:',
    '- synthetic',
    '- normscope-demo',
    '---',
    '',
    `# ${repo} (synthetic)`,
    '',
    description,
    '',
    '**This is not a real model.** It was generated by NormScope (`npm run demo-data`) to demonstrate',
    'and test the app offline. Only the LayerNorm/RMSNorm weight vectors carry meaningful (synthetic)',
    'values; every other tensor is a tiny random placeholder that keeps the real file layout.',
    '',
    ...details.map((d) => `- ${d}`),
    '',
  ].join('\n');
}

export interface StoredNorms {
  /** decoder layers' norm vectors as a reader decodes them (after storage rounding) */
  input: Float32Array[];
  post: Float32Array[];
}

/** Stored values, computed on first use (encoding is the slow part of building a repo). */
export function lazyNorms(
  input: readonly Float32Array[],
  post: readonly Float32Array[],
  dtype: NormDtype,
): StoredNorms {
  let cache: StoredNorms | null = null;
  const get = (): StoredNorms =>
    (cache ??= { input: input.map((v) => roundTo(v, dtype)), post: post.map((v) => roundTo(v, dtype)) });
  return {
    get input() {
      return get().input;
    },
    get post() {
      return get().post;
    },
  };
}

export interface BuiltRepo extends StaticRepoSpec {
  norms: StoredNorms;
  hiddenSize: number;
  numLayers: number;
  dtype: NormDtype;
}

export interface MtpNorms {
  input: Float32Array;
  post: Float32Array;
  enorm: Float32Array;
  hnorm: Float32Array;
  sharedHeadNorm: Float32Array;
}

export interface LlamaLikeOptions extends ShardingOptions {
  repo: string;
  /** per decoder layer; all vectors have length hidden */
  input: Float32Array[];
  post: Float32Array[];
  finalNorm?: Float32Array;
  /** GLM-style next-token-prediction block stored as layer num_hidden_layers */
  mtp?: MtpNorms;
  modelType?: string;
  architecture?: string;
  /** storage dtype of every tensor except router biases (default BF16) */
  dtype?: NormDtype;
  /** an F32 `mlp.gate.e_score_correction_bias` [experts] per layer, as in GLM/DeepSeek MoE */
  routerBias?: boolean;
  experts?: number;
  /** per-expert gate/up/down placeholders [2, cols] per layer: MoE-sized headers without MoE-sized files */
  expertMatrices?: number;
  /** columns of the placeholder matrices ([hidden, cols]) */
  matrixCols?: number;
  vocabRows?: number;
  seed?: number | string;
  config?: Record<string, unknown>;
  description?: string;
  readmeDetails?: string[];
  /** repo id of the parent model (README front matter `base_model`, cardData.base_model) */
  baseModel?: string;
  gated?: GatedMode;
  private?: boolean;
}

function checkVectors(list: readonly Float32Array[], hidden: number, what: string): void {
  list.forEach((v, i) => {
    if (v.length !== hidden) throw new Error(`${what}[${i}] has length ${v.length}, expected ${hidden}.`);
  });
}

/** A Llama/GLM/Solar/Phi-3-style repo: `model.layers.{i}.input_layernorm.weight` etc. */
export function buildLlamaLikeRepo(opts: LlamaLikeOptions): BuiltRepo {
  const numLayers = opts.input.length;
  const first = opts.input[0];
  if (!first || opts.post.length !== numLayers)
    throw new Error('input and post must list the same, non-zero number of layers.');
  const hidden = first.length;
  checkVectors(opts.input, hidden, 'input');
  checkVectors(opts.post, hidden, 'post');
  const dtype = opts.dtype ?? 'BF16';
  const cols = opts.matrixCols ?? 8;
  const vocab = opts.vocabRows ?? 16;
  const experts = opts.experts ?? 16;
  const rng = createRng(opts.seed ?? opts.repo);

  const layerTensors = (i: number, input: Float32Array, post: Float32Array): SerializableTensor[] => {
    const p = `model.layers.${i}.`;
    const list = [
      tensor(`${p}input_layernorm.weight`, dtype, [hidden], input),
      tensor(`${p}post_attention_layernorm.weight`, dtype, [hidden], post),
      placeholder(rng, `${p}self_attn.o_proj.weight`, dtype, [hidden, cols]),
      placeholder(rng, `${p}mlp.down_proj.weight`, dtype, [hidden, cols]),
    ];
    for (let e = 0; e < (opts.expertMatrices ?? 0); e++) {
      for (const proj of ['down_proj', 'gate_proj', 'up_proj'])
        list.push(placeholder(rng, `${p}mlp.experts.${e}.${proj}.weight`, dtype, [2, cols]));
    }
    if (opts.routerBias) {
      const bias = randomMatrix(rng.fork(`${p}bias`), experts, 1);
      list.push(tensor(`${p}mlp.gate.e_score_correction_bias`, 'F32', [experts], bias));
    }
    return list;
  };

  const groups: TensorGroup[] = [
    { kind: 'embed', tensors: [placeholder(rng, 'model.embed_tokens.weight', dtype, [vocab, hidden])] },
  ];
  for (let i = 0; i < numLayers; i++) {
    groups.push({
      kind: 'layer',
      tensors: layerTensors(i, opts.input[i] as Float32Array, opts.post[i] as Float32Array),
    });
  }
  if (opts.mtp) {
    const m = opts.mtp;
    const p = `model.layers.${numLayers}.`;
    groups.push({
      kind: 'layer',
      tensors: [
        ...layerTensors(numLayers, m.input, m.post),
        tensor(`${p}enorm.weight`, dtype, [hidden], m.enorm),
        tensor(`${p}hnorm.weight`, dtype, [hidden], m.hnorm),
        placeholder(rng, `${p}eh_proj.weight`, dtype, [hidden, cols]),
        tensor(`${p}shared_head.norm.weight`, dtype, [hidden], m.sharedHeadNorm),
      ],
    });
  }
  const finalNorm = opts.finalNorm ?? new Float32Array(hidden).fill(1);
  groups.push({
    kind: 'tail',
    tensors: [
      tensor('model.norm.weight', dtype, [hidden], finalNorm),
      placeholder(rng, 'lm_head.weight', dtype, [vocab, hidden]),
    ],
  });

  const modelType = opts.modelType ?? 'llama';
  const architecture = opts.architecture ?? 'LlamaForCausalLM';
  const config: Record<string, unknown> = {
    architectures: [architecture],
    model_type: modelType,
    hidden_size: hidden,
    num_hidden_layers: numLayers,
    num_attention_heads: Math.max(1, Math.round(hidden / 128)),
    rms_norm_eps: 1e-5,
    vocab_size: vocab,
    torch_dtype: TORCH_DTYPE[dtype],
    ...(opts.mtp ? { num_nextn_predict_layers: 1 } : {}),
    ...(opts.routerBias ? { n_routed_experts: experts } : {}),
    ...opts.config,
  };
  const description =
    opts.description ?? `Synthetic ${modelType} model with ${numLayers} layers, hidden size ${hidden}.`;
  const files = shardGroups(groups, opts);
  const details = [
    `model_type \`${modelType}\`, architecture \`${architecture}\`, hidden size ${hidden}, ${numLayers} decoder layers${opts.mtp ? ` + MTP layer ${numLayers}` : ''}`,
    `storage dtype ${dtype}${opts.routerBias ? ' (router biases F32)' : ''}, ${Object.keys(files).filter((f) => f.endsWith('.safetensors')).length} safetensors file(s)`,
    ...(opts.readmeDetails ?? []),
  ];
  files['README.md'] = syntheticReadme(opts.repo, description, details, opts.baseModel);
  return {
    repo: opts.repo,
    files,
    config,
    description,
    cardData: {
      license: 'mit',
      tags: ['synthetic', 'normscope-demo'],
      ...(opts.baseModel ? { base_model: opts.baseModel } : {}),
    },
    gated: opts.gated ?? false,
    private: opts.private ?? false,
    norms: lazyNorms(opts.input, opts.post, dtype),
    hiddenSize: hidden,
    numLayers,
    dtype,
  };
}
