import { describe, expect, it } from 'vitest';
import { hiddenSizeFromConfig, modelTypeFromConfig, numLayersFromConfig } from '../norms.ts';
import { parseGgufBytes } from './ggufHeader.ts';
import { ggufModelConfig, ggufModelSummary } from './ggufModel.ts';
import { realisticGguf, splitGguf } from './testing/realisticGguf.ts';
import { writeGguf } from './testing/writeGguf.ts';

async function summaryOf(bytes: Uint8Array) {
  return ggufModelSummary((await parseGgufBytes(bytes)).header.metadata);
}

describe('ggufModelSummary', () => {
  it('reads the facts of a qwen3 file and turns them into a config the norms helpers understand', async () => {
    const summary = await summaryOf(
      writeGguf(realisticGguf({ arch: 'qwen3', layers: 3, hidden: 512, name: 'Qwen3 0.6B' }).file).bytes,
    );
    expect(summary).toMatchObject({
      architecture: 'qwen3',
      name: 'Qwen3 0.6B',
      fileType: 15,
      fileTypeName: 'Q4_K_M',
      blockCount: 3,
      nextnLayers: 0,
      decoderLayers: 3,
      embeddingLength: 512,
      headCount: 4,
      headCountKv: 2,
      keyLength: 128,
      split: null,
    });
    const config = ggufModelConfig(summary);
    expect(modelTypeFromConfig(config)).toBe('qwen3');
    expect(numLayersFromConfig(config)).toBe(3);
    expect(hiddenSizeFromConfig(config)).toBe(512);
    expect(config.gguf_architecture).toBe('qwen3');
  });

  it('counts NextN/MTP blocks inside block_count and leaves them out of the decoder layers', async () => {
    const summary = await summaryOf(writeGguf(realisticGguf({ arch: 'glm4moe', layers: 4, nextn: 1 }).file).bytes);
    expect(summary).toMatchObject({ blockCount: 5, nextnLayers: 1, decoderLayers: 4 });
    expect(ggufModelConfig(summary)).toMatchObject({ num_hidden_layers: 4, num_nextn_predict_layers: 1 });
  });

  it('reads split metadata; later parts carry no model facts', async () => {
    const parts = splitGguf(realisticGguf({ arch: 'llama', layers: 2 }).file, 2).map((p) => writeGguf(p).bytes);
    const first = await summaryOf(parts[0]!);
    const second = await summaryOf(parts[1]!);
    expect(first.split).toEqual({ index: 0, count: 2, tensorsTotal: expect.any(Number) });
    expect(first.architecture).toBe('llama');
    expect(second.split?.index).toBe(1);
    expect(second.architecture).toBeNull();
    expect(ggufModelConfig(second).model_type).toBe('');
  });

  it('keeps per-layer head counts as arrays', () => {
    const metadata = new Map<string, unknown>([
      ['general.architecture', 'openelm'],
      ['openelm.attention.head_count', [12, 12, 16]],
      ['openelm.attention.head_count_kv', [3, 3, 4]],
    ]);
    const summary = ggufModelSummary(metadata as never);
    expect(summary.headCount).toEqual([12, 12, 16]);
    expect(ggufModelConfig(summary).num_attention_heads).toBeUndefined();
  });
});
