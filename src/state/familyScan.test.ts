// The family scan with fake workers: listing errors, failing children, cancellation and a new run
// superseding the last. No browser and no real worker: the scan gets its store and workers injected.
import { describe, expect, it } from 'vitest';
import type { Workers } from '../compute/client';
import type { LoadRequest, LoadResult } from '../compute/protocol';
import { parseQuery } from '../core/permalink';
import type { LoadedModel } from '../core/types';
import { createFamilyScan } from './familyScan';
import { createAppStore } from './store';

interface PendingLoad {
  req: LoadRequest;
  resolve(r: LoadResult): void;
}

/** A loader whose loads wait until the test answers them, and a pool that counts what it holds. */
function fakeWorkers(children: string[], listOk = true) {
  const loads: PendingLoad[] = [];
  const cancelled: string[] = [];
  const held = new Set<string>();
  const loader = {
    listChildren: async () =>
      listOk
        ? {
            ok: true as const,
            list: {
              children: children.map((id, i) => ({
                id,
                sha: null,
                relation: 'finetune' as const,
                downloads: 100 - i,
                gated: false,
                gguf: false,
                createdAt: null,
              })),
              more: false,
              apiCalls: 1,
              fromCache: false,
            },
          }
        : { ok: false as const, error: { kind: 'network' as const, message: 'offline' } },
    load: (req: LoadRequest) => new Promise<LoadResult>((resolve) => loads.push({ req, resolve })),
    cancel: async (jobId: string) => {
      cancelled.push(jobId);
    },
  };
  const worker = {
    // a scan places its models as the scan's, so a new comparison's retainModels leaves them
    putModel: async (key: string, _model: unknown, by?: string) =>
      void held.add(by === 'scan' ? key : `${key} (not the scan's)`),
    forgetModel: async (key: string) => void held.delete(key),
    evidenceOf: async () => ({}),
  };
  const workers = {
    loader: () => loader,
    computePool: () => [worker],
    proxy: <T extends object>(fn: T) => fn,
  } as unknown as Workers;
  return { workers, loads, cancelled, held };
}

const model = (repo: string) => ({ repo, sha: 'a'.repeat(40), apiCalls: 2 }) as unknown as LoadedModel;
const tick = () => new Promise((r) => setTimeout(r, 0));

function setUp(children: string[], listOk = true) {
  const store = createAppStore(parseQuery('').query);
  const fake = fakeWorkers(children, listOk);
  const scan = createFamilyScan({ store, workers: fake.workers, baseUri: () => 'http://localhost/' });
  return { store, scan, ...fake };
}

describe('family scan', () => {
  it('reports a listing error', async () => {
    const { store, scan } = setUp([], false);
    await scan.run('org/base', 5);
    expect(store.getState().scan).toMatchObject({ status: 'error', error: { kind: 'network' } });
  });

  it('marks a child that fails to load, counts its model-info call, and finishes', async () => {
    const { store, scan, loads, held } = setUp(['org/child']);
    const done = scan.run('org/base', 5);
    await tick();
    expect(loads.map((l) => l.req.repo)).toEqual(['org/base']);
    loads[0]!.resolve({ ok: true, model: model('org/base'), sentToCompute: false });
    await tick();
    expect(held.has('scan-1-base')).toBe(true);
    expect(loads[1]!.req).toMatchObject({ repo: 'org/child', jobId: 'scan-1-org/child', keepFromCompute: true });
    loads[1]!.resolve({ ok: false, error: { kind: 'repo-not-found', message: 'gone' } });
    await done;
    const s = store.getState().scan!;
    expect(s.status).toBe('done');
    expect(s.children[0]).toMatchObject({ id: 'org/child', status: 'error', error: { kind: 'repo-not-found' } });
    // list (1) + base model info (2) + the failed child's model-info call (1)
    expect(s.apiCalls).toBe(4);
    expect(held.size).toBe(0);
  });

  it('cancel stops the loads in flight and drops their late answers', async () => {
    const { store, scan, loads, cancelled } = setUp(['org/child']);
    const done = scan.run('org/base', 5);
    await tick();
    expect(store.getState().scan?.status).toBe('loading-base');
    scan.cancel();
    expect(cancelled).toEqual(['scan-base-1']);
    expect(store.getState().scan).toBeNull();
    loads[0]!.resolve({ ok: true, model: model('org/base'), sentToCompute: false });
    await done;
    expect(store.getState().scan).toBeNull();
    expect(loads).toHaveLength(1);
  });

  it('a new run cancels the last one, whose answers then change nothing', async () => {
    const { store, scan, loads, cancelled } = setUp([]);
    const first = scan.run('org/first', 5);
    await tick();
    const second = scan.run('org/second', 5);
    expect(cancelled).toEqual(['scan-base-1']);
    await tick();
    loads[0]!.resolve({ ok: false, error: { kind: 'cancelled', message: 'cancelled' } });
    await first;
    expect(store.getState().scan).toMatchObject({ base: 'org/second', status: 'loading-base' });
    loads[1]!.resolve({ ok: true, model: model('org/second'), sentToCompute: false });
    await second;
    expect(store.getState().scan).toMatchObject({ base: 'org/second', status: 'done', children: [] });
  });
});
