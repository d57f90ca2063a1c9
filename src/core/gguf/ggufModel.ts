// What a GGUF's metadata says about the model, and the config.json-like object the rest of the core
// (norms.ts helpers) understands. GGUF repos usually ship no config.json, so this is the only source.
//
// block_count vs NextN/MTP: llama.cpp's converters write
//   ARCH.block_count = num_hidden_layers + num_nextn_predict_layers
// (glm4moe, deepseek v3.2, bailingmoe2/3, exaone-moe, …) and ARCH.nextn_predict_layers beside it;
// the runtime builds only the first block_count − nextn blocks (glm4-moe.cpp: "skip final NextN
// layer"). The MTP blocks are ordinary `blk.N.*` tensors plus `blk.N.nextn.*`. Older DeepSeek V3
// conversions dropped the MTP layer entirely (block_count = num_hidden_layers, no nextn key).
import type { ModelConfig } from '../norms.ts';
import { isSkippedArray, type GgufValue } from './ggufValues.ts';

export interface GgufSplitInfo {
  /** 0-based part index (split.no) */
  index: number;
  count: number;
  /** tensors in all parts together */
  tensorsTotal: number | null;
}

export interface GgufModelSummary {
  architecture: string | null;
  name: string | null;
  /** general.file_type (llama_ftype), e.g. 15 */
  fileType: number | null;
  /** "Q4_K_M" for general.file_type 15; null when absent or unknown */
  fileTypeName: string | null;
  /** ARCH.block_count: decoder blocks plus NextN/MTP blocks */
  blockCount: number | null;
  /** ARCH.nextn_predict_layers; 0 when absent */
  nextnLayers: number;
  /** blockCount − nextnLayers: blocks at or beyond this index are extras */
  decoderLayers: number | null;
  embeddingLength: number | null;
  /** a number, or one per layer for architectures that vary it (OpenELM, DeciLM) */
  headCount: number | number[] | null;
  headCountKv: number | number[] | null;
  keyLength: number | null;
  split: GgufSplitInfo | null;
}

// llama_ftype (constants.py LlamaFileType): the file's nominal quantization.
const FILE_TYPES: Readonly<Record<number, string>> = {
  0: 'F32',
  1: 'F16',
  2: 'Q4_0',
  3: 'Q4_1',
  7: 'Q8_0',
  8: 'Q5_0',
  9: 'Q5_1',
  10: 'Q2_K',
  11: 'Q3_K_S',
  12: 'Q3_K_M',
  13: 'Q3_K_L',
  14: 'Q4_K_S',
  15: 'Q4_K_M',
  16: 'Q5_K_S',
  17: 'Q5_K_M',
  18: 'Q6_K',
  19: 'IQ2_XXS',
  20: 'IQ2_XS',
  21: 'Q2_K_S',
  22: 'IQ3_XS',
  23: 'IQ3_XXS',
  24: 'IQ1_S',
  25: 'IQ4_NL',
  26: 'IQ3_S',
  27: 'IQ3_M',
  28: 'IQ2_S',
  29: 'IQ2_M',
  30: 'IQ4_XS',
  31: 'IQ1_M',
  32: 'BF16',
  36: 'TQ1_0',
  37: 'TQ2_0',
  38: 'MXFP4_MOE',
  39: 'NVFP4',
  40: 'Q1_0',
};

type Metadata = ReadonlyMap<string, GgufValue>;

function count(v: GgufValue | undefined): number | null {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : null;
}

function text(v: GgufValue | undefined): string | null {
  return typeof v === 'string' ? v : null;
}

function countOrPerLayer(v: GgufValue | undefined): number | number[] | null {
  if (Array.isArray(v) && !isSkippedArray(v) && v.every((x) => count(x) !== null)) return v as number[];
  return count(v);
}

export function ggufModelSummary(metadata: Metadata): GgufModelSummary {
  const architecture = text(metadata.get('general.architecture'));
  const key = (suffix: string) => metadata.get(`${architecture ?? ''}.${suffix}`);
  const fileType = count(metadata.get('general.file_type'));
  const blockCount = count(key('block_count'));
  const nextnLayers = count(key('nextn_predict_layers')) ?? 0;
  const splitCount = count(metadata.get('split.count'));
  return {
    architecture,
    name: text(metadata.get('general.name')),
    fileType,
    fileTypeName: fileType === null ? null : (FILE_TYPES[fileType] ?? null),
    blockCount,
    nextnLayers,
    decoderLayers: blockCount === null ? null : Math.max(0, blockCount - nextnLayers),
    embeddingLength: count(key('embedding_length')),
    headCount: countOrPerLayer(key('attention.head_count')),
    headCountKv: countOrPerLayer(key('attention.head_count_kv')),
    keyLength: count(key('attention.key_length')),
    split:
      splitCount === null
        ? null
        : {
            index: count(metadata.get('split.no')) ?? 0,
            count: splitCount,
            tensorsTotal: count(metadata.get('split.tensors.count')),
          },
  };
}

/**
 * A config.json-shaped object for the norms.ts helpers. `model_type` is the GGUF architecture name
 * as is (llama.cpp's names differ from transformers' for some families: glm4moe vs glm4_moe,
 * deepseek2 for DeepSeek V2 and V3, command-r vs cohere). GGUF norms already hold the applied γ
 * (the converter adds the 1 of Gemma-style norms), so no zero-centred correction applies.
 */
export function ggufModelConfig(summary: GgufModelSummary): ModelConfig {
  const config: ModelConfig = {
    model_type: summary.architecture ?? '',
    gguf_architecture: summary.architecture,
  };
  if (summary.decoderLayers !== null) config.num_hidden_layers = summary.decoderLayers;
  if (summary.embeddingLength !== null) config.hidden_size = summary.embeddingLength;
  if (typeof summary.headCount === 'number') config.num_attention_heads = summary.headCount;
  if (typeof summary.headCountKv === 'number') config.num_key_value_heads = summary.headCountKv;
  if (summary.keyLength !== null) config.head_dim = summary.keyLength;
  if (summary.nextnLayers > 0) config.num_nextn_predict_layers = summary.nextnLayers;
  if (summary.name !== null) config.gguf_name = summary.name;
  return config;
}
