// Families for the relatives search (issue #15): a Hub the search has never seen, with roots of
// several widths, carded and uncarded derivatives, unrelated families of the same width and a couple
// of damaged repos. Every model lists as `text-generation`; the roots carry no `base_model:` tag.
//   768 wide: kin-alpha/alpha-7b (foundation) and eight unrelated foundations fam-1 … fam-8
//             kin-alpha/alpha-7b-chat   carded fine-tune of alpha (true)
//             quiet-lab/quiet-7b        UNCARDED fine-tune of alpha (a root in the Hub's eyes)
//             liar-co/liar-7b           permuted channels of an alpha fine-tune; its card names fam-2 (a lie)
//             mask-co/masked-7b         alpha's derivative with every norm set to 1.0, no card (a root)
//             broken-co/badconfig-7b    config.json is not JSON (a root)
//             broken-co/cut-7b          its weights file is cut short (a root)
//   512 wide: small-co/small-1b (root), small-co/small-1b-it (carded), tiny-co/tiny-1b (unrelated root)
//  1024 wide: wide-co/wide-3b (root)
import { lineageTags, type LineageRelation } from '../../src/core/lineage/declared.ts';
import { roundTo, buildLlamaLikeRepo, writeStaticRepo, type StaticRepoSpec, type WrittenRepo } from './staticHub.ts';
import { fineTuneGammas, generateModelGammas, GLM_AIR_LAYER_STATS } from './gammaProfiles.ts';

export const REL_LAYERS = 16;
export const REL_WIDTH = 768;
export const ALPHA = 'kin-alpha/alpha-7b';
export const ALPHA_CHAT = 'kin-alpha/alpha-7b-chat';
export const QUIET = 'quiet-lab/quiet-7b';
export const LIAR = 'liar-co/liar-7b';
/** the unrelated base the liar's card names */
export const LIAR_CLAIM = 'fam-2/base-2';
export const MASKED = 'mask-co/masked-7b';
export const SMALL = 'small-co/small-1b';
export const SMALL_IT = 'small-co/small-1b-it';
export const FAMILIES = Array.from({ length: 8 }, (_, k) => `fam-${k + 1}/base-${k + 1}`);
export const DAMAGED = ['broken-co/badconfig-7b', 'broken-co/cut-7b'];
/** who is truly whose relative (for the specs): every pair not listed here is unrelated */
export const TRUE_RELATIVES: [string, string][] = [
  [ALPHA, ALPHA_CHAT],
  [ALPHA, QUIET],
  [ALPHA, LIAR],
  [ALPHA, MASKED],
  [ALPHA_CHAT, QUIET],
  [ALPHA_CHAT, LIAR],
  [ALPHA_CHAT, MASKED],
  [QUIET, LIAR],
  [QUIET, MASKED],
  [LIAR, MASKED],
  [SMALL, SMALL_IT],
];
export const areRelatives = (a: string, b: string) =>
  TRUE_RELATIVES.some(([x, y]) => (x === a && y === b) || (x === b && y === a));

const bf16 = (v: Float32Array) => roundTo(v, 'BF16');
const stats = (layers: number) => ({
  input: GLM_AIR_LAYER_STATS.input.slice(0, layers),
  post: GLM_AIR_LAYER_STATS.post.slice(0, layers),
});
type Gammas = { input: Float32Array[]; post: Float32Array[] };

function gammas(seed: string, hidden: number): Gammas {
  const g = generateModelGammas({ seed, hidden, stats: stats(REL_LAYERS) });
  return { input: g.input.map(bf16), post: g.post.map(bf16) };
}

function tune(base: Gammas, seed: string, sigma: number): Gammas {
  const t = (rows: Float32Array[], role: string) =>
    fineTuneGammas(rows, { seed: `${seed}/${role}`, sigma: () => sigma, round: bf16 });
  return { input: t(base.input, 'in'), post: t(base.post, 'post') };
}

function claim(bases: string[], relation: LineageRelation | null, modelType: string) {
  return {
    cardData: {
      license: 'apache-2.0',
      ...(bases.length ? { base_model: bases.length === 1 ? bases[0] : bases } : {}),
      ...(relation ? { base_model_relation: relation } : {}),
    },
    tags: ['transformers', 'safetensors', modelType, 'text-generation', 'synthetic', ...lineageTags(bases, relation)],
  };
}

function repo(
  id: string,
  g: Gammas,
  downloads: number,
  opts: { bases?: string[]; relation?: LineageRelation | null; modelType?: string } = {},
): StaticRepoSpec {
  const modelType = opts.modelType ?? 'llama';
  const built = buildLlamaLikeRepo({
    repo: id,
    input: g.input,
    post: g.post,
    matrixCols: 8,
    seed: id,
    modelType,
    architecture: modelType === 'mistral' ? 'MistralForCausalLM' : 'LlamaForCausalLM',
    description: `Synthetic relatives fixture ${id}.`,
  });
  return { ...built, ...claim(opts.bases ?? [], opts.relation ?? null, modelType), downloads };
}

export function relativesRepoSpecs(): StaticRepoSpec[] {
  const alpha = gammas('rel-alpha', REL_WIDTH);
  const perm = Array.from({ length: REL_WIDTH }, (_, i) => (i * 389 + 17) % REL_WIDTH); // 389 is prime to 768
  const permute = (rows: Float32Array[]) => rows.map((r) => Float32Array.from(perm, (j) => r[j]!));
  const liar = tune(alpha, 'rel-liar', 1e-2);
  const ones = Array.from({ length: REL_LAYERS }, () => new Float32Array(REL_WIDTH).fill(1));
  const small = gammas('rel-small', 512);
  const specs: StaticRepoSpec[] = [
    repo(ALPHA, alpha, 900_000),
    repo(ALPHA_CHAT, tune(alpha, 'rel-chat', 3e-3), 300_000, { bases: [ALPHA], relation: 'finetune' }),
    repo(QUIET, tune(alpha, 'rel-quiet', 2e-2), 4_000),
    repo(LIAR, { input: permute(liar.input), post: permute(liar.post) }, 6_000, {
      bases: [LIAR_CLAIM],
      relation: 'finetune',
    }),
    repo(MASKED, { input: ones, post: ones }, 3_000),
    ...FAMILIES.map((id, k) =>
      repo(id, gammas(`rel-fam-${k}`, REL_WIDTH), 800_000 - k * 70_000, {
        modelType: k % 3 === 2 ? 'mistral' : 'llama',
      }),
    ),
    repo(SMALL, small, 500_000),
    repo(SMALL_IT, tune(small, 'rel-small-it', 5e-3), 100_000, { bases: [SMALL], relation: 'finetune' }),
    repo('tiny-co/tiny-1b', gammas('rel-tiny', 512), 450_000),
    repo('wide-co/wide-3b', gammas('rel-wide', 1024), 700_000),
  ];
  const bad = repo(DAMAGED[0]!, gammas('rel-bad', REL_WIDTH), 2_000);
  specs.push({ ...bad, files: { ...bad.files, 'config.json': '{"hidden_size": 768, "model_type": ' } });
  const cut = repo(DAMAGED[1]!, gammas('rel-cut', REL_WIDTH), 1_000);
  const weights = Object.keys(cut.files).find((f) => f.endsWith('.safetensors'))!;
  const bytes = cut.files[weights] as Uint8Array;
  specs.push({ ...cut, files: { ...cut.files, [weights]: bytes.slice(0, Math.floor(bytes.length / 3)) } });
  return specs;
}

export function writeRelativesRepos(root: string): WrittenRepo[] {
  return relativesRepoSpecs().map((spec) => writeStaticRepo(root, spec));
}
