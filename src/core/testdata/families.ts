// Realistic checkpoints of every family in the architecture table, small (4 layers, hidden 256,
// head_dim 64) but with the real tensor names, shapes and dtypes: attention/MLP/MoE weights,
// biases where the family has them, embeddings, final norm, vision towers and projectors of
// multimodal wrappers, MTP blocks, mamba mixer norms. Used by the unit tests (names + config) and
// by scripts/demo/familyRepos.ts (real safetensors repos).
import { FAMILIES_FIRST } from './familiesDecoder.ts';
import { FAMILIES_REST } from './familiesMore.ts';
import type { FamilySpec } from './familyParts.ts';

export { H, HD, L, NH, NKV, type FamilyExpectation, type FamilySpec, type FixtureTensor } from './familyParts.ts';
export { OLMO1 } from './familyBuildersSsm.ts';

export const FAMILIES: readonly FamilySpec[] = [...FAMILIES_FIRST, ...FAMILIES_REST];
