// The four synthetic demo repos of `npm run demo-data`, built in memory (see scripts/make-demo.ts).

import {
  GLM_AIR_LAYER_STATS,
  SOLAR_OPEN_LAYER_STATS,
  extrapolateStats,
  fineTuneGammas,
  generateModelGammas,
  phiLikeStats,
  type RoleStats,
} from './gammaProfiles.ts';
import { hashSeed } from './random.ts';
import { buildLlamaLikeRepo, roundTo, type BuiltRepo } from './staticHub.ts';

export const DEMO_ORG = 'normscope-demo';

const roles = (stats: RoleStats, layers: number): RoleStats => ({
  input: extrapolateStats(stats.input, layers),
  post: extrapolateStats(stats.post, layers),
});

export interface DemoRepo {
  built: BuiltRepo;
  index: { id: string; description: string; role: 'base' | 'derived' | 'independent'; baseModel?: string };
}

/** The four demo repos, built in memory. */
export function buildDemoRepos(seed: number): DemoRepo[] {
  const hidden = 4096;
  const out: DemoRepo[] = [];

  // GLM-like base: 46 decoder layers + the MTP block as layer 46, stats of GLM-4.5-Air.
  const glmLayers = 46;
  const glm = generateModelGammas({
    seed: hashSeed(seed, 'glm-like'),
    hidden,
    stats: roles(GLM_AIR_LAYER_STATS, glmLayers + 1),
  });
  const glmMtp = {
    input: glm.input[glmLayers] as Float32Array,
    post: glm.post[glmLayers] as Float32Array,
    enorm: glm.extra('enorm', { mean: 0.92, std: 0.14 }),
    hnorm: glm.extra('hnorm', { mean: 0.71, std: 0.19 }),
    sharedHeadNorm: glm.extra('shared_head.norm', { mean: 1.93, std: 0.22 }),
  };
  const glmFinal = glm.extra('final', { mean: 1.84, std: 0.26 });
  const glmCommon = {
    modelType: 'glm4_moe',
    architecture: 'Glm4MoeForCausalLM',
    dtype: 'BF16' as const,
    routerBias: true,
    layersPerShard: 6,
    config: { first_k_dense_replace: 1, use_qk_norm: false, partial_rotary_factor: 0.5 },
  };
  const glmBase = buildLlamaLikeRepo({
    ...glmCommon,
    repo: `${DEMO_ORG}/glm-like-base`,
    seed: hashSeed(seed, 'glm-like-base/tensors'),
    input: glm.input.slice(0, glmLayers),
    post: glm.post.slice(0, glmLayers),
    mtp: glmMtp,
    finalNorm: glmFinal,
    description:
      'Synthetic GLM-4.5-Air-like base model (glm4_moe, 46 layers + MTP, BF16, 8 shards) with GLM per-layer γ statistics.',
    readmeDetails: ['γ per layer follows the per-layer mean/std of GLM-4.5-Air (solar-glm-layer-stats.csv, column B)'],
  });
  out.push({ built: glmBase, index: { id: glmBase.repo, description: glmBase.description ?? '', role: 'base' } });

  // GLM-like SFT child: bf16(γ_base + δ); the share of changed stored values falls with depth.
  const bf16 = (v: Float32Array) => roundTo(v, 'BF16');
  const childSeed = hashSeed(seed, 'glm-like-sft');
  const [childMtpInput, childMtpPost, childEnorm, childHnorm, childShared, childFinal] = fineTuneGammas(
    [glmMtp.input, glmMtp.post, glmMtp.enorm, glmMtp.hnorm, glmMtp.sharedHeadNorm, glmFinal].map(bf16),
    { seed: `${childSeed}/extra`, round: bf16, sigma: () => 1e-3 },
  ) as Float32Array[];
  const glmSft = buildLlamaLikeRepo({
    ...glmCommon,
    repo: `${DEMO_ORG}/glm-like-sft`,
    // a fine-tune keeps its parent's projection matrices (the row-sampling evidence finds them)
    seed: hashSeed(seed, 'glm-like-base/tensors'),
    input: fineTuneGammas(glmBase.norms.input, { seed: `${childSeed}/input`, round: bf16 }),
    post: fineTuneGammas(glmBase.norms.post, { seed: `${childSeed}/post`, round: bf16 }),
    mtp: {
      input: childMtpInput as Float32Array,
      post: childMtpPost as Float32Array,
      enorm: childEnorm as Float32Array,
      hnorm: childHnorm as Float32Array,
      sharedHeadNorm: childShared as Float32Array,
    },
    finalNorm: childFinal as Float32Array,
    config: { ...glmCommon.config, _name_or_path: `${DEMO_ORG}/glm-like-base` },
    baseModel: `${DEMO_ORG}/glm-like-base`,
    description:
      'Synthetic fine-tune of glm-like-base (γ + N(0, ~1e-3) update, stored in BF16): a derived pair, Pearson ≈ 1.',
    readmeDetails: [
      'every γ got a small update (σ ≈ 1e-3, a bit larger in early layers); because the BF16 grid is coarser where γ is larger, the share of changed stored values falls with depth',
    ],
  });
  out.push({
    built: glmSft,
    index: { id: glmSft.repo, description: glmSft.description ?? '', role: 'derived', baseModel: glmBase.repo },
  });

  out.push(solarLikeRepo(seed, hidden), phiLikeRepo(seed));
  return out;
}

function solarLikeRepo(seed: number, hidden: number): DemoRepo {
  // Solar-like: independent, 48 layers (stats of Solar-Open; layers 46–47 extrapolated).
  const solarLayers = 48;
  const solar = generateModelGammas({
    seed: hashSeed(seed, 'solar-like'),
    hidden,
    stats: roles(SOLAR_OPEN_LAYER_STATS, solarLayers),
  });
  const solarRepo = buildLlamaLikeRepo({
    repo: `${DEMO_ORG}/solar-like`,
    seed: hashSeed(seed, 'solar-like/tensors'),
    modelType: 'solar_open',
    architecture: 'SolarOpenForCausalLM',
    dtype: 'BF16',
    routerBias: true,
    layersPerShard: 7,
    embeddingsOwnShard: true,
    input: solar.input,
    post: solar.post,
    finalNorm: solar.extra('final', { mean: 0.93, std: 0.09 }),
    config: { first_k_dense_replace: 0, partial_rotary_factor: 1.0 },
    description:
      'Synthetic Solar-Open-like model (solar_open, 48 layers, BF16, 8 shards), independent of the GLM-like pair.',
    readmeDetails: [
      'γ per layer follows the per-layer mean/std of Solar-Open-100B (column A; layers 46–47 extrapolated)',
      'embeddings alone in shard 1, so layer 0 is in shard 2 as in the real checkpoint',
    ],
  });
  return {
    built: solarRepo,
    index: { id: solarRepo.repo, description: solarRepo.description ?? '', role: 'independent' },
  };
}

function phiLikeRepo(seed: number): DemoRepo {
  // Phi-like: other hidden size, single F16 file.
  const phiLayers = 32;
  const phiHidden = 3072;
  const phi = generateModelGammas({
    seed: hashSeed(seed, 'phi-like'),
    hidden: phiHidden,
    stats: phiLikeStats(phiLayers, hashSeed(seed, 'phi-stats')),
  });
  const phiRepo = buildLlamaLikeRepo({
    repo: `${DEMO_ORG}/phi-like-3072`,
    seed: hashSeed(seed, 'phi-like/tensors'),
    modelType: 'phi3',
    architecture: 'Phi3ForCausalLM',
    dtype: 'F16',
    input: phi.input,
    post: phi.post,
    finalNorm: phi.extra('final', { mean: 1.1, std: 0.12 }),
    description: 'Synthetic Phi-3-like model (phi3, 32 layers, hidden 3072, one F16 model.safetensors): another width.',
  });
  return {
    built: phiRepo,
    index: { id: phiRepo.repo, description: phiRepo.description ?? '', role: 'independent' },
  };
}
