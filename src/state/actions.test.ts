// The comparison actions with fake workers: the load/compare flow, a newer comparison dropping an
// older one's late results, progress throttling, models kept across comparisons, cancel and the
// cache. No browser and no real worker: createActions gets its store and workers injected.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Workers } from '../compute/client';
import type { LoadRequest, LoadResult } from '../compute/protocol';
import { parseQuery } from '../core/permalink';
import type { LoadedModel, LoadProgress } from '../core/types';
import { createActions, PROGRESS_INTERVAL_MS } from './actions';
import { createAppStore } from './store';

interface PendingLoad {
  req: LoadRequest;
  onProgress: (p: LoadProgress) => void;
  resolve(r: LoadResult): void;
}

/** One input-norm role of width 4: any two such models compare on 'input'. */
const model = (repo: string, sha = `${repo.replace('/', '-')}-sha`) =>
  ({ repo, sha, hiddenSize: 4, roles: ['input'], roleWidths: { input: 4 } }) as unknown as LoadedModel;

/** A loader whose loads wait until the test answers them; a compute worker that logs its calls. */
function fakeWorkers() {
  const loads: PendingLoad[] = [];
  const calls: string[] = [];
  const loader = {
    load: (req: LoadRequest, onProgress: (p: LoadProgress) => void) =>
      new Promise<LoadResult>((resolve) => loads.push({ req, onProgress, resolve })),
    cancel: async (jobId: string) => void calls.push(`cancel ${jobId}`),
    clearCache: vi.fn(async () => undefined),
    flushCacheWrites: async () => void calls.push('flush cache writes'),
  };
  const compute = {
    putModel: async (key: string) => void calls.push(`put ${key}`),
    retainModels: async (keys: string[]) => void calls.push(`retain ${keys.join(',')}`),
    similarityOf: async (a: string, b: string, norm: string) => {
      calls.push(`similarity ${a} ${b} ${norm}`);
      return { ms: 5, rows: 1, cols: 1, cosine: new Float32Array([0.5]), pearson: new Float32Array([0.25]) };
    },
    figuresOf: async (keys: string[]) => {
      calls.push(`figures ${keys.join(',')}`);
      return { keys, stats: [], diff: [], pca: null, withinLayer: [] } as unknown;
    },
    evidenceOf: async (a: string, b: string) => {
      calls.push(`evidence ${a} ${b}`);
      return { input: { pair: `${a}|${b}` } };
    },
  };
  const workers = {
    loader: () => loader,
    compute: () => compute,
    proxy: <T extends object>(fn: T) => fn,
  } as unknown as Workers;
  return { workers, loader, loads, calls };
}

const tick = () => new Promise((r) => setTimeout(r, 0));
async function flush(): Promise<void> {
  for (let i = 0; i < 30; i++) await tick();
}

function setUp(search = '?m=org/a&m=org/b&hub=http://hub.test') {
  const store = createAppStore(parseQuery(search).query);
  const fake = fakeWorkers();
  const retained: string[][] = [];
  const actions = createActions({
    store,
    workers: fake.workers,
    viewResults: { retainFigureModels: (ids) => void retained.push([...ids]) },
    baseUri: () => 'http://localhost/',
  });
  return { store, actions, retained, ...fake };
}

const ok = (m: LoadedModel, sentToCompute = false): LoadResult => ({ ok: true, model: m, sentToCompute });

afterEach(() => {
  vi.useRealTimers();
});

describe('comparison actions: flow and generations', () => {
  it('loads every model, computes the pairs, figures and evidence, and pins the revisions', async () => {
    const { store, actions, loads, calls, retained } = setUp();
    const done = actions.runComparison();
    await flush();
    expect(loads.map((l) => l.req.repo)).toEqual(['org/a', 'org/b']);
    expect(loads.map((l) => l.req.jobId)).toEqual(['job-1', 'job-2']);
    expect(loads[0]!.req.hub).toBe('http://hub.test');
    expect(store.getState().slots.map((s) => s.status)).toEqual(['loading', 'loading']);
    loads[0]!.resolve(ok(model('org/a'), true)); // the loader sent it to the compute worker itself
    loads[1]!.resolve(ok(model('org/b')));
    await done;
    const s = store.getState();
    expect(s.slots.map((x) => x.status)).toEqual(['ready', 'ready']);
    // only the model the loader did not send is put by the main thread
    expect(calls.filter((c) => c.startsWith('put'))).toEqual(['put job-2']);
    expect(calls).toContain('retain job-1,job-2');
    expect(retained).toEqual([['job-1', 'job-2']]);
    expect(calls).toContain('similarity job-1 job-2 input');
    expect(s.pairs).toHaveLength(1);
    expect(s.pairs[0]).toMatchObject({ a: 0, b: 1, norm: 'input', rows: 1, cols: 1 });
    expect(s.computeMs).toBe(5);
    expect(s.figures).toEqual({ stats: [], diff: [], pca: null, withinLayer: [] });
    expect(s.evidence).toEqual({ '0,1,input': { pair: 'job-1|job-2' } });
    expect(s.computing).toBe(false);
    expect(s.analysisComplete).toBe(true);
    expect(s.query.models).toEqual([
      { repo: 'org/a', revision: 'org-a-sha' },
      { repo: 'org/b', revision: 'org-b-sha' },
    ]);
  });

  it('a failed load marks its slot and the comparison is not complete without models', async () => {
    const { store, actions, loads, calls } = setUp();
    const done = actions.runComparison();
    await flush();
    loads[0]!.resolve({ ok: false, error: { kind: 'repo-not-found', message: 'no such repo' } } as LoadResult);
    loads[1]!.resolve({ ok: false, error: { kind: 'cancelled', message: 'stopped' } } as LoadResult);
    await done;
    const s = store.getState();
    expect(s.slots.map((x) => x.status)).toEqual(['error', 'cancelled']);
    expect(s.slots[0]!.error?.message).toBe('no such repo');
    expect(calls.some((c) => c.startsWith('similarity') || c.startsWith('figures'))).toBe(false);
    expect(s.analysisComplete).toBe(false);
  });

  it('a newer comparison drops the late results of an older one', async () => {
    const { store, actions, loads, calls } = setUp();
    const first = actions.runComparison();
    await flush();
    // the user changes the comparison while the first one loads
    store.setState((s) => ({ query: { ...s.query, models: [{ repo: 'org/c', revision: 'main' }] } }));
    const second = actions.runComparison();
    await flush();
    expect(loads.map((l) => l.req.jobId)).toEqual(['job-1', 'job-2', 'job-3']);
    // the first comparison's answers arrive late: slot 0 is now org/c's and stays loading
    loads[0]!.resolve(ok(model('org/a')));
    loads[1]!.resolve(ok(model('org/b')));
    await first;
    let s = store.getState();
    expect(s.slots).toHaveLength(1);
    expect(s.slots[0]!.jobId).toBe('job-3');
    expect(s.slots[0]!.status).toBe('loading');
    expect(s.slots[0]!.model).toBeNull();
    expect(calls.some((c) => c.startsWith('similarity') || c.startsWith('retain'))).toBe(false);
    expect(s.query.models).toEqual([{ repo: 'org/c', revision: 'main' }]);
    loads[2]!.resolve(ok(model('org/c')));
    await second;
    s = store.getState();
    expect(s.slots[0]!.model?.repo).toBe('org/c');
    expect(calls).toContain('retain job-3');
    expect(s.query.models).toEqual([{ repo: 'org/c', revision: 'org-c-sha' }]);
  });
});

describe('comparison actions: progress, kept models, cancel, cache', () => {
  it('gathers progress reports and writes them at most once per interval, never for an old comparison', async () => {
    const { store, actions, loads } = setUp();
    void actions.runComparison();
    await flush();
    vi.useFakeTimers();
    let writes = 0;
    const unsubscribe = store.subscribe(() => void writes++);
    const progress = (bytes: number) => ({ bytes }) as unknown as LoadProgress;
    for (let k = 1; k <= 50; k++) {
      loads[0]!.onProgress(progress(k));
      loads[1]!.onProgress(progress(100 + k));
    }
    expect(writes).toBe(0);
    vi.advanceTimersByTime(PROGRESS_INTERVAL_MS - 1);
    expect(writes).toBe(0);
    vi.advanceTimersByTime(1);
    expect(writes).toBe(1);
    expect(store.getState().slots.map((s) => s.progress)).toEqual([progress(50), progress(150)]);
    // a report queued before a newer comparison starts is dropped with it
    loads[0]!.onProgress(progress(51));
    store.setState((s) => ({ query: { ...s.query, models: [{ repo: 'org/c', revision: 'main' }] } }));
    void actions.runComparison();
    const afterRestart = writes;
    loads[0]!.onProgress(progress(52));
    vi.advanceTimersByTime(PROGRESS_INTERVAL_MS * 3);
    expect(writes).toBe(afterRestart);
    expect(store.getState().slots[0]!.progress).toBeNull();
    unsubscribe();
  });

  it('keeps loaded models across comparisons: they are put to the compute worker again, not re-read', async () => {
    const { store, actions, loads, calls, retained } = setUp();
    const first = actions.runComparison();
    await flush();
    loads[0]!.resolve(ok(model('org/a'), true));
    loads[1]!.resolve(ok(model('org/b'), true));
    await first;
    calls.length = 0;
    // org/b leaves, org/d joins: org/a is kept (pinned to its sha), only org/d is read
    store.setState((s) => ({
      query: { ...s.query, models: [s.query.models[0]!, { repo: 'org/d', revision: 'main' }] },
    }));
    const second = actions.runComparison();
    await flush();
    expect(loads.map((l) => l.req.repo)).toEqual(['org/a', 'org/b', 'org/d']);
    expect(calls).toEqual(['put job-1']);
    loads[2]!.resolve(ok(model('org/d'), true));
    await second;
    expect(calls).toContain('retain job-1,job-3');
    expect(retained.at(-1)).toEqual(['job-1', 'job-3']);
    // useCache: false reads everything again
    const third = actions.runComparison({ useCache: false });
    await flush();
    expect(loads.slice(3).map((l) => [l.req.repo, l.req.useCache])).toEqual([
      ['org/a', false],
      ['org/d', false],
    ]);
    loads[3]!.resolve(ok(model('org/a'), true));
    loads[4]!.resolve(ok(model('org/d'), true));
    await third;
  });

  it('cancels only a loading slot, removes a model and re-runs, and clears the cache with a notice', async () => {
    const { store, actions, loads, calls, loader } = setUp();
    void actions.runComparison();
    await flush();
    loads[0]!.resolve(ok(model('org/a'), true));
    await flush();
    actions.cancelLoad(0); // ready: nothing to cancel
    actions.cancelLoad(1);
    expect(calls.filter((c) => c.startsWith('cancel'))).toEqual(['cancel job-2']);
    actions.removeModel(1);
    // the first comparison never finished, so nothing was pinned yet
    expect(store.getState().query.models).toEqual([{ repo: 'org/a', revision: 'main' }]);
    await flush();
    expect(store.getState().slots.map((s) => s.jobId)).toEqual(['job-1']);
    await actions.clearCache();
    expect(loader.clearCache).toHaveBeenCalledTimes(1);
    expect(store.getState().notice).toMatch(/^Cache cleared/);
    loader.clearCache.mockRejectedValueOnce(new Error('quota'));
    await actions.clearCache();
    expect(store.getState().notice).toBe('Could not clear the cache: quota');
  });

  it('two stores have their own comparisons: no state is shared between instances', async () => {
    const one = setUp();
    const two = setUp();
    void one.actions.runComparison();
    void two.actions.runComparison();
    await flush();
    expect(one.loads.map((l) => l.req.jobId)).toEqual(['job-1', 'job-2']);
    expect(two.loads.map((l) => l.req.jobId)).toEqual(['job-1', 'job-2']);
    two.loads[0]!.resolve(ok(model('org/a'), true));
    await flush();
    expect(two.store.getState().slots[0]!.status).toBe('ready');
    expect(one.store.getState().slots[0]!.status).toBe('loading');
  });
});

describe('comparison actions: compute as data lands', () => {
  it('computes and shows a pair as soon as its two models are in, before an unrelated model loads', async () => {
    const { store, actions, loads, calls } = setUp('?m=org/a&m=org/b&m=org/c&hub=http://hub.test');
    const done = actions.runComparison();
    await flush();
    loads[0]!.resolve(ok(model('org/a'), true));
    loads[1]!.resolve(ok(model('org/b'), true));
    await flush();
    // org/c still loading: pair (0,1) already has its heatmap and its verdict
    expect(store.getState().slots.map((s) => s.status)).toEqual(['ready', 'ready', 'loading']);
    expect(calls).toContain('similarity job-1 job-2 input');
    expect(store.getState().pairs.map((p) => [p.a, p.b])).toEqual([[0, 1]]);
    expect(store.getState().evidence['0,1,input']).toEqual({ pair: 'job-1|job-2' });
    expect(store.getState().analysisComplete).toBe(false);
    loads[2]!.resolve(ok(model('org/c'), true));
    await done;
    const s = store.getState();
    expect(s.pairs.map((p) => [p.a, p.b])).toEqual([
      [0, 1],
      [0, 2],
      [1, 2],
    ]);
    expect(Object.keys(s.evidence).sort()).toEqual(['0,1,input', '0,2,input', '1,2,input']);
    expect(s.analysisComplete).toBe(true);
    // the figures (the export's statistics) come after every verdict
    const lastEvidence = calls.map((c) => c.startsWith('evidence')).lastIndexOf(true);
    expect(calls.findIndex((c) => c.startsWith('figures'))).toBeGreaterThan(lastEvidence);
  });

  it('heatmaps before verdicts, the shown pair first', async () => {
    const { store, actions, loads, calls } = setUp('?m=org/a&m=org/b&m=org/c&hub=http://hub.test&pair=1,2');
    expect(store.getState().query.pair).toEqual([1, 2]);
    const done = actions.runComparison();
    await flush();
    // all three land together: the shown pair (1,2) first, every matrix before any verdict, the shown
    // pair's verdict first
    loads.forEach((l, i) => l.resolve(ok(model(['org/a', 'org/b', 'org/c'][i]!), true)));
    await done;
    const work = calls.filter((c) => c.startsWith('similarity') || c.startsWith('evidence'));
    expect(work).toEqual([
      'similarity job-2 job-3 input',
      'similarity job-1 job-2 input',
      'similarity job-1 job-3 input',
      'evidence job-2 job-3',
      'evidence job-1 job-2',
      'evidence job-1 job-3',
    ]);
    expect(store.getState().pairs.map((p) => [p.a, p.b])).toEqual([
      [0, 1],
      [0, 2],
      [1, 2],
    ]);
  });
});
