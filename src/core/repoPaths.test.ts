import { describe, expect, it } from 'vitest';
import { isValidRepoId, repoIdError, shardNameError } from './repoPaths';
import { parseSafetensorsIndex, SafetensorsIndexError } from './formats/safetensorsIndex';

describe('one home for repo ids and repo paths', () => {
  it('repo ids follow the Hub rules (the Hub client and the permalink agree)', () => {
    for (const ok of ['zai-org/GLM-4.5-Air', 'gpt2', 'Org_1/Model-2.5']) expect(isValidRepoId(ok)).toBe(true);
    for (const bad of ['a/b/c', '../etc', 'a/..b', '', 'a--b/c', 'x/y.git', '-a/b', 'a/b c'])
      expect(repoIdError(bad)).not.toBeNull();
  });

  it('shard names stay inside the repo and are safetensors files', () => {
    expect(shardNameError('model-00001-of-00002.safetensors')).toBeNull();
    expect(shardNameError('transformer/diffusion_pytorch_model.safetensors')).toBeNull();
    const hostile = [
      '../../../../other-org/other-model/resolve/main/model-00001-of-00002.safetensors',
      '/etc/passwd',
      'https://evil.example/x.safetensors',
      '//evil.example/x.safetensors',
      'C:\\weights\\x.safetensors',
      'c:x.safetensors',
      'a\\..\\b.safetensors',
      'a/%2e%2e/b.safetensors',
      'a/./b.safetensors',
      'a//b.safetensors',
      'x.safetensors\u0000.png',
      'model.bin',
      '',
    ];
    for (const bad of hostile) expect(shardNameError(bad), bad).not.toBeNull();
    expect(shardNameError(7)).not.toBeNull();
  });

  it('an index naming a shard outside the repo is refused before anything is read, naming the index and the fault', () => {
    const index = { weight_map: { 'a.weight': '../../../../other-org/m/resolve/main/x.safetensors' } };
    expect(() => parseSafetensorsIndex(index, 'model.safetensors.index.json')).toThrow(SafetensorsIndexError);
    expect(() => parseSafetensorsIndex(index, 'model.safetensors.index.json')).toThrow(
      /model\.safetensors\.index\.json names a shard .*"\.\." segment/,
    );
    const ok = parseSafetensorsIndex(
      { metadata: { total_size: 10 }, weight_map: { a: 'm-1.safetensors' } },
      'sub/model.safetensors.index.json',
    );
    expect([...ok.weightMap]).toEqual([['a', 'sub/m-1.safetensors']]);
    expect(ok.totalSize).toBe(10);
  });
});
