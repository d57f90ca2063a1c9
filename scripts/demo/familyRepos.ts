// Writes every family fixture of src/core/testdata/families.ts as a real safetensors repo in the
// static Hub layout (normscope-families/<id>), with realistic γ: RMSNorm γ positive and drifting
// with depth, LayerNorm γ near 1, and γ − shift stored where the family applies w + shift
// (Gemma's 1 + w). Siblings: llama-finetune and gemma3-finetune (same γ + small noise).
import { discoverNorms } from '../../src/core/norms.ts';
import { serializeSafetensors, type SerializableTensor } from '../../src/core/safetensors.ts';
import { FAMILIES, type FamilySpec } from '../../src/core/testdata/families.ts';
import type { NormDtype } from '../../src/core/types.ts';
import { ggufRepoFiles } from './ggufFromSafetensors.ts';
import { createRng, type Rng } from './random.ts';
import {
  encodeValues,
  placeholder,
  shardedFiles,
  writeStaticRepo,
  type StaticRepoSpec,
  type WrittenRepo,
} from './staticHub.ts';

export const FAMILY_ORG = 'normscope-families';
/** fixture id of the parent → fine-tune sibling repo name */
export const FINE_TUNES: Readonly<Record<string, string>> = { llama: 'llama-finetune', gemma3: 'gemma3-finetune' };
/** above this many tensors a repo is sharded in two, with an index */
const SHARD_ABOVE = 60;

/** Applied γ of one norm vector: a model-wide channel profile, depth drift and noise. */
function appliedGamma(
  profile: Float64Array,
  rng: Rng,
  layer: number,
  layers: number,
  layerNorm: boolean,
): Float32Array {
  const out = new Float32Array(profile.length);
  const depth = layers > 1 ? layer / (layers - 1) : 0;
  const mean = layerNorm ? 0.95 + 0.1 * depth : 0.3 + 0.9 * depth;
  const std = layerNorm ? 0.05 : 0.06 + 0.08 * depth;
  for (let i = 0; i < out.length; i++) {
    const z = 0.6 * (profile[i] as number) + 0.8 * rng.normal();
    out[i] = Math.max(layerNorm ? 0.2 : 0.02, mean + std * z);
  }
  return out;
}

export interface FamilyRepoOptions {
  /** id of the repo (default normscope-families/<spec.id>) */
  repo?: string;
  /** seed of the γ values: a fine-tune uses its parent's */
  gammaSeed?: string;
  /** std of the fine-tune update added to the applied γ (0: none) */
  fineTuneSigma?: number;
  baseModel?: string;
}

/** The repo (files + config) of one family fixture. */
export function buildFamilyRepo(spec: FamilySpec, opts: FamilyRepoOptions = {}): StaticRepoSpec {
  const repo = opts.repo ?? `${FAMILY_ORG}/${spec.id}`;
  const names = new Map(spec.tensors.map((t) => [t.name, 'model.safetensors']));
  const found = discoverNorms(names, spec.config);
  const norms = new Map(found.tensors.map((t) => [t.name, t]));
  const seed = opts.gammaSeed ?? spec.id;
  const profileRng = createRng(`${seed}/profile`);
  const width = Math.max(...spec.tensors.map((t) => t.shape.reduce((a, b) => a * b, 1)));
  const profile = new Float64Array(width).map(() => profileRng.normal());
  const rng = createRng(`${repo}/placeholders`);
  const numLayers = found.layers.length;
  const tensors: SerializableTensor[] = spec.tensors.map((t) => {
    const ref = norms.get(t.name);
    if (!ref) return placeholder(rng, t.name, t.dtype, t.shape);
    const n = t.shape.reduce((a, b) => a * b, 1);
    const layerNorm = spec.tensors.some(
      (x) => x.name === t.name.replace(/\.(weight|gamma)$/, '.bias') || x.name === t.name.replace(/\.gamma$/, '.beta'),
    );
    const gamma = appliedGamma(profile.subarray(0, n), createRng(`${seed}/${t.name}`), ref.layer, numLayers, layerNorm);
    if (opts.fineTuneSigma) {
      const ft = createRng(`${repo}/finetune/${t.name}`);
      for (let i = 0; i < n; i++) gamma[i] = (gamma[i] as number) + opts.fineTuneSigma * ft.normal();
    }
    const shift = found.shifts.get(t.name) ?? 0;
    const stored = shift ? gamma.map((g) => g - shift) : gamma;
    return { name: t.name, dtype: t.dtype, shape: t.shape, data: encodeValues(stored, t.dtype as NormDtype) };
  });

  const files: Record<string, Uint8Array | string> = {};
  const metadata = { format: 'pt' };
  if (tensors.length <= SHARD_ABOVE) {
    files['model.safetensors'] = serializeSafetensors(tensors, metadata);
  } else {
    const half = Math.ceil(tensors.length / 2);
    Object.assign(files, shardedFiles([tensors.slice(0, half), tensors.slice(half)], metadata));
  }
  const description = `Synthetic ${String(spec.config.model_type)} checkpoint (${found.family} naming): real tensor names and shapes, small sizes.`;
  files['README.md'] = [
    '---',
    'license: mit',
    ...(opts.baseModel ? [`base_model: ${opts.baseModel}`] : []),
    'tags:',
    '- synthetic',
    '- normscope-families',
    '---',
    '',
    `# ${repo} (synthetic)`,
    '',
    description,
    '',
    `Norm roles: ${found.roles.join(', ')}.${found.zeroCentred ? ' Some norms are stored as γ − shift.' : ''}`,
    '',
  ].join('\n');
  return {
    repo,
    files,
    config: spec.config,
    description,
    cardData: {
      license: 'mit',
      tags: ['synthetic', 'normscope-families'],
      ...(opts.baseModel ? { base_model: opts.baseModel } : {}),
    },
  };
}

/** Every family repo plus the fine-tune siblings. */
export function familyRepoSpecs(): StaticRepoSpec[] {
  const out: StaticRepoSpec[] = [];
  for (const spec of FAMILIES) {
    out.push(buildFamilyRepo(spec));
    const child = FINE_TUNES[spec.id];
    if (child) {
      out.push(
        buildFamilyRepo(spec, {
          repo: `${FAMILY_ORG}/${child}`,
          gammaSeed: spec.id,
          fineTuneSigma: 2e-3,
          baseModel: `${FAMILY_ORG}/${spec.id}`,
        }),
      );
    }
  }
  return out;
}

export function writeFamilyRepos(root: string): WrittenRepo[] {
  return familyRepoSpecs().map((spec) => writeStaticRepo(root, spec));
}

/** Families written as `<id>-GGUF` repos too (the ones with a clear llama.cpp mapping). */
export const GGUF_FAMILIES: readonly string[] = [
  'llama',
  'qwen3',
  'gemma3',
  'deepseek-v3',
  'olmo2',
  'glm4-moe',
  'phi3',
  'falcon-40b',
  'command-r-plus',
];

/**
 * `normscope-families/<id>-GGUF`: what a quantizer publishes beside a model — Q4_K_M and Q8_0 files
 * (same F32 norms, differently quantized weights), an mmproj projector for gemma3 and a split BF16
 * set for llama; no config.json, the `gguf` tag and a base_model link to the safetensors repo.
 */
export function ggufFamilyRepoSpecs(): StaticRepoSpec[] {
  return GGUF_FAMILIES.map((id) => {
    const spec = FAMILIES.find((f) => f.id === id);
    if (!spec) throw new Error(`no family ${id}`);
    const source = buildFamilyRepo(spec);
    const { files } = ggufRepoFiles(spec, source.files, { splitBf16: id === 'llama' });
    const repo = `${FAMILY_ORG}/${id}-GGUF`;
    const base = `${FAMILY_ORG}/${id}`;
    const readme = [
      '---',
      `base_model: ${base}`,
      'base_model_relation: quantized',
      'tags:',
      '- gguf',
      '- synthetic',
      '---',
      '',
      `# ${repo} (synthetic)`,
      '',
      `GGUF conversions of ${base}: ${Object.keys(files).join(', ')}.`,
      '',
    ].join('\n');
    return {
      repo,
      files: { ...files, 'README.md': readme },
      config: {},
      noConfig: true,
      description: `GGUF files of ${base}, converted the llama.cpp way.`,
      tags: ['gguf', 'synthetic', 'normscope-families', 'text-generation'],
      cardData: { base_model: base, base_model_relation: 'quantized', tags: ['gguf', 'synthetic'] },
    };
  });
}

/** An architecture no table entry knows, with norm-like tensor names: the app must say so plainly. */
export function mysteryArchRepoSpec(): StaticRepoSpec {
  const hidden = 128;
  const rng = createRng('mystery-arch');
  const tensors: SerializableTensor[] = [placeholder(rng, 'backbone.tok.weight', 'BF16', [256, hidden])];
  for (let i = 0; i < 3; i++) {
    tensors.push(
      {
        name: `trunk.cells.${i}.pre_mix_rmsnorm.scale`,
        dtype: 'BF16',
        shape: [hidden],
        data: encodeValues(new Float32Array(hidden).fill(1), 'BF16'),
      },
      {
        name: `trunk.cells.${i}.channel_norm.scale`,
        dtype: 'BF16',
        shape: [hidden],
        data: encodeValues(new Float32Array(hidden).fill(1), 'BF16'),
      },
      placeholder(rng, `trunk.cells.${i}.mix.kernel`, 'BF16', [hidden, hidden]),
    );
  }
  const config = {
    architectures: ['MysteryForCausalLM'],
    model_type: 'mystery-arch',
    hidden_size: hidden,
    num_hidden_layers: 3,
  };
  return {
    repo: `${FAMILY_ORG}/mystery-arch`,
    files: { 'model.safetensors': serializeSafetensors(tensors, { format: 'pt' }) },
    config,
    description: 'An architecture NormScope does not know (model_type mystery-arch), with norm-like tensors.',
    cardData: { license: 'mit', tags: ['synthetic', 'normscope-families'] },
  };
}

export function writeGgufFamilyRepos(root: string): WrittenRepo[] {
  return [...ggufFamilyRepoSpecs(), mysteryArchRepoSpec()].map((spec) => writeStaticRepo(root, spec));
}
