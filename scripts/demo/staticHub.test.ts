import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeTensor } from '../../src/core/dtypes.ts';
import { parseSafetensorsFile } from '../../src/core/safetensors.ts';
import { makeDemo } from '../make-demo.ts';
import { createRng } from './random.ts';
import { buildLlamaLikeRepo, gitBlobOid, isLfsPath, shardName, writeStaticRepo, type BuiltRepo } from './staticHub.ts';
import { buildGpt2LikeRepo, buildNeoxLikeRepo } from './smallArchRepos.ts';

const tmpRoots: string[] = [];
function tmpRoot(): string {
  const dir = mkdtempSync(join(tmpdir(), 'static-hub-'));
  tmpRoots.push(dir);
  return dir;
}
afterAll(() => {
  for (const d of tmpRoots) rmSync(d, { recursive: true, force: true });
});

const vectors = (layers: number, hidden: number, seed: string) => {
  const rng = createRng(seed);
  return Array.from({ length: layers }, () => Float32Array.from({ length: hidden }, () => 0.3 + 0.05 * rng.normal()));
};

const bytesOf = (v: Uint8Array | string | undefined): Uint8Array =>
  typeof v === 'string' ? new TextEncoder().encode(v) : (v as Uint8Array);

function allTensors(repo: BuiltRepo): Map<string, { file: string; dtype: string; shape: number[]; data: Uint8Array }> {
  const out = new Map<string, { file: string; dtype: string; shape: number[]; data: Uint8Array }>();
  for (const [file, content] of Object.entries(repo.files)) {
    if (!file.endsWith('.safetensors')) continue;
    const bytes = bytesOf(content);
    const header = parseSafetensorsFile(bytes);
    expect(header.metadata).toEqual({ format: 'pt' });
    for (const t of header.tensors)
      out.set(t.name, { file, dtype: t.dtype, shape: t.shape, data: bytes.subarray(t.start, t.end) });
  }
  return out;
}

describe('git/LFS helpers', () => {
  it('computes git blob ids and the LFS rule', () => {
    // `git hash-object` of "hello\n"
    expect(gitBlobOid(new TextEncoder().encode('hello\n'))).toBe('ce013625030ba8dba906f756967f9e9ca394464a');
    expect(isLfsPath('model-00001-of-00002.safetensors')).toBe(true);
    expect(isLfsPath('config.json')).toBe(false);
    expect(isLfsPath('big.json', 11 * 1024 * 1024)).toBe(true);
    expect(shardName(3, 47)).toBe('model-00003-of-00047.safetensors');
  });
});

describe('buildLlamaLikeRepo', () => {
  const hidden = 32;
  const input = vectors(5, hidden, 'in');
  const post = vectors(5, hidden, 'post');
  const mtp = {
    input: input[0] as Float32Array,
    post: post[0] as Float32Array,
    enorm: input[1] as Float32Array,
    hnorm: input[2] as Float32Array,
    sharedHeadNorm: input[3] as Float32Array,
  };
  const repo = buildLlamaLikeRepo({
    repo: 'x/glm-ish',
    input,
    post,
    mtp,
    routerBias: true,
    layersPerShard: 2,
    modelType: 'glm4_moe',
    architecture: 'Glm4MoeForCausalLM',
  });

  it('shards by layers with an index that maps every tensor and sums tensor bytes', () => {
    const shards = Object.keys(repo.files).filter((f) => f.endsWith('.safetensors'));
    expect(shards).toEqual([shardName(1, 3), shardName(2, 3), shardName(3, 3)]);
    const index = JSON.parse(repo.files['model.safetensors.index.json'] as string) as {
      metadata: { total_size: number; total_parameters: number };
      weight_map: Record<string, string>;
    };
    const tensors = allTensors(repo);
    expect(Object.keys(index.weight_map).sort()).toEqual([...tensors.keys()].sort());
    for (const [name, t] of tensors) expect(index.weight_map[name]).toBe(t.file);
    expect(index.metadata.total_size).toBe([...tensors.values()].reduce((n, t) => n + t.data.length, 0));
    expect(Object.keys(index.weight_map)).toEqual(Object.keys(index.weight_map).sort());
    expect(index.weight_map['model.embed_tokens.weight']).toBe(shardName(1, 3));
    expect(index.weight_map['model.norm.weight']).toBe(shardName(3, 3));
  });

  it('writes the real names, the MTP block and F32 router biases first in each shard', () => {
    const tensors = allTensors(repo);
    for (const n of [
      'model.layers.5.enorm.weight',
      'model.layers.5.hnorm.weight',
      'model.layers.5.shared_head.norm.weight',
      'model.layers.5.input_layernorm.weight',
      'model.layers.4.mlp.gate.e_score_correction_bias',
      'model.layers.0.self_attn.o_proj.weight',
      'model.layers.0.mlp.down_proj.weight',
    ]) {
      expect(tensors.has(n), n).toBe(true);
    }
    expect(tensors.get('model.layers.0.self_attn.o_proj.weight')?.shape).toEqual([hidden, 8]);
    expect(tensors.get('model.layers.0.mlp.gate.e_score_correction_bias')).toMatchObject({ dtype: 'F32', shape: [16] });
    const first = parseSafetensorsFile(bytesOf(repo.files[shardName(2, 3)]));
    const dtypes = first.tensors.map((t) => t.dtype);
    expect(dtypes.slice(0, 2)).toEqual(['F32', 'F32']);
    expect(dtypes.slice(2).every((d) => d === 'BF16')).toBe(true);
    // byte-wise name order inside one dtype: input_layernorm < mlp.* < post_attention_layernorm < self_attn.*
    const bf16Names = first.tensors.filter((t) => t.dtype === 'BF16').map((t) => t.name);
    expect(bf16Names).toEqual([...bf16Names].sort());
  });

  it('stores norms that decode to the reported stored values', () => {
    const tensors = allTensors(repo);
    for (let l = 0; l < 5; l++) {
      const t = tensors.get(`model.layers.${l}.post_attention_layernorm.weight`);
      expect(decodeTensor(t?.data as Uint8Array, 'BF16')).toEqual(repo.norms.post[l]);
      expect(
        Math.max(
          ...Array.from(repo.norms.post[l] as Float32Array, (v, i) => Math.abs(v - (post[l] as Float32Array)[i]!)),
        ),
      ).toBeLessThan(0.004);
    }
    expect(repo.config).toMatchObject({
      model_type: 'glm4_moe',
      num_hidden_layers: 5,
      num_nextn_predict_layers: 1,
      hidden_size: hidden,
    });
    expect(repo.files['README.md']).toMatch(/synthetic/i);
  });

  it('supports a single file, F16/F32 storage and embeddings in their own shard', () => {
    const single = buildLlamaLikeRepo({ repo: 'x/phi-ish', input, post, dtype: 'F16' });
    expect(Object.keys(single.files).sort()).toEqual(['README.md', 'model.safetensors']);
    const t = allTensors(single).get('model.layers.1.input_layernorm.weight');
    expect(t?.dtype).toBe('F16');
    expect(decodeTensor(t?.data as Uint8Array, 'F16')).toEqual(single.norms.input[1]);
    const f32 = buildLlamaLikeRepo({ repo: 'x/f32', input, post, dtype: 'F32' });
    expect(f32.norms.input[2]).toEqual(input[2]);
    const own = buildLlamaLikeRepo({ repo: 'x/solar-ish', input, post, layersPerShard: 3, embeddingsOwnShard: true });
    const index = JSON.parse(own.files['model.safetensors.index.json'] as string) as {
      weight_map: Record<string, string>;
    };
    expect(index.weight_map['model.embed_tokens.weight']).toBe(shardName(1, 3));
    expect(index.weight_map['model.layers.0.input_layernorm.weight']).toBe(shardName(2, 3));
  });
});

describe('other architectures', () => {
  it('gpt2: h.{i}.ln_1/ln_2 weight+bias, ln_f, F32', () => {
    const repo = buildGpt2LikeRepo({ repo: 'x/gpt2-ish', hidden: 48, layers: 3 });
    const names = [...allTensors(repo).keys()];
    for (const n of [
      'h.0.ln_1.weight',
      'h.0.ln_1.bias',
      'h.2.ln_2.weight',
      'h.2.ln_2.bias',
      'ln_f.weight',
      'ln_f.bias',
      'wte.weight',
    ])
      expect(names).toContain(n);
    expect(allTensors(repo).get('h.1.ln_1.weight')?.dtype).toBe('F32');
    expect(repo.config).toMatchObject({ model_type: 'gpt2', n_embd: 48, n_layer: 3 });
    const prefixed = buildGpt2LikeRepo({ repo: 'x/gpt2-new', hidden: 16, layers: 1, prefix: 'transformer.' });
    expect([...allTensors(prefixed).keys()]).toContain('transformer.h.0.ln_2.bias');
  });

  it('gpt_neox: input_layernorm / post_attention_layernorm with biases', () => {
    const repo = buildNeoxLikeRepo({ repo: 'x/neox-ish', hidden: 32, layers: 2 });
    const tensors = allTensors(repo);
    for (const n of [
      'gpt_neox.layers.1.input_layernorm.weight',
      'gpt_neox.layers.1.input_layernorm.bias',
      'gpt_neox.layers.0.post_attention_layernorm.weight',
      'gpt_neox.final_layer_norm.weight',
    ])
      expect(tensors.has(n), n).toBe(true);
    expect(
      decodeTensor(tensors.get('gpt_neox.layers.1.post_attention_layernorm.weight')?.data as Uint8Array, 'F16'),
    ).toEqual(repo.norms.post[1]);
    expect(repo.config).toMatchObject({ model_type: 'gpt_neox', hidden_size: 32 });
  });
});

describe('writeStaticRepo', () => {
  it('writes the static Hub layout with a content-derived sha', () => {
    const root = tmpRoot();
    const built = buildLlamaLikeRepo({
      repo: 'org/model',
      input: vectors(2, 16, 'a'),
      post: vectors(2, 16, 'b'),
      layersPerShard: 1,
    });
    const w = writeStaticRepo(root, { ...built, gated: 'manual', files: { ...built.files, 'sub/extra.txt': 'x' } });
    expect(w.sha).toMatch(/^[0-9a-f]{40}$/);
    const main = readFileSync(join(root, 'api/models/org/model/revision/main'), 'utf8');
    expect(readFileSync(join(root, `api/models/org/model/revision/${w.sha}`), 'utf8')).toBe(main);
    const info = JSON.parse(main) as Record<string, unknown>;
    expect(info).toMatchObject({
      id: 'org/model',
      modelId: 'org/model',
      author: 'org',
      sha: w.sha,
      private: false,
      gated: 'manual',
      disabled: false,
      library_name: 'transformers',
      config: { architectures: ['LlamaForCausalLM'], model_type: 'llama' },
    });
    expect((info.siblings as { rfilename: string }[]).map((s) => s.rfilename)).toEqual(w.files.map((f) => f.path));
    expect(info.safetensors).toEqual({ parameters: { BF16: expect.any(Number) }, total: expect.any(Number) });
    for (const f of w.files) {
      const abs = join(root, 'org/model/resolve', w.sha, f.path);
      expect(statSync(abs).size).toBe(f.size);
    }
    expect(w.files.find((f) => f.path === 'model-00001-of-00002.safetensors')?.lfs?.oid).toMatch(/^[0-9a-f]{64}$/);
    const tree = JSON.parse(readFileSync(join(root, `api/models/org/model/tree/${w.sha}`), 'utf8')) as {
      path: string;
      type: string;
    }[];
    expect(tree.find((e) => e.path === 'sub')?.type).toBe('directory');
    // same content → same sha; other content → other sha, old commit kept
    expect(writeStaticRepo(tmpRoot(), { ...built, files: { ...built.files, 'sub/extra.txt': 'x' } }).sha).toBe(w.sha);
    const w2 = writeStaticRepo(root, built);
    expect(w2.sha).not.toBe(w.sha);
    expect(existsSync(join(root, 'org/model/resolve', w.sha, 'sub/extra.txt'))).toBe(true);
    expect(
      (JSON.parse(readFileSync(join(root, 'api/models/org/model/revision/main'), 'utf8')) as { sha: string }).sha,
    ).toBe(w2.sha);
  });

  it('tolerates corrupted safetensors files (no parameter count) and rejects unsafe paths', () => {
    const root = tmpRoot();
    const w = writeStaticRepo(root, {
      repo: 'org/broken',
      config: { model_type: 'llama' },
      files: { 'model.safetensors': new Uint8Array([1, 2, 3]) },
    });
    const info = JSON.parse(readFileSync(join(root, 'api/models/org/broken/revision/main'), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(info.safetensors).toBeUndefined();
    expect(w.safetensorsBytes).toBe(3);
    expect(() => writeStaticRepo(root, { repo: 'org/bad', config: {}, files: { '../escape.txt': 'x' } })).toThrow(
      /Unsafe/,
    );
    expect(() => writeStaticRepo(root, { repo: 'no-slash', config: {}, files: {} })).toThrow(/org\/name/);
  });
});

describe('make-demo', () => {
  it('writes the four demo repos deterministically, under 40 MB, and skips when up to date', async () => {
    const out = join(tmpRoot(), 'demo-hub');
    const first = await makeDemo({ out });
    expect(first.skipped).toBe(false);
    expect(first.repos.map((r) => [r.repo, r.numLayers])).toEqual([
      ['normscope-demo/glm-like-base', 46],
      ['normscope-demo/glm-like-sft', 46],
      ['normscope-demo/solar-like', 48],
      ['normscope-demo/phi-like-3072', 32],
    ]);
    const total = first.repos.reduce((n, r) => n + r.totalBytes, 0);
    expect(total).toBeLessThan(40 * 1024 * 1024);
    const base = first.repos[0];
    expect(base?.files.filter((f) => f.path.endsWith('.safetensors'))).toHaveLength(8);
    const index = JSON.parse(readFileSync(join(out, 'index.json'), 'utf8')) as {
      repos: { id: string; description: string; sha: string; synthetic: boolean }[];
    };
    expect(index.repos.map((r) => r.id)).toEqual(first.repos.map((r) => r.repo));
    for (const r of index.repos) {
      expect(r.description.length).toBeGreaterThan(10);
      expect(r.synthetic).toBe(true);
    }
    // MTP block of the GLM-like base
    const indexJson = JSON.parse(
      readFileSync(
        join(out, 'normscope-demo/glm-like-base/resolve', base?.sha as string, 'model.safetensors.index.json'),
        'utf8',
      ),
    ) as { weight_map: Record<string, string> };
    expect(indexJson.weight_map['model.layers.46.enorm.weight']).toBe('model-00008-of-00008.safetensors');
    expect(indexJson.weight_map['model.layers.0.input_layernorm.weight']).toBe('model-00001-of-00008.safetensors');
    const phi = first.repos[3];
    const phiFile = new Uint8Array(
      readFileSync(join(out, 'normscope-demo/phi-like-3072/resolve', phi?.sha as string, 'model.safetensors')),
    );
    const phiHeader = parseSafetensorsFile(phiFile);
    expect(phiHeader.tensors.find((t) => t.name === 'model.layers.31.post_attention_layernorm.weight')).toMatchObject({
      dtype: 'F16',
      shape: [3072],
    });

    const second = await makeDemo({ out });
    expect(second.skipped).toBe(true);
    const forced = await makeDemo({ out, force: true });
    expect(forced.repos.map((r) => r.sha)).toEqual(first.repos.map((r) => r.sha));
    const otherSeed = await makeDemo({ out, seed: 7 });
    expect(otherSeed.skipped).toBe(false);
    expect(otherSeed.repos[0]?.sha).not.toBe(first.repos[0]?.sha);
  });
});
