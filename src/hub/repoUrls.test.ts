import { describe, expect, it } from 'vitest';
import { isCommitSha, isHubUrl, normalizeHubUrl, resolveFileUrl, revisionApiUrl } from './repoUrls.ts';
import { isSafeRepoPath, isValidRepoId } from '../core/repoPaths.ts';

const SHA = 'a'.repeat(40);

describe('repoUrls', () => {
  it('strips trailing slashes from the hub base', () => {
    expect(normalizeHubUrl('https://huggingface.co/')).toBe('https://huggingface.co');
    expect(normalizeHubUrl(' http://localhost:5173/demo-hub// ')).toBe('http://localhost:5173/demo-hub');
  });

  it('always uses the revision endpoint and URL-encodes the revision', () => {
    expect(revisionApiUrl('https://huggingface.co/', 'zai-org/GLM-4.5-Air', 'main')).toBe(
      'https://huggingface.co/api/models/zai-org/GLM-4.5-Air/revision/main',
    );
    expect(revisionApiUrl('https://hf.co', 'a/b', 'refs/pr/1')).toBe(
      'https://hf.co/api/models/a/b/revision/refs%2Fpr%2F1',
    );
  });

  it('pins file URLs to the sha and keeps path separators', () => {
    expect(resolveFileUrl('https://hf.co', 'a/b', SHA, 'model-00001-of-00002.safetensors')).toBe(
      `https://hf.co/a/b/resolve/${SHA}/model-00001-of-00002.safetensors`,
    );
    expect(resolveFileUrl('https://hf.co', 'a/b', SHA, 'sub dir/x#1.json')).toBe(
      `https://hf.co/a/b/resolve/${SHA}/sub%20dir/x%231.json`,
    );
  });

  it('validates repo ids, shas and index paths', () => {
    expect(isValidRepoId('zai-org/GLM-4.5-Air')).toBe(true);
    expect(isValidRepoId('gpt2')).toBe(true);
    expect(isValidRepoId('a/b/c')).toBe(false);
    expect(isValidRepoId('../etc')).toBe(false);
    expect(isValidRepoId('a/..b')).toBe(false);
    expect(isValidRepoId('')).toBe(false);
    expect(isCommitSha(SHA)).toBe(true);
    expect(isCommitSha('main')).toBe(false);
    expect(isSafeRepoPath('model-00001-of-00047.safetensors')).toBe(true);
    expect(isSafeRepoPath('transformer/model.safetensors')).toBe(true);
    for (const bad of ['../x', '/etc/passwd', 'https://evil/x', 'a/%2e%2e/b', 'a\\b', 'a//b', ''])
      expect(isSafeRepoPath(bad)).toBe(false);
  });

  it('recognises URLs on the hub a token belongs to, and nothing else', () => {
    expect(isHubUrl('https://huggingface.co/', 'https://huggingface.co/api/models/a/b/revision/main')).toBe(true);
    expect(isHubUrl('https://huggingface.co', 'https://huggingface.co.evil.com/x')).toBe(false);
    expect(isHubUrl('https://huggingface.co', 'https://us.aws.cdn.hf.co/x')).toBe(false);
  });
});
