import { describe, expect, it } from 'vitest';
import { layerOf } from './deepTensors';

describe('layerOf', () => {
  it('reads Hugging Face and GGUF layer numbers after any prefix, and nothing else', () => {
    expect(layerOf('model.layers.12.self_attn.q_proj.weight')).toBe(12);
    expect(layerOf('language_model.model.layers.3.mlp.up_proj.weight')).toBe(3);
    expect(layerOf('transformer.h.3.attn.c_attn.weight')).toBe(3);
    expect(layerOf('blk.7.ffn_down.weight')).toBe(7);
    expect(layerOf('model.embed_tokens.weight')).toBeNull();
    expect(layerOf('lm_head.weight')).toBeNull();
    expect(layerOf('model.norm.weight')).toBeNull();
  });
});
