import { describe, expect, it } from 'vitest';
import { parseGgufBytes } from './ggufHeader.ts';
import { ggufModelSummary } from './ggufModel.ts';
import { ggufNormTensors, type GgufNormRef } from './ggufNames.ts';
import { realisticGguf } from './testing/realisticGguf.ts';
import { writeGguf } from './testing/writeGguf.ts';

const summary = (architecture: string, decoderLayers: number | null = null) => ({ architecture, decoderLayers });
const roles = (refs: GgufNormRef[]) => refs.map((r) => `${r.layer}:${r.role}${r.extra ? '*' : ''}`);
const block = (n: number, kinds: string[]) => kinds.map((k) => `blk.${n}.${k}.weight`);

describe('ggufNormTensors', () => {
  it('finds llama norms (input, post) and ignores every decoy', () => {
    const names = [
      'token_embd.weight',
      'token_embd_norm.weight',
      ...block(0, ['attn_norm', 'attn_q', 'attn_k', 'ffn_norm', 'ffn_down']),
      'blk.0.attn_norm.bias',
      'blk.0.attn_sinks.weight',
      'blk.0.ssm_norm.weight',
      'blk.0.exp_probs_b.bias',
      'v.blk.0.attn_norm.weight',
      'v.blk.0.ffn_norm.weight',
      'mm.input_norm.weight',
      'a.blk.0.attn_norm.weight',
      'enc.blk.0.attn_norm.weight',
      'dec.blk.0.ffn_norm.weight',
      'output_norm.weight',
      'output.weight',
    ];
    const refs = ggufNormTensors(names, summary('llama', 1));
    expect(refs).toEqual([
      { name: 'blk.0.attn_norm.weight', layer: 0, role: 'input', extra: false },
      { name: 'blk.0.ffn_norm.weight', layer: 0, role: 'post', extra: false },
    ]);
  });

  it('reads gemma3 (four hidden-wide norms plus q/k) from a realistic file', async () => {
    const { header } = await parseGgufBytes(writeGguf(realisticGguf({ arch: 'gemma3', layers: 2 }).file).bytes);
    const refs = ggufNormTensors(
      header.tensors.map((t) => t.name),
      ggufModelSummary(header.metadata),
    );
    expect(roles(refs)).toEqual([
      '0:input',
      '0:post',
      '0:attn_out',
      '0:ffn_out',
      '0:q',
      '0:k',
      '1:input',
      '1:post',
      '1:attn_out',
      '1:ffn_out',
      '1:q',
      '1:k',
    ]);
  });

  it('labels NextN/MTP blocks as extras, from block_count − nextn or from nextn.* tensors alone', async () => {
    const { header } = await parseGgufBytes(
      writeGguf(realisticGguf({ arch: 'glm4moe', layers: 2, nextn: 1 }).file).bytes,
    );
    const names = header.tensors.map((t) => t.name);
    const refs = ggufNormTensors(names, ggufModelSummary(header.metadata));
    expect(roles(refs)).toEqual([
      '0:input',
      '0:post',
      '0:q',
      '0:k',
      '1:input',
      '1:post',
      '1:q',
      '1:k',
      '2:input*',
      '2:post*',
      '2:q*',
      '2:k*',
    ]);
    expect(refs.some((r) => r.name.includes('nextn'))).toBe(false);
    // a file without the nextn key: the nextn.* tensors alone mark block 2
    expect(roles(ggufNormTensors(names, summary('glm4moe', null))).filter((r) => r.endsWith('*'))).toEqual([
      '2:input*',
      '2:post*',
      '2:q*',
      '2:k*',
    ]);
  });

  it('falcon-40b: attn_norm_2 feeds attention (input), attn_norm the MLP (post); falcon-7b: attn_norm is input', () => {
    const forty = ggufNormTensors(
      [...block(0, ['attn_norm', 'attn_norm_2']), 'blk.0.attn_norm.bias', 'blk.0.attn_norm_2.bias'],
      summary('falcon'),
    );
    expect(forty.map((r) => [r.name, r.role])).toEqual([
      ['blk.0.attn_norm_2.weight', 'input'],
      ['blk.0.attn_norm.weight', 'post'],
    ]);
    expect(roles(ggufNormTensors(block(0, ['attn_norm']), summary('falcon')))).toEqual(['0:input']);
  });

  it('bert-style post-LN norms are attn_out and ffn_out; dbrx uses attn_output_norm before the MoE', () => {
    const bert = ggufNormTensors(
      [...block(0, ['attn_output_norm', 'layer_output_norm']), 'token_embd_norm.weight'],
      summary('bert'),
    );
    expect(roles(bert)).toEqual(['0:attn_out', '0:ffn_out']);
    const grok = ggufNormTensors(
      block(0, ['attn_norm', 'attn_output_norm', 'ffn_norm', 'layer_output_norm']),
      summary('grok'),
    );
    expect(roles(grok)).toEqual(['0:input', '0:post', '0:attn_out', '0:ffn_out']);
    expect(roles(ggufNormTensors(block(0, ['attn_norm', 'attn_output_norm']), summary('dbrx')))).toEqual([
      '0:input',
      '0:post',
    ]);
  });

  it('rwkv: attn_norm_2 is the channel-mix (FFN) norm', () => {
    expect(roles(ggufNormTensors(block(3, ['attn_norm', 'attn_norm_2', 'time_mix_ln']), summary('rwkv6')))).toEqual([
      '3:input',
      '3:post',
    ]);
  });

  it('hybrid and state-space models: the mixer norm is input, ssm_norm is not counted', () => {
    const mamba = ggufNormTensors(block(0, ['attn_norm', 'ssm_norm', 'ssm_in']), summary('mamba2'));
    expect(roles(mamba)).toEqual(['0:input']);
    const nemotronH = ggufNormTensors(
      [...block(0, ['attn_norm', 'ssm_norm']), ...block(1, ['attn_norm']), ...block(2, ['attn_norm', 'ffn_up'])],
      summary('nemotron_h'),
    );
    expect(roles(nemotronH)).toEqual(['0:input', '1:input', '2:input']);
    const jamba = ggufNormTensors(
      block(0, ['attn_norm', 'ffn_norm', 'ssm_dt_norm', 'ssm_b_norm', 'ssm_c_norm']),
      summary('jamba'),
    );
    expect(roles(jamba)).toEqual(['0:input', '0:post']);
  });

  it('deepseek2 MLA norms, and gemma3n / gemma4 extra norms that are not counted', () => {
    const mla = ggufNormTensors(
      block(0, ['attn_norm', 'attn_q_a_norm', 'attn_kv_a_norm', 'ffn_norm']),
      summary('deepseek2'),
    );
    expect(roles(mla)).toEqual(['0:input', '0:post', '0:q_a', '0:kv_a']);
    const gemma3n = ggufNormTensors(
      block(0, [
        'attn_norm',
        'post_attention_norm',
        'ffn_norm',
        'post_ffw_norm',
        'post_norm',
        'laurel_post_norm',
        'altup_router_norm',
      ]),
      summary('gemma3n'),
    );
    expect(roles(gemma3n)).toEqual(['0:input', '0:post', '0:attn_out', '0:ffn_out']);
    const gemma4 = ggufNormTensors(
      block(0, ['attn_norm', 'ffn_norm', 'pre_ffw_norm_2', 'post_ffw_norm', 'post_ffw_norm_1', 'post_ffw_norm_2']),
      summary('gemma4'),
    );
    expect(roles(gemma4)).toEqual(['0:input', '0:post', '0:ffn_out']);
  });
});
