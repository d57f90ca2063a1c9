// Actions: plain functions beside the store. They start worker jobs and write results back. Those that
// reach the workers are made per store by createActions (wired once in wiring.ts); no module state.
import type { AppStore, ModelSlot } from './store';
import { evidenceKey } from './store';
import type { LoadProgress, PairMatrices, RepoRef } from '../core/types';
import type { ViewQuery } from '../core/permalink';
import { pairKey, planPairs } from '../core/pairs';
import type { Evidence } from '../core/verdict';
import type { ActionDeps } from './deps';
import { resolveHubUrl } from './hubUrl';
import { tokenFor } from './token';
import { planSlots } from './slotPlan';
import { addLocalFiles, type PickedFile } from './localModels';
import type { ViewResults } from './viewResults';
import { yieldToMain } from './yieldToMain';
import { figuresAtPositions } from '../core/exportFigures';

export interface ActionsDeps extends ActionDeps {
  /** the figure views' results of the same store (a new comparison tells them which models to keep) */
  viewResults: Pick<ViewResults, 'retainFigureModels'>;
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
 * Load every model of the query (in parallel, in the loader worker), then compute all pairs.
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

  const loader = c.workers.loader();
  const compute = c.workers.compute();
  // kept models go to the compute worker again: an older comparison may have let it forget them
  await Promise.all(
    slots.flatMap((s, i) => (s.model && !toLoad.includes(i) ? [compute.putModel(s.jobId, s.model)] : [])),
  );
  // marks let the benchmark tell long tasks during the network load from those after it
  performance.mark('normscope:load-start');
  await Promise.all(
    toLoad.map(async (index) => {
      const slot = slots[index]!;
      const onProgress = c.workers.proxy((progress: LoadProgress) => queueProgress(c, index, gen, progress));
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
      if (result.ok) {
        updateSlot(c, index, gen, { status: 'ready', model: result.model });
        // the compute worker keeps its own copy (sent by the loader itself when the two are
        // connected): later calls name the model instead of cloning it
        if (!result.sentToCompute) await compute.putModel(slot.jobId, result.model);
      } else
        updateSlot(c, index, gen, {
          status: result.error.kind === 'cancelled' ? 'cancelled' : 'error',
          error: result.error,
        });
    }),
  );
  if (gen !== c.generation) return;
  performance.mark('normscope:load-end');
  pinRevisions(store);
  await computePairs(c, gen);
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

async function computePairs(c: Ctx, gen: number): Promise<void> {
  const { store } = c;
  const slots = store.getState().slots;
  const models = slots.map((s) => s.model);
  const keyOf = (i: number) => slots[i]!.jobId;
  const plan = planPairs(models);
  store.setState({ computing: true, notComparable: plan.notComparable });
  const compute = c.workers.compute();
  const held = slots.flatMap((s) => (s.model ? [s.jobId] : []));
  await compute.retainModels(held);
  c.viewResults.retainFigureModels(held);
  // the pair and role on screen first: its heatmaps are drawn while the other pairs are computed
  const jobs = plan.comparable.flatMap(([a, b]) => (plan.roles[pairKey(a, b)] ?? []).map((norm) => ({ a, b, norm })));
  const { pair: requested, norm: shownNorm } = store.getState().query;
  // the requested pair when it can be computed, else the first comparable one
  const firstPair: [number, number] | null = jobs[0] ? [jobs[0].a, jobs[0].b] : null;
  const shownPair = requested && jobs.some((j) => isPair([j.a, j.b], requested)) ? requested : firstPair;
  const first = jobs.findIndex((j) => isPair([j.a, j.b], shownPair) && j.norm === shownNorm);
  const order = first > 0 ? [jobs[first]!, ...jobs.filter((_, k) => k !== first)] : jobs;
  const done = new Map<(typeof jobs)[number], PairMatrices>();
  // the store keeps the pairs in plan order (the export's order), whatever order they were computed in
  const inPlanOrder = () => jobs.flatMap((j) => (done.has(j) ? [done.get(j)!] : []));
  let totalMs = 0;
  for (const [k, job] of order.entries()) {
    const r = await compute.similarityOf(keyOf(job.a), keyOf(job.b), job.norm);
    if (gen !== c.generation) return;
    totalMs += r.ms;
    done.set(job, {
      a: job.a,
      b: job.b,
      norm: job.norm,
      rows: r.rows,
      cols: r.cols,
      cosine: r.cosine,
      pearson: r.pearson,
    });
    if (k === 0 && first >= 0 && order.length > 1) {
      store.setState({ pairs: inPlanOrder() });
      await yieldToMain();
    }
  }
  if (gen !== c.generation) return;
  store.setState({ pairs: inPlanOrder(), computeMs: totalMs });
  await yieldToMain();
  // figures of the loaded models (a failed one holds nothing back), numbered by query position
  const positions = slots.flatMap((s, i) => (s.model ? [i] : []));
  const figures =
    positions.length > 0
      ? figuresAtPositions(await compute.figuresOf(positions.map((i) => slots[i]!.jobId)), positions)
      : null;
  if (gen !== c.generation) return;
  store.setState({ figures });
  await yieldToMain();
  const evidence: Record<string, Evidence> = {};
  // the pair on screen first: its verdict card fills while the others are still running
  const shown = store.getState().query.pair;
  const ordered = [...plan.comparable].sort((x, y) => Number(isPair(y, shown)) - Number(isPair(x, shown)));
  for (const [a, b] of ordered) {
    const byRole = await compute.evidenceOf(keyOf(a), keyOf(b));
    if (gen !== c.generation) return;
    for (const norm of plan.roles[pairKey(a, b)] ?? []) {
      const e = byRole[norm];
      if (e) evidence[evidenceKey(a, b, norm)] = e;
    }
    store.setState({ evidence: { ...evidence } });
    await yieldToMain();
  }
  if (gen !== c.generation) return;
  const allSettled = store.getState().slots.every((s) => s.status !== 'loading');
  store.setState({ computing: false, analysisComplete: allSettled && models.some((m) => m !== null) });
}

function isPair(p: [number, number], q: [number, number] | null): boolean {
  return q !== null && p[0] === q[0] && p[1] === q[1];
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
