// Actions: plain functions beside the store. They start worker jobs and write results back. Those that
// reach the workers are made per store by createActions (wired once in wiring.ts); no module state.
import type { AppStore, ModelSlot } from './store';
import type { LoadProgress, RepoRef } from '../core/types';
import type { ViewQuery } from '../core/permalink';
import type { ActionDeps } from './deps';
import { resolveHubUrl } from './hubUrl';
import { tokenFor } from './token';
import { planSlots } from './slotPlan';
import { addLocalFiles, type PickedFile } from './localModels';
import type { ViewResults } from './viewResults';
import { createPairStream, type PairStream } from './pairStream';
import { evidenceOnWorkers } from '../compute/evidenceOnWorkers';

export interface ActionsDeps extends ActionDeps {
  /**
   * the figure views' results of the same store (a new comparison tells them which models to keep);
   * with figureKeys, the verdicts also use the figures worker
   */
  viewResults: Pick<ViewResults, 'retainFigureModels'> & Partial<Pick<ViewResults, 'figureKeys'>>;
  /** resolves the `demo` hub alias (document.baseURI in the app) */
  baseUri?: () => string;
}

/** The actions of one store that start worker jobs; the comparison's state lives in each instance. */
export interface Actions {
  runComparison(opts?: { useCache?: boolean }): Promise<void>;
  addLocalModels(picked: readonly PickedFile[], target?: number | null): void;
  removeModel(index: number): void;
  chooseQuant(index: number, quant: string): Promise<void>;
  cancelLoad(index: number): void;
  clearCache(): Promise<void>;
}

/** One store's comparison: its dependencies and what used to be module state. */
interface Ctx extends ActionsDeps {
  baseUri: () => string;
  jobCounter: number;
  /** a new comparison supersedes older ones: their late results are ignored */
  generation: number;
  pendingProgress: Map<number, LoadProgress>;
  progressTimer: ReturnType<typeof setTimeout> | null;
}

export function createActions({ baseUri = () => document.baseURI, ...deps }: ActionsDeps): Actions {
  const c: Ctx = { ...deps, baseUri, jobCounter: 0, generation: 0, pendingProgress: new Map(), progressTimer: null };
  return {
    runComparison: (opts) => runComparison(c, opts),
    addLocalModels: (picked, target) => addLocalModels(c, picked, target),
    removeModel: (index) => removeModel(c, index),
    chooseQuant: (index, quant) => chooseQuant(c, index, quant),
    cancelLoad: (index) => cancelLoad(c, index),
    clearCache: () => clearCache(c),
  };
}

export function setQuery(store: AppStore, patch: Partial<ViewQuery>): void {
  store.setState((s) => ({ query: { ...s.query, ...patch } }));
}

export function setHover(store: AppStore, cell: [number, number] | null): void {
  const prev = store.getState().hover;
  if (prev === cell || (prev && cell && prev[0] === cell[0] && prev[1] === cell[1])) return;
  store.setState({ hover: cell });
}

export { tokenFor } from './token';

function updateSlot(c: Ctx, index: number, gen: number, patch: Partial<ModelSlot>): void {
  if (gen !== c.generation) return;
  c.pendingProgress.delete(index);
  c.store.setState((s) => ({ slots: s.slots.map((slot, i) => (i === index ? { ...slot, ...patch } : slot)) }));
}

/**
 * Progress arrives once per response (hundreds a second when the data is fast); every store update
 * renders, so the reports of all slots are gathered and written together at most this often.
 */
export const PROGRESS_INTERVAL_MS = 100;

function queueProgress(c: Ctx, index: number, gen: number, progress: LoadProgress): void {
  const { pendingProgress } = c;
  if (gen !== c.generation) return;
  pendingProgress.set(index, progress);
  c.progressTimer ??= setTimeout(() => {
    c.progressTimer = null;
    if (gen !== c.generation || pendingProgress.size === 0) return pendingProgress.clear();
    const updates = new Map(pendingProgress);
    pendingProgress.clear();
    c.store.setState((s) => ({
      slots: s.slots.map((slot, i) =>
        updates.has(i) && slot.status === 'loading' ? { ...slot, progress: updates.get(i)! } : slot,
      ),
    }));
  }, PROGRESS_INTERVAL_MS);
}

/**
 * Load every model of the query (in parallel, in the loader worker); each pair is computed as soon as both
 * of its models are in (see pairStream).
 * Models the last comparison already loaded are kept (see planSlots); `useCache: false` reads all again.
 */
async function runComparison(c: Ctx, opts: { useCache?: boolean } = {}): Promise<void> {
  const { store } = c;
  const gen = ++c.generation;
  c.pendingProgress.clear();
  const before = store.getState();
  const hubUrl = resolveHubUrl(before.query.hub, c.baseUri());
  const { slots, toLoad } = planSlots(before.query.models, before.slots, {
    hubUrl,
    previousHubUrl: before.hubUrl,
    local: before.local,
    reuse: opts.useCache ?? true,
    newJobId: () => `job-${++c.jobCounter}`,
  });
  store.setState({
    hubUrl,
    slots,
    pairs: [],
    notComparable: [],
    figures: null,
    evidence: {},
    analysisComplete: false,
    computeMs: null,
    notice: null,
  });
  if (slots.length === 0) return;

  // the loader first: its worker's start-up is what the first request waits for
  if (toLoad.length > 0) c.workers.loader();
  const compute = c.workers.compute();
  const current = () => gen === c.generation;
  const keys = slots.map((s) => s.jobId);
  const figureKeys = c.viewResults.figureKeys;
  const stream = createPairStream(
    {
      store,
      compute,
      current,
      // a pair's verdict parts run on both compute workers: the figures worker gets the two models once
      ...(figureKeys
        ? {
            evidenceOf: (a: number, b: number) =>
              evidenceOnWorkers([
                { api: compute, keys: () => [keys[a]!, keys[b]!] },
                { api: c.workers.figures(), keys: async () => (await figureKeys([a, b])) as [string, string] },
              ]),
          }
        : {}),
    },
    keys,
  );
  // kept models go to the compute worker again: an older comparison may have let it forget them
  const kept = slots.flatMap((s, i) => (s.model && !toLoad.includes(i) ? [i] : []));
  await Promise.all(kept.map((i) => compute.putModel(slots[i]!.jobId, slots[i]!.model!)));
  kept.forEach((i) => stream.modelReady(i));
  // marks let the benchmark tell long tasks during the network load from those after it
  performance.mark('normscope:load-start');
  // each model's pairs are computed as soon as it is in, without waiting for the other loads
  await Promise.all(toLoad.map((index) => loadSlot(c, gen, index, hubUrl, opts, stream)));
  if (!current()) return;
  performance.mark('normscope:load-end');
  pinRevisions(store);
  const held = store.getState().slots.flatMap((s) => (s.model ? [s.jobId] : []));
  await compute.retainModels(held);
  c.viewResults.retainFigureModels(held);
  await stream.loadsSettled();
  // every verdict is in: what the loads read goes to the cache now, if the loader has not started it
  if (toLoad.length > 0) void c.workers.loader().flushCacheWrites();
}

/** Load one slot's model; once it is in the compute worker, the stream computes its pairs. */
async function loadSlot(
  c: Ctx,
  gen: number,
  index: number,
  hubUrl: string,
  opts: { useCache?: boolean },
  stream: PairStream,
): Promise<void> {
  const { store } = c;
  const slot = store.getState().slots[index]!;
  const onProgress = c.workers.proxy((progress: LoadProgress) => queueProgress(c, index, gen, progress));
  const loader = c.workers.loader();
  const result = slot.localFiles
    ? await loader.loadLocal(
        { jobId: slot.jobId, label: slot.ref.repo, entries: slot.localFiles.entries, files: slot.localFiles.files },
        onProgress,
      )
    : await loader.load(
        {
          jobId: slot.jobId,
          hub: hubUrl,
          repo: slot.ref.repo,
          revision: slot.ref.revision,
          ...(slot.ref.quant ? { quant: slot.ref.quant } : {}),
          token: tokenFor(store, hubUrl),
          useCache: opts.useCache ?? true,
        },
        onProgress,
      );
  if (gen !== c.generation) return;
  if (!result.ok) {
    updateSlot(c, index, gen, {
      status: result.error.kind === 'cancelled' ? 'cancelled' : 'error',
      error: result.error,
    });
    return;
  }
  updateSlot(c, index, gen, { status: 'ready', model: result.model });
  // the compute worker keeps its own copy (sent by the loader itself when the two are
  // connected): later calls name the model instead of cloning it
  if (!result.sentToCompute) await c.workers.compute().putModel(slot.jobId, result.model);
  stream.modelReady(index);
}

/** Files dropped or picked (anywhere, or on one slot's drop zone) join the comparison as local models. */
function addLocalModels(c: Ctx, picked: readonly PickedFile[], target: number | null = null): void {
  const { store } = c;
  const { query, local } = store.getState();
  const added = addLocalFiles(query.models, local, picked, target);
  store.setState({ local: added.local, localSkipped: added.skipped, query: { ...query, models: added.models } });
  if (added.models !== query.models && added.models.length > 0) void runComparison(c);
}

/** Take one model out of the comparison; the others stay loaded. */
function removeModel(c: Ctx, index: number): void {
  const { store } = c;
  const { query, local } = store.getState();
  const removed = query.models[index];
  if (!removed) return;
  cancelLoad(c, index);
  const models = query.models.filter((_, i) => i !== index);
  const stillNamed = models.some((m) => m.local && m.repo === removed.repo);
  const nextLocal = { ...local };
  if (removed.local && !stillNamed) delete nextLocal[removed.repo];
  store.setState({ local: nextLocal, query: { ...query, models, pair: null, cell: null } });
  void runComparison(c);
}

/** After loading, the permalink names each model by the commit it was read at. */
function pinRevisions(store: AppStore): void {
  const { slots, query } = store.getState();
  const models: RepoRef[] = query.models.map((ref, i) => {
    const m = slots[i]?.model;
    return m && !ref.local ? { repo: ref.repo, revision: m.sha, ...(m.quant ? { quant: m.quant } : {}) } : ref;
  });
  store.setState({ query: { ...query, models } });
}

/** Read another quantization of a GGUF repo: the permalink names it, and the comparison re-runs. */
async function chooseQuant(c: Ctx, index: number, quant: string): Promise<void> {
  const { store } = c;
  const { query } = store.getState();
  const models = query.models.map((ref, i) => (i === index ? { ...ref, quant } : ref));
  store.setState({ query: { ...query, models } });
  await runComparison(c);
}

function cancelLoad(c: Ctx, index: number): void {
  const slot = c.store.getState().slots[index];
  if (slot && slot.status === 'loading') void c.workers.loader().cancel(slot.jobId);
}

async function clearCache({ store, workers }: Ctx): Promise<void> {
  try {
    await workers.loader().clearCache();
    store.setState({ notice: 'Cache cleared: the next load reads from the network.' });
  } catch (err) {
    store.setState({ notice: `Could not clear the cache: ${err instanceof Error ? err.message : String(err)}` });
  }
}
