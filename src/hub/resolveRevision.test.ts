import { describe, expect, it } from 'vitest';
import { createHttpContext } from './http.ts';
import { pickWeightsFile, shardsNamedBy } from './readRepoMetadata.ts';
import { resolveRevision } from './resolveRevision.ts';

const SHA = '607a30d783dfa663caf39e06633721c8d4cfcd7e';

function ctxAnswering(body: unknown, init: ResponseInit = { headers: { 'content-type': 'application/json' } }) {
  const urls: string[] = [];
  const fetchFn = async (input: RequestInfo | URL) => {
    urls.push(String(input));
    return new Response(typeof body === 'string' ? body : JSON.stringify(body), init);
  };
  const ctx = createHttpContext('https://huggingface.co/', { fetch: fetchFn as typeof fetch });
  return { ctx, urls };
}

describe('resolveRevision', () => {
  it('asks the revision endpoint and returns sha, siblings, flags and the API config', async () => {
    const { ctx, urls } = ctxAnswering({
      sha: SHA.toUpperCase(),
      gated: 'manual',
      private: false,
      siblings: [
        { rfilename: 'config.json', size: 665 },
        { rfilename: 'model.safetensors', size: 548105171 },
        { nope: 1 },
      ],
      tags: ['transformers', 'gguf', 7],
      config: { model_type: 'gpt2' },
    });
    const r = await resolveRevision('openai-community/gpt2', 'refs/pr/1', ctx);
    expect(urls).toEqual(['https://huggingface.co/api/models/openai-community/gpt2/revision/refs%2Fpr%2F1?blobs=true']);
    expect(r).toEqual({
      sha: SHA,
      apiUrl: urls[0],
      siblings: ['config.json', 'model.safetensors'],
      needsToken: true,
      gated: 'manual',
      private: false,
      config: { model_type: 'gpt2' },
      sizes: new Map([
        ['config.json', 665],
        ['model.safetensors', 548105171],
      ]),
      tags: ['transformers', 'gguf'],
      declared: null,
    });
  });

  it("reads the card's lineage claim: base_model string or list, relation from the card or the tags", async () => {
    const card = await resolveRevision(
      'org/child',
      'main',
      ctxAnswering({ sha: SHA, cardData: { base_model: ['org/base'], base_model_relation: 'finetune' } }).ctx,
    );
    expect(card.declared).toEqual({ bases: ['org/base'], relation: 'finetune', source: 'card' });
    const tags = await resolveRevision(
      'org/child-GGUF',
      'main',
      ctxAnswering({ sha: SHA, cardData: {}, tags: ['gguf', 'base_model:quantized:org/base'] }).ctx,
    );
    expect(tags.declared).toEqual({ bases: ['org/base'], relation: 'quantized', source: 'tags' });
  });

  it('rejects answers without a valid sha, and HTML pages', async () => {
    await expect(resolveRevision('a/b', 'main', ctxAnswering({ sha: 'abc' }).ctx)).rejects.toMatchObject({
      kind: 'bad-response',
    });
    await expect(resolveRevision('a/b', 'main', ctxAnswering([1, 2]).ctx)).rejects.toMatchObject({
      kind: 'bad-response',
    });
    await expect(resolveRevision('a/b', 'main', ctxAnswering('{"sha": "trunc').ctx)).rejects.toMatchObject({
      kind: 'bad-response',
    });
    const html = ctxAnswering('<!doctype html>', { headers: { 'content-type': 'text/html; charset=utf-8' } });
    await expect(resolveRevision('a/b', 'main', html.ctx)).rejects.toMatchObject({ kind: 'repo-not-found' });
  });

  it('treats a server without a file list as unknown siblings', async () => {
    const r = await resolveRevision('a/b', 'main', ctxAnswering({ sha: SHA }).ctx);
    expect(r).toMatchObject({ siblings: null, needsToken: false, gated: false, config: {} });
  });
});

describe('pickWeightsFile', () => {
  it('prefers the HF index, then model.safetensors, then a lone root safetensors file', () => {
    expect(pickWeightsFile(['model.safetensors', 'model.safetensors.index.json'])).toEqual({
      kind: 'index',
      path: 'model.safetensors.index.json',
    });
    expect(pickWeightsFile(['consolidated.safetensors', 'model.safetensors'])).toEqual({
      kind: 'single',
      path: 'model.safetensors',
    });
    expect(pickWeightsFile(['consolidated.safetensors', 'README.md'])).toEqual({
      kind: 'single',
      path: 'consolidated.safetensors',
    });
    expect(pickWeightsFile(['a.safetensors', 'b.safetensors'])).toBeNull();
    expect(pickWeightsFile(['pytorch_model.bin', 'transformer/model.safetensors'])).toBeNull();
  });
});

describe('shardsNamedBy', () => {
  const shards = (n: number, prefix = 'model') =>
    Array.from(
      { length: n },
      (_, i) => `${prefix}-${String(i + 1).padStart(5, '0')}-of-${String(n).padStart(5, '0')}.safetensors`,
    );

  it('names every shard of a complete set, in order', () => {
    const files = [...shards(3)].reverse();
    expect(shardsNamedBy('model.safetensors.index.json', ['config.json', ...files])).toEqual(shards(3));
    // another prefix, in a folder: only its own set
    const sub = shards(2, 'sub/diffusion_pytorch_model');
    expect(shardsNamedBy('sub/diffusion_pytorch_model.safetensors.index.json', [...sub, ...shards(3)])).toEqual(sub);
  });

  it('gives null where the list does not name a complete set: the index must say', () => {
    expect(shardsNamedBy('model.safetensors.index.json', shards(3).slice(0, 2))).toBeNull();
    expect(shardsNamedBy('model.safetensors.index.json', ['model.safetensors', 'consolidated.safetensors'])).toBeNull();
    const mixed = [...shards(2), 'model-00001-of-00003.safetensors'];
    expect(shardsNamedBy('model.safetensors.index.json', mixed)).toBeNull();
    // a regex character in the name is taken literally
    expect(shardsNamedBy('m.safetensors.index.json', ['mx00001-of-00001.safetensors'])).toBeNull();
  });
});
