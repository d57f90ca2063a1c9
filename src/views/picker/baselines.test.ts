import { describe, expect, it } from 'vitest';
import { suggestionsFor } from './baselines';

describe('suggestionsFor', () => {
  it('suggests public models of the loaded widths that are not already compared', () => {
    const s = suggestionsFor([4096], ['zai-org/GLM-4.5-Air'], false).map((x) => x.repo);
    expect(s).toContain('upstage/Solar-Open-100B');
    expect(s).not.toContain('zai-org/GLM-4.5-Air');
    expect(s).not.toContain('openai-community/gpt2');
    expect(s.some((r) => r.startsWith('normscope-demo/'))).toBe(false);
  });
  it('suggests only demo repos on the demo hub', () => {
    expect(suggestionsFor([4096, 3072], ['normscope-demo/glm-like-base'], true).map((x) => x.repo)).toEqual([
      'normscope-demo/solar-like',
      'normscope-demo/phi-like-3072',
    ]);
  });
});
