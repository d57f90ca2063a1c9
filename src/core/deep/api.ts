// The seam between the deep check's reading (hub, sources, workers: which bytes, from where) and its
// statistics (this folder: which rows are worth reading, how two models' hidden dimensions
// correspond, and what a test with an honest null says). Everything here is pure and structured-clone
// safe, so it crosses the worker boundary unchanged.
//
// Placeholder bodies: the statistics land with the deep-check core; until then every call says so.

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

const notYet = (what: string): never => {
  throw new Error(`deep check: ${what} is not available in this build`);
};

/** Token strings both vocabularies share, spelled the same once normalised, paired by id. */
export function sharedTokens(_a: Vocabulary, _b: Vocabulary): SharedTokens {
  return notYet('shared tokens');
}

/** Which rows to read. Called once before any alignment; `alignment` given = the rows that depend on it. */
export function planDeepReads(_input: DeepPlanInput, _alignment?: MatrixEvidence | null): DeepPlan {
  return notYet('planning');
}

/** Aligns the hidden dimensions, compares the matrices through that correspondence and tests them. */
export function runDeepCheck(
  _blocksA: RowBlock[],
  _blocksB: RowBlock[],
  _shared: SharedTokens,
  _options: { seed: number },
): MatrixEvidence {
  return notYet('the matrix test');
}

/** One verdict from every basis: norms per role and the matrices. */
export function combineAncestry(_norms: NormBasis[], _matrices: MatrixEvidence | null): AncestryResult {
  return notYet('the combined verdict');
}
