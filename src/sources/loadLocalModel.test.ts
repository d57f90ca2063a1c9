import { describe, expect, it } from 'vitest';
import { encodeBf16, decodeTensor } from '../core/dtypes';
import { serializeSafetensors } from '../core/safetensors';
import { realisticGguf, splitGguf, writeGguf } from '../core/gguf/testing/realisticGguf';
import { loadOneLocalModel, localFile, syntheticGamma } from './testing/localFile';

const HIDDEN = 64;
const LAYERS = 3;

function llamaFolder(modelType = 'llama', stored = (l: number, r: number) => syntheticGamma(HIDDEN, l, r)): File[] {
  const tensors = [];
  for (let l = 0; l < LAYERS; l++) {
    tensors.push({
      name: `model.layers.${l}.input_layernorm.weight`,
      dtype: 'BF16',
      shape: [HIDDEN],
      data: encodeBf16(stored(l, 0)),
    });
    tensors.push({
      name: `model.layers.${l}.post_attention_layernorm.weight`,
      dtype: 'BF16',
      shape: [HIDDEN],
      data: encodeBf16(stored(l, 1)),
    });
    tensors.push({
      name: `model.layers.${l}.self_attn.q_proj.weight`,
      dtype: 'BF16',
      shape: [HIDDEN, HIDDEN],
      data: new Uint8Array(HIDDEN * HIDDEN * 2),
    });
  }
  tensors.push({
    name: 'model.norm.weight',
    dtype: 'BF16',
    shape: [HIDDEN],
    data: encodeBf16(syntheticGamma(HIDDEN, 9, 9)),
  });
  const config = JSON.stringify({
    model_type: modelType,
    architectures: ['LlamaForCausalLM'],
    hidden_size: HIDDEN,
    num_hidden_layers: LAYERS,
  });
  return [
    localFile(config, 'my-model/config.json'),
    localFile(serializeSafetensors(tensors, { format: 'pt' }), 'my-model/model.safetensors'),
    localFile('# card', 'my-model/README.md'),
  ];
}

describe('loadLocalModel', () => {
  it('reads a safetensors folder by slices: only headers and norm bytes', async () => {
    const files = llamaFolder();
    const m = await loadOneLocalModel(files);
    expect(m).toMatchObject({
      source: 'local',
      format: 'safetensors',
      hub: 'local',
      repo: 'my-model',
      hiddenSize: HIDDEN,
      roles: ['input', 'post'],
      zeroCentred: false,
    });
    expect(m.files).toEqual(['my-model/model.safetensors']);
    expect(m.layers).toHaveLength(LAYERS);
    expect(Array.from(m.layers[2]!.post!)).toEqual(
      Array.from(decodeTensor(encodeBf16(syntheticGamma(HIDDEN, 2, 1)), 'BF16')),
    );
    const weights = files[1]!.size;
    expect(m.transfer.bytes).toBeLessThan(weights / 4); // the q_proj bytes were never read
    expect(m.warnings.join(' ')).toMatch(/README\.md/);
  });

  it('shifts a Gemma-style family to the applied γ = 1 + w', async () => {
    const m = await loadOneLocalModel(
      llamaFolder('gemma3_text', (l, r) => Float32Array.from(syntheticGamma(HIDDEN, l, r), (x) => x - 1)),
    );
    expect(m.zeroCentred).toBe(true);
    const expected = decodeTensor(
      encodeBf16(Float32Array.from(syntheticGamma(HIDDEN, 1, 0), (x) => x - 1)),
      'BF16',
    ).map((x) => Math.fround(1 + x));
    expect(Array.from(m.layers[1]!.input!)).toEqual(Array.from(expected));
  });

  it('reads a GGUF and a split GGUF as one model, norms as F32, MTP blocks as extras', async () => {
    const g = realisticGguf({ arch: 'glm4moe', layers: 4, nextn: 1, hidden: 128 });
    const whole = await loadOneLocalModel([localFile(writeGguf(g.file).bytes, 'glm-Q4_K_M.gguf')]);
    expect(whole).toMatchObject({ format: 'gguf', source: 'local', hiddenSize: 128, files: ['glm-Q4_K_M.gguf'] });
    expect(whole.layers).toHaveLength(4);
    expect(whole.extraLayers.map((l) => l.label)).toEqual(['4 (MTP)']);
    expect(Array.from(whole.layers[3]!.input!)).toEqual(Array.from(g.norms.get('blk.3.attn_norm.weight')!));
    const parts = splitGguf(g.file, 2).map((p, i) =>
      localFile(writeGguf(p).bytes, `glm-BF16-0000${i + 1}-of-00002.gguf`),
    );
    const split = await loadOneLocalModel(parts.reverse());
    expect(split.files).toEqual(['glm-BF16-00001-of-00002.gguf', 'glm-BF16-00002-of-00002.gguf']);
    expect(Array.from(split.layers[3]!.post!)).toEqual(Array.from(whole.layers[3]!.post!));
  });

  it('names the file that is truncated, not a weights file, or has a header over its limit', async () => {
    const [config, weights] = llamaFolder();
    const bytes = new Uint8Array(await weights!.arrayBuffer());
    await expect(
      loadOneLocalModel([config!, localFile(bytes.slice(0, bytes.length - 1000), 'my-model/model.safetensors')]),
    ).rejects.toThrow(/my-model\/model\.safetensors.*(truncated|ends|has only)/);
    await expect(loadOneLocalModel([localFile('hello world, not weights', 'x.safetensors')])).rejects.toThrow(
      /x\.safetensors is not a valid safetensors file/,
    );
    const huge = new Uint8Array(16);
    new DataView(huge.buffer).setBigUint64(0, 200_000_000n, true);
    await expect(loadOneLocalModel([localFile(huge, 'big.safetensors')])).rejects.toThrow(/big\.safetensors.*limit/);
    await expect(loadOneLocalModel([localFile('GGUF nonsense', 'bad.gguf')])).rejects.toThrow(
      /bad\.gguf is not a readable GGUF file/,
    );
    const quantizedNorm = writeGguf({
      kv: [
        ['general.architecture', { kind: 'string', value: 'llama' }],
        ['llama.block_count', { kind: 'u32', value: 1 }],
        ['llama.embedding_length', { kind: 'u32', value: 256 }],
      ],
      tensors: [{ name: 'blk.0.attn_norm.weight', shape: [256], type: 8 }],
    }).bytes;
    await expect(loadOneLocalModel([localFile(quantizedNorm, 'odd-Q8_0.gguf')])).rejects.toThrow(
      /odd-Q8_0\.gguf.*blk\.0\.attn_norm\.weight.*Q8_0.*only F32, F16 and BF16/,
    );
  });
});
