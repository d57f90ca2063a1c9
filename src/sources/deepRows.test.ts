import { describe, expect, it } from 'vitest';
import { discoverDeepTensors } from '../core/deepTensors';
import { encodeBf16, encodeF16 } from '../core/dtypes';
import { decodeRows, encodeQ8_0, f8e4m3ToNumber, numberToF8e4m3 } from '../core/rowDecode';
import { vocabularyFromGgufTokens, vocabularyFromTokenizerJson } from '../core/vocabulary';
import type { CatalogueTensor } from '../core/formats/catalogue';
import type { ByteSource } from './byteSource';
import { consecutiveRuns, readDeepRows } from './deepRows';

const t = (name: string, shape: number[], dtype = 'BF16') => ({ name, shape, dtype });

describe('discoverDeepTensors', () => {
  it('finds llama-style projections and embeddings, skipping norms, experts and extra layers', () => {
    const list = [
      t('model.embed_tokens.weight', [100, 8]),
      t('model.layers.0.input_layernorm.weight', [8]),
      ...['q', 'k', 'v', 'o'].map((r) => t(`model.layers.0.self_attn.${r}_proj.weight`, [8, 8])),
      ...['gate', 'up'].map((r) => t(`model.layers.0.mlp.${r}_proj.weight`, [16, 8])),
      t('model.layers.0.mlp.down_proj.weight', [8, 16]),
      t('model.layers.1.mlp.experts.3.up_proj.weight', [16, 8]),
      t('model.layers.2.self_attn.q_proj.weight', [8, 8]),
      t('lm_head.weight', [100, 8]),
    ];
    const d = discoverDeepTensors(list, 2);
    expect(d.tensors.map((x) => `${x.layer}:${x.role}`)).toEqual([
      '-1:embed',
      '0:q',
      '0:k',
      '0:v',
      '0:o',
      '0:gate',
      '0:up',
      '0:down',
    ]);
    expect(d.tensors[7]!.shape).toEqual([8, 16]);
  });
  it('GGUF names, FP8 scales, MLA fallbacks and fused projections', () => {
    const gg = discoverDeepTensors([t('token_embd.weight', [50, 4]), t('blk.3.ffn_down.weight', [4, 8], 'Q8_0')]);
    expect(gg.tensors.map((x) => `${x.layer}:${x.role}:${x.dtype}`)).toEqual(['-1:embed:BF16', '3:down:Q8_0']);
    const ds = discoverDeepTensors([
      t('model.layers.0.self_attn.q_a_proj.weight', [4, 8], 'F8_E4M3'),
      t('model.layers.0.self_attn.q_a_proj.weight_scale_inv', [1, 1], 'F32'),
      t('model.layers.0.self_attn.kv_a_proj_with_mqa.weight', [4, 8]),
      t('model.layers.1.self_attn.qkv_proj.weight', [12, 8]),
      t('model.layers.1.mlp.gate_up_proj.weight', [12, 8]),
    ]);
    expect(ds.tensors.map((x) => `${x.layer}:${x.role}`)).toEqual(['0:q', '0:k']);
    expect(ds.scales).toEqual({
      'model.layers.0.self_attn.q_a_proj.weight': 'model.layers.0.self_attn.q_a_proj.weight_scale_inv',
    });
    expect(ds.unsupported.join(' ')).toMatch(/qkv_proj.*gate_up_proj|gate_up_proj.*qkv_proj/);
  });
});

describe('vocabularies', () => {
  it('BPE dict with added tokens, Unigram list, WordPiece, GGUF', () => {
    const bpe = vocabularyFromTokenizerJson({
      model: { type: 'BPE', vocab: { a: 0, Ġthe: 2 } },
      pre_tokenizer: { type: 'Sequence', pretokenizers: [{ type: 'ByteLevel' }] },
      added_tokens: [{ id: 3, content: '<|eot|>' }],
    });
    expect(bpe).toEqual({ tokens: ['a', '', 'Ġthe', '<|eot|>'], kind: 'byte-level-bpe' });
    const uni = vocabularyFromTokenizerJson({
      model: {
        type: 'Unigram',
        vocab: [
          ['<unk>', 0],
          ['▁x', -1],
        ],
      },
    });
    expect(uni).toEqual({ tokens: ['<unk>', '▁x'], kind: 'sentencepiece' });
    expect(vocabularyFromTokenizerJson({ model: { type: 'WordPiece', vocab: { '##a': 1, b: 0 } } }).kind).toBe(
      'wordpiece',
    );
    expect(vocabularyFromGgufTokens(['a', 'b'], 'gpt2')).toEqual({ tokens: ['a', 'b'], kind: 'byte-level-bpe' });
    expect(() => vocabularyFromTokenizerJson({ version: '1' })).toThrow(/model/);
  });
});

describe('row decoding', () => {
  it('FP8 E4M3 bit patterns (fn variant) and round trips', () => {
    expect(f8e4m3ToNumber(0x38)).toBe(1); // exp 7, man 0
    expect(f8e4m3ToNumber(0x7e)).toBe(448);
    expect(f8e4m3ToNumber(0x01)).toBe(2 ** -9);
    expect(f8e4m3ToNumber(0xb8)).toBe(-1);
    expect(Number.isNaN(f8e4m3ToNumber(0x7f))).toBe(true);
    for (const x of [0.5, -3, 0.013671875, 240]) expect(f8e4m3ToNumber(numberToF8e4m3(x))).toBe(x);
  });
  it('FP8 rows get the scale of their 128×128 block', () => {
    const cols = 256;
    const bytes = new Uint8Array(2 * cols).fill(0x38); // all 1.0
    const scaleRows = new Map([
      [0, Float32Array.of(2, 3)],
      [1, Float32Array.of(5, 7)],
    ]);
    const v = decodeRows({ bytes, dtype: 'F8_E4M3', rows: 2, cols, rowIds: [5, 130], scaleRows });
    expect([v[0], v[127], v[128], v[cols], v[cols + 200]]).toEqual([2, 2, 3, 5, 7]);
  });
  it('Q8_0 blocks decode to d × q', () => {
    const values = Array.from({ length: 64 }, (_, i) => Math.sin(i) * 3);
    const out = decodeRows({ bytes: encodeQ8_0(values, encodeF16), dtype: 'Q8_0', rows: 1, cols: 64 });
    values.forEach((x, i) => expect(Math.abs(out[i]! - x)).toBeLessThan(3 / 127));
    expect(() => decodeRows({ bytes: new Uint8Array(10), dtype: 'Q4_K', rows: 1, cols: 32 })).toThrow(/not|only/);
  });
});

function memorySource(path: string, bytes: Uint8Array, log: [number, number][]): ByteSource {
  return {
    path,
    reads: 0,
    size: () => bytes.byteLength,
    read: async (s, e) => {
      log.push([s, e]);
      return bytes.slice(s, e);
    },
  };
}

describe('readDeepRows', () => {
  it('reads only the rows asked for, merged, and applies FP8 block scales', async () => {
    const rows = 300;
    const cols = 8;
    const w = Array.from({ length: rows * cols }, (_, i) => (i % 17) - 8);
    const bf = encodeBf16(w);
    const fp8 = Uint8Array.from({ length: rows * cols }, () => 0x38);
    const scale = new Float32Array([2, 4, 8]); // 3 blocks of rows, 1 block of cols
    const file = new Uint8Array(100 + bf.length + fp8.length + 12);
    file.set(bf, 100);
    file.set(fp8, 100 + bf.length);
    file.set(new Uint8Array(scale.buffer), 100 + bf.length + fp8.length);
    const at = (name: string, dtype: string, start: number, shape: number[], size: number): CatalogueTensor => ({
      name,
      dtype,
      shape,
      file: 'm.safetensors',
      start,
      end: start + size,
    });
    const tensors = new Map(
      [
        at('w.weight', 'BF16', 100, [rows, cols], bf.length),
        at('f.weight', 'F8_E4M3', 100 + bf.length, [rows, cols], fp8.length),
        at('f.weight_scale_inv', 'F32', 100 + bf.length + fp8.length, [3, 1], 12),
      ].map((x) => [x.name, x]),
    );
    const log: [number, number][] = [];
    const got = await readDeepRows({
      label: 'test',
      tensors,
      infos: new Map(),
      scales: { 'f.weight': 'f.weight_scale_inv' },
      sources: new Map([['m.safetensors', memorySource('m.safetensors', file, log)]]),
      requests: [
        { tensor: 'w.weight', rowIds: Int32Array.of(3, 4, 5, 250) },
        { tensor: 'f.weight', rowIds: Int32Array.of(0, 260) },
      ],
    });
    expect(Array.from(got.blocks[0]!.values.subarray(0, cols))).toEqual(w.slice(3 * cols, 4 * cols));
    expect(Array.from(got.blocks[0]!.values.subarray(3 * cols))).toEqual(w.slice(250 * cols, 251 * cols));
    expect(Array.from(got.blocks[1]!.values)).toEqual([...Array(cols).fill(2), ...Array(cols).fill(8)]);
    const read = log.reduce((s, [a, b]) => s + b - a, 0);
    expect(got.bytesRead).toBe(read);
    expect(read).toBeLessThan(file.length / 2);
    expect(consecutiveRuns([1, 2, 3, 7, 9, 10])).toEqual([
      [1, 4],
      [7, 8],
      [9, 11],
    ]);
  });
});
