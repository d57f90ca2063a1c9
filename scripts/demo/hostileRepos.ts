// Hostile and damaged repos (issue 16), each meant to be opened beside the two healthy models here:
// lying header lengths, random and deeply nested JSON, offsets past the end, wrong spans, unknown
// dtypes, absurd shapes, GGUF counts and sizes of 2^40–2^62, unknown value types and versions, GGUF
// offsets past the end, index files pointing outside the repo, a truncated file; and awkward but
// legal ones (NaN and Inf in three layers, a missing layer, constant norms, an absurd config).
import { realisticGguf } from '../../src/core/gguf/testing/realisticGguf.ts';
import { writeGguf } from '../../src/core/gguf/testing/writeGguf.ts';
import { buildLlamaLikeRepo, writeStaticRepo, type BuiltRepo, type StaticRepoSpec } from './staticHub.ts';
import { generateModelGammas, GLM_AIR_LAYER_STATS } from './gammaProfiles.ts';

export const HOSTILE_ORG = 'normscope-hostile';
export const HEALTHY_BASE = `${HOSTILE_ORG}/healthy-base`;
export const HEALTHY_TUNE = `${HOSTILE_ORG}/healthy-tune`;
const HIDDEN = 256;
const LAYERS = 8;

export interface HostileCase {
  repo: string;
  /** the file at fault, as the repo names it */
  file: string;
  /** 'damaged': the model must fail, naming file and fault; 'awkward': it loads and says what is odd */
  kind: 'damaged' | 'awkward';
  /** words the message (damaged) or a warning (awkward) must contain */
  says: RegExp;
}

const stats = {
  input: GLM_AIR_LAYER_STATS.input.slice(0, LAYERS),
  post: GLM_AIR_LAYER_STATS.post.slice(0, LAYERS),
};

function healthy(
  repo: string,
  seed: string,
  tweak?: (v: Float32Array, l: number, role: 0 | 1) => Float32Array,
  dtype?: 'F32',
) {
  const g = generateModelGammas({ seed, hidden: HIDDEN, stats });
  const t = (vs: Float32Array[], role: 0 | 1) => vs.map((v, l) => (tweak ? tweak(Float32Array.from(v), l, role) : v));
  return buildLlamaLikeRepo({
    repo,
    input: t(g.input, 0),
    post: t(g.post, 1),
    seed: repo,
    ...(dtype ? { dtype } : {}),
  });
}

/** Header JSON of a single-file safetensors, and its data section. */
function splitSafetensors(file: Uint8Array): { header: Record<string, unknown>; data: Uint8Array } {
  const n = Number(new DataView(file.buffer, file.byteOffset).getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder().decode(file.subarray(8, 8 + n))) as Record<string, unknown>;
  return { header, data: file.subarray(8 + n) };
}

function joinSafetensors(headerText: string | Uint8Array, data: Uint8Array, claimedLength?: bigint): Uint8Array {
  const h = typeof headerText === 'string' ? new TextEncoder().encode(headerText) : headerText;
  const out = new Uint8Array(8 + h.length + data.length);
  new DataView(out.buffer).setBigUint64(0, claimedLength ?? BigInt(h.length), true);
  out.set(h, 8);
  out.set(data, 8 + h.length);
  return out;
}

type TensorEntry = { dtype: string; shape: number[]; data_offsets: [number, number] };

/** The same file with its first norm tensor's header entry changed. */
function withNormEntry(file: Uint8Array, change: (e: TensorEntry, dataLength: number) => void): Uint8Array {
  const { header, data } = splitSafetensors(file);
  const name = Object.keys(header).find((k) => k.endsWith('layers.2.input_layernorm.weight'))!;
  change(header[name] as TensorEntry, data.length);
  return joinSafetensors(JSON.stringify(header), data);
}

function damagedSafetensors(name: string, make: (file: Uint8Array) => Uint8Array): StaticRepoSpec {
  const base = healthy(`${HOSTILE_ORG}/${name}`, `hostile-${name}`);
  return {
    ...base,
    files: { ...base.files, 'model.safetensors': make(base.files['model.safetensors'] as Uint8Array) },
  };
}

/** A GGUF repo whose one file is patched by `patch` (offsets found by searching the written bytes). */
function damagedGguf(name: string, patch: (bytes: Uint8Array, view: DataView) => void): StaticRepoSpec {
  const written = writeGguf(realisticGguf({ arch: 'llama', layers: LAYERS, hidden: HIDDEN, vocab: 512 }).file);
  const bytes = written.bytes.slice();
  patch(bytes, new DataView(bytes.buffer));
  return {
    repo: `${HOSTILE_ORG}/${name}`,
    files: { 'model-F32.gguf': bytes, 'README.md': `---\ntags:\n- gguf\n---\n# ${name} (hostile)\n` },
    config: {},
    noConfig: true,
    tags: ['gguf', 'synthetic'],
  } as StaticRepoSpec;
}

function find(bytes: Uint8Array, text: string): number {
  const needle = new TextEncoder().encode(text);
  outer: for (let i = 0; i + needle.length <= bytes.length; i++) {
    for (let j = 0; j < needle.length; j++) if (bytes[i + j] !== needle[j]) continue outer;
    return i;
  }
  throw new Error(`${text} not found`);
}

function indexRepo(name: string, shardName: string): StaticRepoSpec {
  const base = healthy(`${HOSTILE_ORG}/${name}`, `hostile-${name}`);
  const file = base.files['model.safetensors'] as Uint8Array;
  const { header } = splitSafetensors(file);
  const weightMap = Object.fromEntries(
    Object.keys(header)
      .filter((k) => k !== '__metadata__')
      .map((k) => [k, shardName]),
  );
  // the file list names an incomplete shard set (1 of 2), so the loader must read the index (the
  // index is skipped when the files alone name every shard) and meet its hostile shard names
  return {
    ...base,
    files: {
      'model-00001-of-00002.safetensors': file,
      'model.safetensors.index.json': JSON.stringify({ metadata: { total_size: 1 }, weight_map: weightMap }),
    },
  };
}

/** The same file without the tensors whose names match: the buffer is re-packed, with no holes. */
function withoutTensors(file: Uint8Array, drop: RegExp): Uint8Array {
  const { header, data } = splitSafetensors(file);
  const kept = Object.entries(header)
    .filter(([k]) => k !== '__metadata__' && !drop.test(k))
    .map(([k, v]) => [k, v as TensorEntry] as const)
    .sort((x, y) => x[1].data_offsets[0] - y[1].data_offsets[0]);
  const parts: Uint8Array[] = [];
  const out: Record<string, unknown> = { __metadata__: header.__metadata__ };
  let at = 0;
  for (const [k, e] of kept) {
    const bytes = data.subarray(e.data_offsets[0], e.data_offsets[1]);
    out[k] = { ...e, data_offsets: [at, at + bytes.length] };
    parts.push(bytes);
    at += bytes.length;
  }
  const packed = new Uint8Array(at);
  let p = 0;
  for (const b of parts) {
    packed.set(b, p);
    p += b.length;
  }
  return joinSafetensors(JSON.stringify(out), packed);
}

function nested(depth: number): Uint8Array {
  return new TextEncoder().encode(`${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`);
}

function randomBytes(n: number, seed: number): Uint8Array {
  let a = seed;
  return Uint8Array.from({ length: n }, () => {
    a = (a * 1103515245 + 12345) >>> 0;
    return a >>> 24;
  });
}

type AddCase = (spec: StaticRepoSpec, c: Omit<HostileCase, 'repo'>) => void;

/** Safetensors files with a damaged header, offsets, dtype, shape or length. */
function addDamagedSafetensors(add: AddCase): void {
  const st = 'model.safetensors';
  const damaged = 'damaged' as const;
  add(
    damagedSafetensors('header-2p50', (f) => joinSafetensors(f.subarray(8, 64), f.subarray(64), 2n ** 50n)),
    {
      file: st,
      kind: damaged,
      says: /safetensors/,
    },
  );
  add(
    damagedSafetensors('header-150mb', (f) => joinSafetensors(f.subarray(8, 64), f.subarray(64), 150_000_000n)),
    {
      file: st,
      kind: damaged,
      says: /safetensors/,
    },
  );
  add(
    damagedSafetensors('header-random', (f) => joinSafetensors(randomBytes(4000, 7), f.subarray(4000))),
    {
      file: st,
      kind: damaged,
      says: /safetensors/,
    },
  );
  add(
    damagedSafetensors('header-deep', (f) => joinSafetensors(nested(200_000), f.subarray(64))),
    {
      file: st,
      kind: damaged,
      says: /safetensors/,
    },
  );
  add(
    damagedSafetensors('offsets-past-end', (f) =>
      withNormEntry(f, (e, n) => {
        e.data_offsets = [n + 1_000_000, n + 1_000_000 + 2 * HIDDEN];
      }),
    ),
    { file: st, kind: damaged, says: /safetensors/ },
  );
  add(
    damagedSafetensors('wrong-span', (f) =>
      withNormEntry(f, (e) => {
        e.data_offsets = [e.data_offsets[0], e.data_offsets[0] + 3];
      }),
    ),
    { file: st, kind: damaged, says: /safetensors/ },
  );
  add(
    damagedSafetensors('unknown-dtype', (f) =>
      withNormEntry(f, (e) => {
        e.dtype = 'Q9_Z';
      }),
    ),
    { file: st, kind: damaged, says: /Q9_Z/ },
  );
  add(
    damagedSafetensors('absurd-shape', (f) =>
      withNormEntry(f, (e) => {
        e.shape = [2 ** 53];
      }),
    ),
    { file: st, kind: damaged, says: /safetensors/ },
  );
  add(
    damagedSafetensors('truncated', (f) => f.subarray(0, f.length - Math.floor(f.length / 3))),
    { file: st, kind: damaged, says: /safetensors|truncated/ },
  );
}

/** GGUF files with damaged counts, keys, types, version or offsets. */
function addDamagedGguf(add: AddCase): void {
  const damaged = 'damaged' as const;
  const gg = 'model-F32.gguf';
  add(
    damagedGguf('gguf-count-2p62', (_, v) => v.setBigUint64(8, 2n ** 62n, true)),
    { file: gg, kind: damaged, says: /GGUF/ },
  );
  add(
    damagedGguf('gguf-key-2p40', (_, v) => v.setBigUint64(24, 2n ** 40n, true)),
    { file: gg, kind: damaged, says: /GGUF/ },
  );
  add(
    damagedGguf('gguf-array-2p50', (b, v) => {
      const key = find(b, 'tokenizer.ggml.tokens');
      v.setBigUint64(key + 'tokenizer.ggml.tokens'.length + 8, 2n ** 50n, true);
    }),
    { file: gg, kind: damaged, says: /GGUF/ },
  );
  add(
    damagedGguf('gguf-type-77', (_, v) => {
      const keyLength = Number(v.getBigUint64(24, true));
      v.setUint32(32 + keyLength, 77, true);
    }),
    { file: gg, kind: damaged, says: /GGUF/ },
  );
  add(
    damagedGguf('gguf-version-99', (_, v) => v.setUint32(4, 99, true)),
    { file: gg, kind: damaged, says: /GGUF/ },
  );
  add(
    damagedGguf('gguf-offsets-past-end', (b, v) => {
      const name = 'blk.2.attn_norm.weight';
      const at = find(b, name) + name.length;
      const dims = v.getUint32(at, true);
      v.setBigUint64(at + 4 + 8 * dims + 4, 2n ** 40n, true);
    }),
    { file: gg, kind: damaged, says: /GGUF/ },
  );
}

export function hostileRepoSpecs(): { specs: StaticRepoSpec[]; cases: HostileCase[]; healthy: BuiltRepo[] } {
  const specs: StaticRepoSpec[] = [];
  const cases: HostileCase[] = [];
  const add: AddCase = (spec, c) => {
    specs.push(spec);
    cases.push({ repo: spec.repo, ...c });
  };
  const st = 'model.safetensors';
  const damaged = 'damaged' as const;
  addDamagedSafetensors(add);
  addDamagedGguf(add);
  add(indexRepo('index-traversal', '../../../../other-org/other-model/resolve/main/model-00001-of-00002.safetensors'), {
    file: 'model.safetensors.index.json',
    kind: damaged,
    says: /outside the repo|"\.\." segment/,
  });
  add(indexRepo('index-absolute', '/etc/passwd'), {
    file: 'model.safetensors.index.json',
    kind: damaged,
    says: /absolute|outside the repo/,
  });
  // awkward but legal
  const awkward = 'awkward' as const;
  const nanLayers = new Set([1, 4, 6]);
  specs.push(
    healthy(
      `${HOSTILE_ORG}/nan-layers`,
      'hostile-nan',
      (v, l, role) => {
        if (role === 0 && nanLayers.has(l)) [v[0], v[7], v[9]] = [NaN, Infinity, -Infinity];
        return v;
      },
      'F32',
    ),
  );
  cases.push({
    repo: `${HOSTILE_ORG}/nan-layers`,
    file: st,
    kind: awkward,
    says: /layer 1 input: 3 non-finite values/,
  });
  const gap = healthy(`${HOSTILE_ORG}/missing-layer`, 'hostile-gap');
  const dropped = withoutTensors(
    gap.files['model.safetensors'] as Uint8Array,
    /layers\.3\.(input|post_attention)_layernorm/,
  );
  specs.push({ ...gap, files: { ...gap.files, 'model.safetensors': dropped } });
  cases.push({ repo: gap.repo, file: st, kind: awkward, says: /Layer 3 keeps its index/ });
  specs.push(healthy(`${HOSTILE_ORG}/constant`, 'hostile-constant', (v) => v.fill(1)));
  cases.push({ repo: `${HOSTILE_ORG}/constant`, file: st, kind: awkward, says: /constant .*no information/ });
  const absurd = healthy(`${HOSTILE_ORG}/absurd-config`, 'hostile-absurd');
  specs.push({ ...absurd, config: { ...absurd.config, num_hidden_layers: 1e9, hidden_size: -1 } });
  cases.push({ repo: absurd.repo, file: 'config.json', kind: awkward, says: /config\.json says 1000000000 layers/ });

  const healthyBase = healthy(HEALTHY_BASE, 'healthy');
  const healthyTune = healthy(HEALTHY_TUNE, 'healthy', (v, l) => {
    for (let i = l; i < v.length; i += 17) v[i] = v[i]! + 0.004;
    return v;
  });
  return { specs: [healthyBase, healthyTune, ...specs], cases, healthy: [healthyBase, healthyTune] };
}

export function writeHostileRepos(root: string): HostileCase[] {
  const { specs, cases } = hostileRepoSpecs();
  for (const spec of specs) writeStaticRepo(root, spec);
  return cases;
}
