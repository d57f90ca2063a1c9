// Actions: plain functions beside the store. They start worker jobs and write results back.
import type { AppStore, ModelSlot } from './store';
import { evidenceKey } from './store';
import type { LoadProgress, PairMatrices, RepoRef } from '../core/types';
import type { ViewQuery } from '../core/permalink';
import { pairKey, planPairs } from '../core/pairs';
import type { Evidence } from '../core/verdict';
import { loaderWorker, computeWorker, Comlink } from '../compute/client';
import { resolveHubUrl } from './hubUrl';
import { tokenFor } from './token';
import { planSlots } from './slotPlan';
import { addLocalFiles, type PickedFile } from './localModels';
import { retainFigureModels } from './viewResults';
import { yieldToMain } from './yieldToMain';

let jobCounter = 0;
/** a new comparison supersedes older ones: their late results are ignored */
let generation = 0;

export function setQuery(store: AppStore, patch: Partial<ViewQuery>): void {
  store.setState((s) => ({ query: { ...s.query, ...patch } }));
}

export function setHover(store: AppStore, cell: [number, number] | null): void {
  const prev = store.getState().hover;
  if (prev === cell || (prev && cell && prev[0] === cell[0] && prev[1] === cell[1])) return;
  store.setState({ hover: cell });
}

export { tokenFor } from './token';

function updateSlot(store: AppStore, index: number, gen: number, patch: Partial<ModelSlot>): void {
  if (gen !== generation) return;
  pendingProgress.delete(index);
  store.setState((s) => ({ slots: s.slots.map((slot, i) => (i === index ? { ...slot, ...patch } : slot)) }));
}

/**
 * Progress arrives once per response (hundreds a second when the data is fast); every store update
 * renders, so the reports of all slots are gathered and written together at most this often.
 */
const PROGRESS_INTERVAL_MS = 100;
const pendingProgress = new Map<number, LoadProgress>();
let progressTimer: ReturnType<typeof setTimeout> | null = null;

function queueProgress(store: AppStore, index: number, gen: number, progress: LoadProgress): void {
  if (gen !== generation) return;
  pendingProgress.set(index, progress);
  progressTimer ??= setTimeout(() => {
    progressTimer = null;
    if (gen !== generation || pendingProgress.size === 0) return pendingProgress.clear();
    const updates = new Map(pendingProgress);
    pendingProgress.clear();
    store.setState((s) => ({
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
export async function runComparison(store: AppStore, opts: { useCache?: boolean } = {}): Promise<void> {
  const gen = ++generation;
  pendingProgress.clear();
  const before = store.getState();
  const hubUrl = resolveHubUrl(before.query.hub, document.baseURI);
  const { slots, toLoad } = planSlots(before.query.models, before.slots, {
    hubUrl,
    previousHubUrl: before.hubUrl,
    local: before.local,
    reuse: opts.useCache ?? true,
    newJobId: () => `job-${++jobCounter}`,
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

  const loader = loaderWorker();
  const compute = computeWorker();
  // kept models go to the compute worker again: an older comparison may have let it forget them
  await Promise.all(
    slots.flatMap((s, i) => (s.model && !toLoad.includes(i) ? [compute.putModel(s.jobId, s.model)] : [])),
  );
  // marks let the benchmark tell long tasks during the network load from those after it
  performance.mark('normscope:load-start');
  await Promise.all(
    toLoad.map(async (index) => {
      const slot = slots[index]!;
      const onProgress = Comlink.proxy((progress: LoadProgress) => queueProgress(store, index, gen, progress));
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
        updateSlot(store, index, gen, { status: 'ready', model: result.model });
        // the compute worker keeps its own copy (sent by the loader itself when the two are
        // connected): later calls name the model instead of cloning it
        if (!result.sentToCompute) await compute.putModel(slot.jobId, result.model);
      } else
        updateSlot(store, index, gen, {
          status: result.error.kind === 'cancelled' ? 'cancelled' : 'error',
          error: result.error,
        });
    }),
  );
  if (gen !== generation) return;
  performance.mark('normscope:load-end');
  pinRevisions(store);
  await computePairs(store, gen);
}

/** Files dropped or picked (anywhere, or on one slot's drop zone) join the comparison as local models. */
export function addLocalModels(store: AppStore, picked: readonly PickedFile[], target: number | null = null): void {
  const { query, local } = store.getState();
  const added = addLocalFiles(query.models, local, picked, target);
  store.setState({ local: added.local, localSkipped: added.skipped, query: { ...query, models: added.models } });
  if (added.models !== query.models && added.models.length > 0) void runComparison(store);
}

/** Take one model out of the comparison; the others stay loaded. */
export function removeModel(store: AppStore, index: number): void {
  const { query, local } = store.getState();
  const removed = query.models[index];
  if (!removed) return;
  cancelLoad(store, index);
  const models = query.models.filter((_, i) => i !== index);
  const stillNamed = models.some((m) => m.local && m.repo === removed.repo);
  const nextLocal = { ...local };
  if (removed.local && !stillNamed) delete nextLocal[removed.repo];
  store.setState({ local: nextLocal, query: { ...query, models, pair: null, cell: null } });
  void runComparison(store);
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

async function computePairs(store: AppStore, gen: number): Promise<void> {
  const slots = store.getState().slots;
  const models = slots.map((s) => s.model);
  const keyOf = (i: number) => slots[i]!.jobId;
  const plan = planPairs(models);
  store.setState({ computing: true, notComparable: plan.notComparable });
  const compute = computeWorker();
  const held = slots.flatMap((s) => (s.model ? [s.jobId] : []));
  await compute.retainModels(held);
  retainFigureModels(held);
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
    if (gen !== generation) return;
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
  if (gen !== generation) return;
  store.setState({ pairs: inPlanOrder(), computeMs: totalMs });
  await yieldToMain();
  const allLoaded = models.every((m) => m !== null);
  const figures = allLoaded && models.length > 0 ? await compute.figuresOf(slots.map((s) => s.jobId)) : null;
  if (gen !== generation) return;
  store.setState({ figures });
  await yieldToMain();
  const evidence: Record<string, Evidence> = {};
  // the pair on screen first: its verdict card fills while the others are still running
  const shown = store.getState().query.pair;
  const ordered = [...plan.comparable].sort((x, y) => Number(isPair(y, shown)) - Number(isPair(x, shown)));
  for (const [a, b] of ordered) {
    const byRole = await compute.evidenceOf(keyOf(a), keyOf(b));
    if (gen !== generation) return;
    for (const norm of plan.roles[pairKey(a, b)] ?? []) {
      const e = byRole[norm];
      if (e) evidence[evidenceKey(a, b, norm)] = e;
    }
    store.setState({ evidence: { ...evidence } });
    await yieldToMain();
  }
  if (gen !== generation) return;
  const allSettled = store.getState().slots.every((s) => s.status !== 'loading');
  store.setState({ computing: false, analysisComplete: allSettled && models.some((m) => m !== null) });
}

function isPair(p: [number, number], q: [number, number] | null): boolean {
  return q !== null && p[0] === q[0] && p[1] === q[1];
}

/** Read another quantization of a GGUF repo: the permalink names it, and the comparison re-runs. */
export async function chooseQuant(store: AppStore, index: number, quant: string): Promise<void> {
  const { query } = store.getState();
  const models = query.models.map((ref, i) => (i === index ? { ...ref, quant } : ref));
  store.setState({ query: { ...query, models } });
  await runComparison(store);
}

export function cancelLoad(store: AppStore, index: number): void {
  const slot = store.getState().slots[index];
  if (slot && slot.status === 'loading') void loaderWorker().cancel(slot.jobId);
}

export async function clearCache(store: AppStore): Promise<void> {
  try {
    await loaderWorker().clearCache();
    store.setState({ notice: 'Cache cleared: the next load reads from the network.' });
  } catch (err) {
    store.setState({ notice: `Could not clear the cache: ${err instanceof Error ? err.message : String(err)}` });
  }
}
