// The GGUF seam of the pure core: read a header by ranges, summarise the model, find the norms.
export { GgufFormatError, type GgufProblem } from './ggufError.ts';
export type { ReadRange, ReadStats } from './chunkedCursor.ts';
export {
  readGgufHeader,
  parseGgufBytes,
  DEFAULT_CHUNK_SIZE,
  MAX_GGUF_HEADER_BYTES,
  type GgufHeader,
  type GgufHeaderRead,
  type GgufTensorInfo,
  type ReadGgufHeaderOptions,
} from './ggufHeader.ts';
export {
  isSkippedArray,
  keepShortArrays,
  keepVocabulary,
  MAX_GGUF_VOCAB,
  type GgufValue,
  type GgufSkippedArray,
  type KeepArray,
} from './ggufValues.ts';
export { ggmlType, ggmlTypeName, ggmlTensorBytes, type GgmlType } from './ggmlTypes.ts';
export { ggufModelSummary, ggufModelConfig, type GgufModelSummary, type GgufSplitInfo } from './ggufModel.ts';
export { ggufNormTensors, GGUF_NORM_ROLES, type GgufNormRef, type GgufNormRole } from './ggufNames.ts';
export { ggufNormDtype } from './ggufDtype.ts';
export { planGgufNorms, type GgufPart, type GgufNormPlan, type GgufNormTensor } from './ggufNormPlan.ts';
export {
  chooseGgufOption,
  listGgufOptions,
  isGgufRepo,
  isGgufFile,
  isAuxiliaryGguf,
  quantLabel,
  type GgufChoice,
  type GgufOption,
  type RepoFile,
} from './ggufFiles.ts';
