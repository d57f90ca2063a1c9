// The deep check's shared types (see api.ts, the seam between reading and statistics). Pure data,
// structured-clone safe, so it crosses the worker boundary unchanged.

/** What a 2-D tensor does in a decoder, for the deep check. `embed` = input token embeddings. */
export type DeepRole = 'embed' | 'q' | 'k' | 'v' | 'o' | 'gate' | 'up' | 'down';

/** How model B's hidden dimensions correspond to model A's. */
export type HiddenMap = 'identity' | 'permuted' | 'none';

/** The wording of every ancestry verdict, as the norm verdict uses it. */
export type AncestryVerdict = 'shared-ancestry' | 'no-evidence' | 'inconclusive';

/** A model's vocabulary: the token string of each id, as its tokenizer stores it. */
export interface Vocabulary {
  tokens: string[];
  /** how strings are spelled: byte-level BPE ("Ġthe"), SentencePiece ("▁the"), WordPiece ("##the") */
  kind: 'byte-level-bpe' | 'sentencepiece' | 'wordpiece' | 'unknown';
}

/** Token ids both models have for the same string, paired index by index. */
export interface SharedTokens {
  idsA: Int32Array;
  idsB: Int32Array;
  /** how many strings both vocabularies share in all (the pairs above may be a sample) */
  sharedCount: number;
  sizeA: number;
  sizeB: number;
  /** plain-words notes: disjoint tokenizers, an extended vocabulary (added by 14a; optional) */
  notes?: string[];
}

/** A 2-D tensor of one model that the deep check may read rows of. `shape` is [rows, cols] as stored. */
export interface DeepTensorInfo {
  role: DeepRole;
  /** decoder layer; -1 for the embeddings */
  layer: number;
  name: string;
  shape: [number, number];
  dtype: string;
}

/** Rows to read of one tensor of one model (ids ascending, distinct). */
export interface DeepReadRequest {
  tensor: string;
  rowIds: Int32Array;
}

/** Decoded rows of one tensor (block scales applied), row-major in rowIds order. */
export interface RowBlock extends DeepTensorInfo {
  rowIds: Int32Array;
  values: Float32Array;
}

export interface DeepPlanInput {
  hiddenA: number;
  hiddenB: number;
  tensorsA: DeepTensorInfo[];
  tensorsB: DeepTensorInfo[];
  shared: SharedTokens;
  /** bytes of tensor rows per model at most (the plumbing adds tokenizer and scale bytes to its own count) */
  budgetBytes: number;
  seed: number;
  /** bytes per element of each tensor as stored (0.5 … 4), by name, to keep within the budget */
  bytesPerElement: Record<string, number>;
}

/** What to read of each model; `tensors` names what is read in words, for the cost shown first. */
export interface DeepPlan {
  a: DeepReadRequest[];
  b: DeepReadRequest[];
  rowBytesA: number;
  rowBytesB: number;
  tensors: string[];
}

/** The matrix evidence for one pair of models. */
export interface MatrixEvidence {
  verdict: AncestryVerdict;
  pValue: number;
  /** the test statistic, named in `statisticName` */
  statistic: number;
  statisticName: string;
  /** effect size in [0, 1] or similar, named */
  effect: number;
  effectName: string;
  hiddenMap: HiddenMap;
  /** A dim i ↔ B dim hiddenPermutation[i]; null unless found */
  hiddenPermutation: Int32Array | null;
  /** sign of each matched B dim (+1/−1), alongside hiddenPermutation; null when that is null (added by 14a) */
  hiddenSigns?: Int8Array | null;
  /** how clearly the correspondence was found, in words with numbers */
  hiddenClarity: string;
  /** tensor names compared, both models */
  tensors: string[];
  /** the null hypothesis and how the p-value is computed (exact, or permutation with its resolution) */
  nullDescription: string;
  /** plain-words lines with numbers */
  reasons: string[];
  /** filled in by the reading side: matrix bytes read for the pair, both models together */
  bytesRead: number;
  /** recipe statistics: per-layer std and row-norm profiles compared; never evidence (added by 14a) */
  stdProfile?: StdProfile | null;
  /** which signal decided: the exact unit-matching test, the down-Gram test, or neither (added by 14a) */
  carriedBy?: 'unit-matching' | 'down-gram' | 'none';
  /** the tests behind the verdict, each with its own p-value (added by 14a) */
  tests?: DeepTestResult[];
  /** worker compute for the check, ms (added by 14a) */
  computeMs?: number;
  /** the same, by phase: rows, alignment, unitMatching, downGram, stdProfile (added by 14a) */
  computePhasesMs?: Record<string, number>;
}

/** One test of the deep check (added by 14a). */
export interface DeepTestResult {
  name: 'unit-matching' | 'down-gram';
  /** NaN when not run (say why in `note`) */
  pValue: number;
  statistic: number;
  statisticName: string;
  effect: number;
  effectName: string;
  verdict: AncestryVerdict;
  note: string;
}

/** Recipe statistics of the sampled blocks (added by 14a). Descriptive only, never evidence. */
export interface StdProfile {
  /** labels of the points, e.g. "L3 gate" */
  labels: string[];
  /** std of each sampled block, each role divided by its mean over the sampled layers */
  stdA: number[];
  stdB: number[];
  /** Pearson r of the two std curves (NaN when fewer than 3 points) */
  correlation: number;
  /** mean row-norm per sampled tensor, both models */
  rowNormA: number[];
  rowNormB: number[];
  rowNormCorrelation: number;
  caveat: string;
}

/** One role's norm verdict as a basis of the ancestry verdict. `no-information`: constant or not comparable. */
export interface NormBasis {
  role: string;
  verdict: AncestryVerdict | 'no-information';
  r: number | null;
  pValue: number | null;
  why?: string;
}

/** One ancestry verdict per pair of models, from all the evidence. */
export interface AncestryResult {
  verdict: AncestryVerdict;
  /** which signal carries the verdict */
  carriedBy: 'norms' | 'matrices' | 'both' | 'none';
  /** set when the signals disagree: which, and why the verdict follows the one it follows */
  disagreement: string | null;
  reasons: string[];
}
