// Row evidence ("beyond norm weights") with a fake loader: plan, fetch with progress, errors, cancel,
// and late answers of a superseded job dropped. The instance gets its store and workers injected.
import { describe, expect, it } from 'vitest';
import type { Workers } from '../compute/client';
import type { RowEvidenceReply, RowEvidenceRequest, RowFetchProgress, RowSamplesPlan } from '../compute/protocol';
import { parseQuery } from '../core/permalink';
import type { LoadedModel } from '../core/types';
import { createRowEvidence } from './rowEvidence';
import { createAppStore } from './store';
import type { ModelSlot } from './types';

interface PendingJob {
  req: RowEvidenceRequest;
  onProgress?: (p: RowFetchProgress) => void;
  resolve(r: RowEvidenceReply): void;
  reject(e: unknown): void;
}

function setUp() {
  const store = createAppStore(parseQuery('').query);
  const slot = (repo: string): ModelSlot => ({
    ref: { repo, revision: 'main' },
    jobId: `job-${repo}`,
    status: 'ready',
    progress: null,
    model: { repo, sha: `${repo}-sha` } as unknown as LoadedModel,
    error: null,
  });
  store.setState({
    hubUrl: 'http://hub.test',
    token: { token: 'hf_x', origin: 'http://hub.test', remember: false },
    slots: [slot('o/a'), slot('o/b'), { ...slot('o/c'), model: null, status: 'loading' }],
  });
  const jobs: PendingJob[] = [];
  const cancelled: string[] = [];
  const loader = {
    rowEvidence: (req: RowEvidenceRequest, onProgress?: (p: RowFetchProgress) => void) =>
      new Promise<RowEvidenceReply>((resolve, reject) => jobs.push({ req, onProgress, resolve, reject })),
    cancel: async (jobId: string) => void cancelled.push(jobId),
  };
  const workers = { loader: () => loader, proxy: <T extends object>(fn: T) => fn } as unknown as Workers;
  return { store, rows: createRowEvidence({ store, workers }), jobs, cancelled };
}

const plan = { rows: 3 } as unknown as RowSamplesPlan;
const tick = () => new Promise((r) => setTimeout(r, 0));

describe('row evidence', () => {
  it('plans for two loaded models, then fetches with progress and keeps the result', async () => {
    const { store, rows, jobs } = setUp();
    rows.plan(0, 2); // model 2 is not loaded: nothing happens
    expect(jobs).toHaveLength(0);
    expect(store.getState().rowEvidence).toBeNull();
    rows.plan(0, 1);
    expect(store.getState().rowEvidence).toEqual({ phase: 'planning', a: 0, b: 1, jobId: 'rows-1' });
    expect(jobs[0]!.req).toEqual({
      kind: 'plan',
      jobId: 'rows-1',
      hub: 'http://hub.test',
      a: { repo: 'o/a', sha: 'o/a-sha' },
      b: { repo: 'o/b', sha: 'o/b-sha' },
      useCache: true,
      token: 'hf_x',
    });
    jobs[0]!.resolve({ ok: true, kind: 'plan', plan });
    await tick();
    expect(store.getState().rowEvidence).toEqual({ phase: 'planned', plan, a: 0, b: 1, jobId: null });
    rows.fetch();
    expect(jobs[1]!.req).toEqual({ kind: 'fetch', jobId: 'rows-2', plan, useCache: true, token: 'hf_x' });
    const progress = { done: 1, total: 3 } as unknown as RowFetchProgress;
    jobs[1]!.onProgress!(progress);
    expect(store.getState().rowEvidence).toMatchObject({ phase: 'fetching', progress, jobId: 'rows-2' });
    const evidence = { verdict: 'x' } as never;
    jobs[1]!.resolve({ ok: true, kind: 'fetch', evidence, transfer: [{}, {}] as never, warnings: ['w'] });
    await tick();
    expect(store.getState().rowEvidence).toMatchObject({ phase: 'done', plan, evidence, warnings: ['w'], jobId: null });
  });

  it('a new plan cancels the running one and its late answer is dropped', async () => {
    const { store, rows, jobs, cancelled } = setUp();
    rows.plan(0, 1);
    rows.plan(1, 0);
    expect(cancelled).toEqual(['rows-1']);
    jobs[0]!.resolve({ ok: true, kind: 'plan', plan });
    await tick();
    expect(store.getState().rowEvidence).toEqual({ phase: 'planning', a: 1, b: 0, jobId: 'rows-2' });
    jobs[1]!.resolve({ ok: false, error: { kind: 'network', message: 'offline' } });
    await tick();
    expect(store.getState().rowEvidence).toEqual({
      phase: 'error',
      plan: null,
      message: 'offline',
      a: 1,
      b: 0,
      jobId: null,
    });
  });

  it('cancelling a fetch keeps the plan; a fetch that throws shows its message and may be fetched again', async () => {
    const { store, rows, jobs, cancelled } = setUp();
    rows.plan(0, 1);
    jobs[0]!.resolve({ ok: true, kind: 'plan', plan });
    await tick();
    rows.fetch();
    rows.cancelFetch();
    expect(cancelled).toEqual(['rows-2']);
    expect(store.getState().rowEvidence).toEqual({ phase: 'planned', plan, a: 0, b: 1, jobId: null });
    jobs[1]!.resolve({ ok: true, kind: 'fetch', evidence: {} as never, transfer: [{}, {}] as never, warnings: [] });
    await tick();
    expect(store.getState().rowEvidence?.phase).toBe('planned');
    rows.fetch();
    jobs[2]!.reject(new Error('worker died'));
    await tick();
    expect(store.getState().rowEvidence).toMatchObject({ phase: 'error', plan, message: 'worker died' });
    rows.fetch(); // from an error with a plan
    expect(jobs[3]!.req).toMatchObject({ kind: 'fetch', jobId: 'rows-4' });
    rows.cancel();
    expect(cancelled).toEqual(['rows-2', 'rows-4']);
    expect(store.getState().rowEvidence).toBeNull();
  });
});
