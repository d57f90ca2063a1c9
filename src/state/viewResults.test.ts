import { describe, expect, it } from 'vitest';
import { viewJobKey } from './viewResults';
import type { ModelSlot } from './store';
import type { LoadedModel } from '../core/types';

const slot = (repo: string, sha: string | null): ModelSlot => ({
  ref: { repo, revision: 'main' },
  jobId: `job-${repo}`,
  status: sha ? 'ready' : 'loading',
  progress: null,
  model: sha ? ({ repo, sha } as unknown as LoadedModel) : null,
  error: null,
});

describe('viewJobKey', () => {
  const slots = [slot('o/a', 'aaa'), slot('o/b', 'bbb'), slot('o/c', null)];

  it('names the models by position, repo and commit, and a chosen σ extends the fitted diff key', () => {
    const fit = viewJobKey({ kind: 'fineTuneDiff', models: [0, 1], norm: 'input' }, slots);
    expect(fit).toBe('diff|0:o/a@aaa|1:o/b@bbb|input');
    expect(viewJobKey({ kind: 'fineTuneDiff', models: [0, 1], norm: 'input', deltaSigma: 0.001 }, slots)).toBe(
      `${fit}|σ=0.001`,
    );
    expect(viewJobKey({ kind: 'ridge', models: [1, 0], norms: ['input', 'post'], step: 3 }, slots)).toBe(
      'ridge|1:o/b@bbb|0:o/a@aaa|input,post|3',
    );
    expect(viewJobKey({ kind: 'pca', models: [0, 1], norm: 'post' }, slots)).not.toBe(
      viewJobKey({ kind: 'pca', models: [0, 1], norm: 'input' }, slots),
    );
  });

  it('is null while a model of the job is not loaded', () => {
    expect(viewJobKey({ kind: 'withinLayer', models: [0, 2] }, slots)).toBeNull();
    expect(viewJobKey({ kind: 'withinLayer', models: [0, 5] }, slots)).toBeNull();
  });
});
