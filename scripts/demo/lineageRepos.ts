// A family with true and false claims, for the lineage view (issue #10): a base, its children as
// the Hub lists them (filter=base_model:…), and one derivative whose card declares nothing.
//   base-1b         the base (most downloads)
//   base-1b-chat    fine-tune, true (card: base_model string + relation)
//   base-1b-code    fine-tune, true (card: one-element list, relation only in the tags)
//   base-1b-GGUF    quantization, GGUF conversion of the base (Q8_0, Q4_K_M)
//   base-1b-merge   merge of base and chat
//   fresh-1b        FALSE claim: card says fine-tune of the base, γ are unrelated (othercorp)
//   base-1b-gated   fine-tune behind a manual gate: its load fails, the scan goes on
//   base-1b-distill claims the base at hidden 512: nothing to compare
//   scratch-1b      UNDECLARED: γ derived from the base, card says trained from scratch (stealth-lab)
import type { FamilySpec } from '../../src/core/testdata/families.ts';
import { lineageTags, type LineageRelation } from '../../src/core/lineage/declared.ts';
import { roundTo, buildLlamaLikeRepo, writeStaticRepo, type StaticRepoSpec, type WrittenRepo } from './staticHub.ts';
import { fineTuneGammas, generateModelGammas, GLM_AIR_LAYER_STATS, type ModelGammas } from './gammaProfiles.ts';
import { ggufRepoFiles } from './ggufFromSafetensors.ts';

export const LINEAGE_ORG = 'normscope-lineage';
export const LINEAGE_BASE = `${LINEAGE_ORG}/base-1b`;
export const LINEAGE_HIDDEN = 1024;
export const LINEAGE_LAYERS = 24;

/** What each fixture really is, for the specs: the claim and the truth. */
export const LINEAGE_TRUTH = {
  [`${LINEAGE_ORG}/base-1b-chat`]: { claims: 'finetune', truth: 'confirmed' },
  [`${LINEAGE_ORG}/base-1b-code`]: { claims: 'finetune', truth: 'confirmed' },
  [`${LINEAGE_ORG}/base-1b-GGUF`]: { claims: 'quantized', truth: 'confirmed' },
  [`${LINEAGE_ORG}/base-1b-merge`]: { claims: 'merge', truth: 'confirmed' },
  'othercorp/fresh-1b': { claims: 'finetune', truth: 'contradicted' },
  [`${LINEAGE_ORG}/base-1b-gated`]: { claims: 'finetune', truth: 'error' },
  [`${LINEAGE_ORG}/base-1b-distill`]: { claims: 'finetune', truth: 'not-comparable' },
} as const;
export const UNDECLARED_CHILD = 'stealth-lab/scratch-1b';

const bf16 = (v: Float32Array) => roundTo(v, 'BF16');
const stats = (layers: number) => ({
  input: GLM_AIR_LAYER_STATS.input.slice(0, layers),
  post: GLM_AIR_LAYER_STATS.post.slice(0, layers),
});

function card(bases: string[] | string | null, relation: LineageRelation | null, extra: Record<string, unknown> = {}) {
  const list = [bases ?? []].flat();
  return {
    cardData: {
      license: 'apache-2.0',
      tags: ['synthetic', 'normscope-lineage'],
      ...(bases !== null ? { base_model: bases } : {}),
      ...(relation ? { base_model_relation: relation } : {}),
      ...extra,
    },
    tags: ['transformers', 'safetensors', 'llama', 'text-generation', 'synthetic', ...lineageTags(list, relation)],
  };
}

function llama(
  repo: string,
  g: { input: Float32Array[]; post: Float32Array[] },
  claim: ReturnType<typeof card>,
  downloads: number,
  more: Partial<StaticRepoSpec> = {},
): StaticRepoSpec {
  const built = buildLlamaLikeRepo({
    repo,
    input: g.input,
    post: g.post,
    matrixCols: 32,
    seed: repo,
    description: `Synthetic lineage fixture ${repo}.`,
  });
  return { ...built, ...claim, downloads, ...more };
}

export function lineageRepoSpecs(): StaticRepoSpec[] {
  const base: ModelGammas = generateModelGammas({
    seed: 'lineage-base',
    hidden: LINEAGE_HIDDEN,
    stats: stats(LINEAGE_LAYERS),
  });
  const baseRounded = { input: base.input.map(bf16), post: base.post.map(bf16) };
  const tune = (seed: string, scale: number) => ({
    input: fineTuneGammas(base.input, {
      seed: `${seed}/in`,
      sigma: (l) => scale * (1 + Math.exp(-l / 5)),
      round: bf16,
    }),
    post: fineTuneGammas(base.post, {
      seed: `${seed}/post`,
      sigma: (l) => scale * (1 + Math.exp(-l / 5)),
      round: bf16,
    }),
  });
  const chat = tune('chat', 3e-3);
  const code = tune('code', 1.5e-2);
  const merge = {
    input: chat.input.map((c, l) => bf16(c.map((x, i) => (x + base.input[l]![i]!) / 2))),
    post: chat.post.map((c, l) => bf16(c.map((x, i) => (x + base.post[l]![i]!) / 2))),
  };
  const fresh = generateModelGammas({ seed: 'othercorp-fresh', hidden: LINEAGE_HIDDEN, stats: stats(LINEAGE_LAYERS) });
  const narrow = generateModelGammas({ seed: 'lineage-distill', hidden: 512, stats: stats(LINEAGE_LAYERS) });
  const scratch = tune('stealth', 4e-2);

  const baseSpec = llama(LINEAGE_BASE, baseRounded, card(null, null), 5000);
  // GGUF: what a quantizer publishes beside the base (the family converter takes the llama mapping)
  const ggufSource = {
    id: 'llama',
    config: baseSpec.config,
    tensors: [],
    expect: { entry: 'llama', roles: ['input', 'post'], widths: {}, tensorCount: 0 },
  } as unknown as FamilySpec;
  const { files: ggufFiles } = ggufRepoFiles(ggufSource, baseSpec.files);
  const gguf: StaticRepoSpec = {
    repo: `${LINEAGE_BASE}-GGUF`,
    files: ggufFiles,
    config: {},
    noConfig: true,
    description: `GGUF files of ${LINEAGE_BASE}.`,
    ...card(LINEAGE_BASE, 'quantized'),
    tags: ['gguf', 'synthetic', 'text-generation', ...lineageTags([LINEAGE_BASE], 'quantized')],
    downloads: 2500,
  };
  return [
    baseSpec,
    llama(`${LINEAGE_BASE}-chat`, chat, card(LINEAGE_BASE, 'finetune'), 3000),
    // relation only in the Hub's tags, base_model as a one-element list
    {
      ...llama(`${LINEAGE_BASE}-code`, code, card([LINEAGE_BASE], 'finetune'), 1200),
      cardData: { license: 'apache-2.0', base_model: [LINEAGE_BASE] },
    },
    gguf,
    llama(`${LINEAGE_BASE}-merge`, merge, card([LINEAGE_BASE, `${LINEAGE_BASE}-chat`], 'merge'), 400),
    llama('othercorp/fresh-1b', fresh, card(LINEAGE_BASE, 'finetune'), 800),
    llama(`${LINEAGE_BASE}-gated`, chat, card(LINEAGE_BASE, 'finetune'), 300, { gated: 'manual' }),
    llama(`${LINEAGE_BASE}-distill`, narrow, card(LINEAGE_BASE, 'finetune'), 100),
    llama(UNDECLARED_CHILD, scratch, card(null, null, { description: 'Trained from scratch on 2T tokens.' }), 900),
  ];
}

export function writeLineageRepos(root: string): WrittenRepo[] {
  return lineageRepoSpecs().map((spec) => writeStaticRepo(root, spec));
}
