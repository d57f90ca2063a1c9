// The seam between the deep check's reading (hub, sources, workers: which bytes, from where) and its
// statistics (this folder: which rows are worth reading, how two models' hidden dimensions
// correspond, and what a test with an honest null says). Everything here is pure and structured-clone
// safe, so it crosses the worker boundary unchanged. The types live in types.ts (so the modules that
// implement them need not import this file); the functions live in their own modules.
export type {
  AncestryResult,
  AncestryVerdict,
  DeepPlan,
  DeepPlanInput,
  DeepReadRequest,
  DeepRole,
  DeepTensorInfo,
  DeepTestResult,
  HiddenMap,
  MatrixEvidence,
  NormBasis,
  RowBlock,
  SharedTokens,
  StdProfile,
  Vocabulary,
} from './types';

/** Token strings both vocabularies share, spelled the same once normalised, paired by id. */
export { sharedTokens } from './tokens';

/** Which rows to read. Called once before any alignment; `alignment` given = the rows that depend on it. */
export { planDeepReads, DEFAULT_DEEP_BUDGET_BYTES } from './plan';

/**
 * Aligns the hidden dimensions, compares the matrices through that correspondence and tests them.
 * Second call: pass the first call's evidence as `options.previous` (its alignment and unit test are
 * reused) and the first call's blocks together with the second call's.
 */
export { runDeepCheck } from './check';

/** One verdict from every basis: norms per role and the matrices. */
export { combineAncestry } from './combine';

/** Recipe statistics (never evidence), the exact null's law, and the constructed models used to calibrate. */
export { stdProfile, RECIPE_CAVEAT } from './recipe';
export { DEEP_NULL_DESCRIPTION } from './check';
