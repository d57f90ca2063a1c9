// ggml tensor storage types: block elements and bytes per block, from llama.cpp's
// gguf-py/gguf/constants.py (GGMLQuantizationType, GGML_QUANT_SIZES). Needed only to size tensors;
// a type missing here leaves the tensor's size unknown, which matters only if we must read it.

export interface GgmlType {
  id: number;
  name: string;
  /** elements per block (1 for plain types) */
  blockElements: number;
  /** bytes per block */
  blockBytes: number;
}

const QK_K = 256;

// [id, name, blockElements, blockBytes]; ids 4, 5 (Q4_2, Q4_3) and 31–33, 36–38 were removed upstream.
const TABLE: readonly (readonly [number, string, number, number])[] = [
  [0, 'F32', 1, 4],
  [1, 'F16', 1, 2],
  [2, 'Q4_0', 32, 2 + 16],
  [3, 'Q4_1', 32, 2 + 2 + 16],
  [6, 'Q5_0', 32, 2 + 4 + 16],
  [7, 'Q5_1', 32, 2 + 2 + 4 + 16],
  [8, 'Q8_0', 32, 2 + 32],
  [9, 'Q8_1', 32, 4 + 4 + 32],
  [10, 'Q2_K', QK_K, 2 + 2 + QK_K / 16 + QK_K / 4],
  [11, 'Q3_K', QK_K, 2 + QK_K / 4 + QK_K / 8 + 12],
  [12, 'Q4_K', QK_K, 2 + 2 + QK_K / 2 + 12],
  [13, 'Q5_K', QK_K, 2 + 2 + QK_K / 2 + QK_K / 8 + 12],
  [14, 'Q6_K', QK_K, 2 + QK_K / 2 + QK_K / 4 + QK_K / 16],
  [15, 'Q8_K', QK_K, 4 + QK_K + QK_K / 8],
  [16, 'IQ2_XXS', QK_K, 2 + QK_K / 4],
  [17, 'IQ2_XS', QK_K, 2 + QK_K / 4 + QK_K / 32],
  [18, 'IQ3_XXS', QK_K, 2 + QK_K / 4 + QK_K / 8],
  [19, 'IQ1_S', QK_K, 2 + QK_K / 8 + QK_K / 16],
  [20, 'IQ4_NL', 32, 2 + 16],
  [21, 'IQ3_S', QK_K, 2 + QK_K / 4 + QK_K / 8 + QK_K / 32 + 4],
  [22, 'IQ2_S', QK_K, 2 + QK_K / 4 + QK_K / 16],
  [23, 'IQ4_XS', QK_K, 2 + 2 + QK_K / 2 + QK_K / 64],
  [24, 'I8', 1, 1],
  [25, 'I16', 1, 2],
  [26, 'I32', 1, 4],
  [27, 'I64', 1, 8],
  [28, 'F64', 1, 8],
  [29, 'IQ1_M', QK_K, QK_K / 8 + QK_K / 16 + QK_K / 32],
  [30, 'BF16', 1, 2],
  [34, 'TQ1_0', QK_K, 2 + 4 * 13],
  [35, 'TQ2_0', QK_K, 2 + 64],
  [39, 'MXFP4', 32, 1 + 16],
  [40, 'NVFP4', 64, 4 + 32],
  [41, 'Q1_0', 128, 2 + 16],
];

const BY_ID = new Map<number, GgmlType>(
  TABLE.map(([id, name, blockElements, blockBytes]) => [id, { id, name, blockElements, blockBytes }]),
);

/** The ggml type with this id, or undefined for ids we do not know. */
export function ggmlType(id: number): GgmlType | undefined {
  return BY_ID.get(id);
}

/** "Q4_K", or "type 99" for an unknown id (for messages). */
export function ggmlTypeName(id: number): string {
  return BY_ID.get(id)?.name ?? `type ${id}`;
}

/**
 * Bytes a tensor of `elements` values takes in ggml type `id`; null when the type is unknown or the
 * row length is not a whole number of blocks (ggml requires ne[0] to be a multiple of the block).
 */
export function ggmlTensorBytes(id: number, elements: number, rowLength: number): number | null {
  const type = BY_ID.get(id);
  if (!type) return null;
  if (rowLength % type.blockElements !== 0) return null;
  const bytes = (elements / type.blockElements) * type.blockBytes;
  return Number.isSafeInteger(bytes) ? bytes : null;
}
