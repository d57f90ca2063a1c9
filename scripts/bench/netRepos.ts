// Repos of realistic size for the network benchmark: a GLM-4.5-Air-sized checkpoint (47 shards,
// 46 layers + the MTP block, 128 experts × 3 matrices per layer, so headers and the index are
// MoE-sized) and a Solar-Open-100B-sized one (embeddings alone, then 48 layers over 41 shards).
// The expert matrices are tiny placeholders: the headers and the index are real size, the files
// are not (a few hundred KB each instead of ~5 GB).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GLM_AIR_LAYER_STATS, SOLAR_OPEN_LAYER_STATS, generateModelGammas } from '../demo/gammaProfiles.ts';
import { buildLlamaLikeRepo, writeStaticRepo } from '../demo/staticHub.ts';

export const BENCH_HUB_ROOT = '.reports/bench-hub';
export const GLM_SIZED = 'normscope-bench/glm-4.5-air-sized';
export const SOLAR_SIZED = 'normscope-bench/solar-open-sized';
const VERSION = '1';
const EXPERTS = 128;

function stats(from: typeof GLM_AIR_LAYER_STATS, layers: number) {
  const pad = <T>(xs: readonly T[]) => Array.from({ length: layers }, (_, i) => xs[Math.min(i, xs.length - 1)] as T);
  return { input: pad(from.input), post: pad(from.post) };
}

/** Writes both repos once (a marker file keeps later runs from rewriting them). */
export function writeBenchRepos(root = BENCH_HUB_ROOT): void {
  const marker = join(root, '.bench-version');
  if (existsSync(marker) && readFileSync(marker, 'utf8') === VERSION) return;
  const hidden = 4096;
  const glm = generateModelGammas({ seed: 'bench/glm', hidden, stats: stats(GLM_AIR_LAYER_STATS, 47) });
  writeStaticRepo(
    root,
    buildLlamaLikeRepo({
      repo: GLM_SIZED,
      modelType: 'glm4_moe',
      architecture: 'Glm4MoeForCausalLM',
      input: glm.input.slice(0, 46),
      post: glm.post.slice(0, 46),
      mtp: {
        input: glm.input[46]!,
        post: glm.post[46]!,
        enorm: glm.extra('enorm', { mean: 0.92, std: 0.14 }),
        hnorm: glm.extra('hnorm', { mean: 0.71, std: 0.19 }),
        sharedHeadNorm: glm.extra('shared_head.norm', { mean: 1.93, std: 0.22 }),
      },
      routerBias: true,
      experts: EXPERTS,
      expertMatrices: EXPERTS,
      layersPerShard: 1,
      seed: 'bench/glm/tensors',
      config: { first_k_dense_replace: 1, use_qk_norm: false },
    }),
  );
  const solar = generateModelGammas({ seed: 'bench/solar', hidden, stats: stats(SOLAR_OPEN_LAYER_STATS, 48) });
  writeStaticRepo(
    root,
    buildLlamaLikeRepo({
      repo: SOLAR_SIZED,
      modelType: 'solar_open',
      architecture: 'SolarOpenForCausalLM',
      input: solar.input,
      post: solar.post,
      routerBias: true,
      experts: EXPERTS,
      expertMatrices: EXPERTS,
      embeddingsOwnShard: true,
      // 41 layer shards for 48 layers: 42 files with the embeddings
      layerShardSizes: [...Array(7).fill(2), ...Array(34).fill(1)],
      seed: 'bench/solar/tensors',
    }),
  );
  writeFileSync(marker, VERSION);
}
