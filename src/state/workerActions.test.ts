// The figure views' results, the cell test and the export with fake workers: models are sent to the
// figures worker once per store and forgotten with the comparison; results land under their keys.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Workers } from '../compute/client';
import { parseQuery } from '../core/permalink';
import type { LoadedModel } from '../core/types';
import { CELL_PERMUTATIONS, requestCellTest } from './cellTest';
import { exportJson } from './exportJson';
import { createAppStore } from './store';
import type { ModelSlot } from './types';
import { createViewResults, viewJobKey, type ViewJob } from './viewResults';

const slot = (repo: string, loaded = true): ModelSlot => ({
  ref: { repo, revision: 'main' },
  jobId: `job-${repo}`,
  status: loaded ? 'ready' : 'loading',
  progress: null,
  model: loaded ? ({ repo, sha: `${repo}-sha`, roles: [], layers: [] } as unknown as LoadedModel) : null,
  error: null,
});

function setUp(slots = [slot('o/a'), slot('o/b')]) {
  const store = createAppStore(parseQuery('').query);
  store.setState({ slots, hubUrl: 'http://hub.test' });
  const calls: string[] = [];
  let started = false;
  const worker = {
    putModel: async (key: string) => void calls.push(`put ${key}`),
    retainModels: async (keys: string[]) => void calls.push(`retain ${keys.join(',')}`),
    withinLayerPairOf: async (keys: string[]) => {
      calls.push(`within ${keys.join(',')}`);
      if (keys.includes('job-o/c')) throw new Error('too wide');
      return { keys };
    },
    cellTestOf: async (...args: unknown[]) => {
      calls.push(`cell ${args.join(' ')}`);
      return { p: 0.01 };
    },
    exportJsonOf: async (input: unknown) => new Blob([JSON.stringify(input)]),
  };
  const workers = {
    figures: () => ((started = true), worker),
    figuresStarted: () => started,
    compute: () => worker,
  } as unknown as Workers;
  return { store, workers, calls, views: createViewResults({ store, workers }) };
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('view results', () => {
  it('sends each model to the figures worker once, then names it; the result lands under its key', async () => {
    const { store, views, calls } = setUp();
    views.retainFigureModels(['job-o/a']); // the figures worker was not started: nothing to tell it
    expect(calls).toEqual([]);
    const job: ViewJob = { kind: 'withinLayer', models: [0, 1] };
    const key = viewJobKey(job, store.getState().slots)!;
    const pending = views.request(job);
    expect(store.getState().viewResults[key]).toEqual({ status: 'pending', value: null, error: null });
    await pending;
    expect(store.getState().viewResults[key]).toEqual({
      status: 'ready',
      value: { keys: ['job-o/a', 'job-o/b'] },
      error: null,
    });
    await views.request({ kind: 'withinLayer', models: [1, 0] });
    expect(calls).toEqual(['put job-o/a', 'put job-o/b', 'within job-o/a,job-o/b', 'within job-o/b,job-o/a']);
    // a new comparison holds only o/a: o/b is forgotten, and sent again when asked for
    views.retainFigureModels(['job-o/a']);
    expect(calls.at(-1)).toBe('retain job-o/a');
    store.setState({ viewResults: {} });
    await views.request(job);
    expect(calls.slice(-2)).toEqual(['put job-o/b', 'within job-o/a,job-o/b']);
  });

  it('keeps a failure as an error that may be asked for again', async () => {
    const { store, views } = setUp([slot('o/a'), slot('o/c')]);
    const job: ViewJob = { kind: 'withinLayer', models: [0, 1] };
    await views.request(job);
    const key = viewJobKey(job, store.getState().slots)!;
    expect(store.getState().viewResults[key]).toEqual({ status: 'error', value: null, error: 'too wide' });
  });
});

describe('cell test and export', () => {
  it('runs a cell test on the held models once and keeps it', async () => {
    const { store, workers, calls } = setUp();
    await requestCellTest({ store, workers }, 0, 1, 'input', [2, 3]);
    await requestCellTest({ store, workers }, 0, 1, 'input', [2, 3]);
    expect(calls).toEqual([`cell job-o/a job-o/b input 2 3 ${CELL_PERMUTATIONS} 1`]);
    expect(store.getState().cellTests).toEqual({ 'job-o/a|job-o/b|input|2,3': { p: 0.01 } });
  });

  it('exports the loaded models from the compute worker (one still loading holds nothing back), nothing while none is loaded', async () => {
    vi.stubGlobal('window', { location: { origin: 'http://app.test', pathname: '/' } });
    const none = setUp([slot('o/a', false), slot('o/b', false)]);
    expect(await exportJson({ store: none.store, workers: none.workers })).toBeNull();
    const partial = setUp([slot('o/a', false), slot('o/b')]);
    const partialBlob = await exportJson({ store: partial.store, workers: partial.workers });
    expect(JSON.parse(await partialBlob!.text())).toMatchObject({ keys: ['job-o/b'], positions: [1] });
    const { store, workers } = setUp();
    store.setState((s) => ({ query: { ...s.query, models: [{ repo: 'o/a', revision: 'main' }] } }));
    const blob = await exportJson({ store, workers }, { lineage: { rows: [] } as never });
    const input = JSON.parse(await blob!.text()) as Record<string, unknown>;
    expect(input).toMatchObject({ hub: 'http://hub.test', keys: ['job-o/a', 'job-o/b'], lineage: { rows: [] } });
    expect(input.permalink).toMatch(/^http:\/\/app\.test\/\?.*o(\/|%2F)a/);
  });
});
