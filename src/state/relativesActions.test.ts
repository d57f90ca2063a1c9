// The relatives actions with fake dependencies: a search from a model line writes relatives= into the
// permalink and its state into the store; a new search or cancel stops the one running.
import { describe, expect, it } from 'vitest';
import { createAppStore } from './store';
import { createRelativesActions, relativesFromQuery } from './relativesActions';
import type { RelativesDeps } from './relativesSearch';
import type { LoadedModel } from '../core/types';
import type { Evidence } from '../core/verdict';
import type { ViewQuery } from '../core/permalink';

const model = (repo: string, values: number[]): LoadedModel =>
  ({
    repo,
    sha: 'a'.repeat(40),
    source: 'hub',
    hiddenSize: values.length,
    modelType: 'llama',
    roles: ['input'],
    roleWidths: { input: values.length },
    layers: [{ input: Float32Array.from(values) }],
    declared: null,
    transfer: { requests: 0, bytes: 0, minimumBytes: 0, cachedBytes: 0, resolves: 2 },
    apiCalls: 1,
  }) as unknown as LoadedModel;

function fakeDeps(gate?: Promise<void>): RelativesDeps {
  return {
    listRoots: async () => {
      await gate;
      return {
        roots: [{ id: 'h/root', sha: 'b'.repeat(40), downloads: 10, modelType: 'llama' }],
        listed: 3,
        apiCalls: 1,
        fromCache: false,
      };
    },
    listChildren: async () => ({ base: 'o/t', children: [], more: false, apiCalls: 1, fromCache: false }),
    readWidth: async () => ({ width: 4, modelType: 'llama', resolves: 1 }),
    load: async (repo) => model(repo, [1, 2, 3, 4]),
    compare: async () => ({
      input: {
        verdict: 'shared-ancestry',
        diagonalPearson: 0.9,
        pValue: 0.01,
        alignment: [[0, 0]],
      } as unknown as Evidence,
    }),
  };
}

const query: ViewQuery = {
  hub: 'https://hub.example',
  models: [],
  view: 'compare',
  pair: null,
  cell: null,
  extra: {},
} as unknown as ViewQuery;

describe('relatives actions', () => {
  it('a search from a model line: relatives= in the permalink, the lineage view, the judged candidates in the store', async () => {
    const store = createAppStore(query);
    store.setState({ slots: [{ model: model('o/t', [1, 2, 3, 5]) } as never] });
    const actions = createRelativesActions({
      store,
      deps: () => fakeDeps(),
      loadTarget: async () => model('o/t', [1, 2, 3, 5]),
    });
    await actions.findForSlot(0);
    const s = store.getState();
    expect(s.query.extra.relatives).toBe('o/t');
    expect(s.query.view).toBe('lineage');
    expect(s.relatives?.status, s.relatives?.error ?? '').toBe('done');
    expect(s.relatives?.candidates.map((c) => [c.candidate.id, c.judgement?.status])).toEqual([
      ['h/root', 'undeclared'],
    ]);
    // spent: list pages 2 + 1 model-info; resolves: 1 config + 2 of the load
    expect(s.relatives?.spent).toEqual({ api: 3, resolves: 3 });
  });

  it('cancel stops the search and says so', async () => {
    const store = createAppStore(query);
    store.setState({ slots: [{ model: model('o/t', [1, 2, 3, 5]) } as never] });
    let open: () => void = () => undefined;
    const gate = new Promise<void>((r) => (open = r));
    const actions = createRelativesActions({
      store,
      deps: () => fakeDeps(gate),
      loadTarget: async () => model('o/t', [1]),
    });
    const running = actions.findForSlot(0);
    actions.cancel();
    open();
    await running;
    expect(store.getState().relatives?.status).toBe('cancelled');
  });

  it('reads relatives= and limit= from the permalink, and says what is wrong', () => {
    expect(relativesFromQuery({ relatives: 'o/t', limit: '50' })).toEqual({ repo: 'o/t', limit: 50 });
    expect(relativesFromQuery({})).toBeNull();
    expect(relativesFromQuery({ relatives: 'no spaces/allowed here' })).toHaveProperty('error');
  });
});
