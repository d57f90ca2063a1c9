// The figure views' computations (fine-tune diff, within-layer, ridge histograms, PCA of another
// role) as actions: a view names the job as plain data, the action runs it in the figures worker on
// the models that worker holds, and the result lands in the store under the job's key.
import type { AppStore, ModelSlot, ViewResult } from './types';

export type { ViewResult } from './types';
import type { NormRole } from '../core/types';
import type { FineTuneDiff } from '../core/diff';
import type { WithinLayerPair } from '../core/withinLayer';
import type { RidgeView } from '../core/ridge';
import type { FigureExport } from '../core/exportFigures';
import type { ActionDeps } from './deps';

/** Models are named by their positions in the query. */
export type ViewJob =
  | { kind: 'fineTuneDiff'; models: [number, number]; norm: NormRole; deltaSigma?: number }
  | { kind: 'withinLayer'; models: [number, number] }
  | { kind: 'ridge'; models: number[]; norms: NormRole[]; step: number }
  | { kind: 'pca'; models: number[]; norm: NormRole };

/** What each job kind gives (PCA points carry query positions; ridge series the sub-list's). */
export interface ViewJobValue {
  fineTuneDiff: FineTuneDiff;
  withinLayer: WithinLayerPair;
  /** series renumbered to the query positions in `positions` */
  ridge: { views: RidgeView[]; positions: number[] };
  pca: FigureExport['pca'];
}

/** results kept across view switches (most recently asked for last) */
export const MAX_VIEW_RESULTS = 24;

/** A stable identity for a loaded model inside keys: position, repo and commit. */
export function modelKey(index: number, m: { repo: string; sha: string }): string {
  return `${index}:${m.repo}@${m.sha}`;
}

/**
 * The key a job's result is stored under, or null while one of its models is not loaded. A diff with
 * a chosen σ extends the key of the fitted diff (`…|σ=0.001`), so a view can tell its own pair's.
 */
export function viewJobKey(job: ViewJob, slots: readonly ModelSlot[]): string | null {
  const ids: string[] = [];
  for (const i of job.models) {
    const m = slots[i]?.model;
    if (!m) return null;
    ids.push(modelKey(i, m));
  }
  const models = ids.join('|');
  switch (job.kind) {
    case 'fineTuneDiff':
      return `diff|${models}|${job.norm}${job.deltaSigma !== undefined ? `|σ=${job.deltaSigma}` : ''}`;
    case 'withinLayer':
      return `within|${models}`;
    case 'ridge':
      return `ridge|${models}|${job.norms.join(',')}|${job.step}`;
    case 'pca':
      return `pca|${models}|${job.norm}`;
  }
}

/** The figure views' results of one store, computed in the figures worker. */
export interface ViewResults {
  /** Runs the job unless its result is in the store or on its way; failures may be asked for again. */
  request(job: ViewJob): Promise<void>;
  /** A new comparison: the figures worker forgets models no slot holds any more. */
  retainFigureModels(jobIds: readonly string[]): void;
  /** The figures worker's keys of these loaded models, each sent to it once (the verdicts use it too). */
  figureKeys(indices: readonly number[]): Promise<string[]>;
}

interface Ctx extends ActionDeps {
  /** load jobs the figures worker holds a copy of (sent once, then named) */
  held: Set<string>;
}

export function createViewResults(deps: ActionDeps): ViewResults {
  const c: Ctx = { ...deps, held: new Set() };
  return {
    request: (job) => requestViewResult(c, job),
    retainFigureModels: (jobIds) => retainFigureModels(c, jobIds),
    figureKeys: (indices) => ensureHeld(c, c.store.getState().slots, indices),
  };
}

async function ensureHeld(
  { workers, held }: Ctx,
  slots: readonly ModelSlot[],
  indices: readonly number[],
): Promise<string[]> {
  const worker = workers.figures();
  const keys: string[] = [];
  for (const i of indices) {
    const slot = slots[i];
    if (!slot?.model) throw new Error(`model ${i} is not loaded`);
    if (!held.has(slot.jobId)) {
      held.add(slot.jobId);
      await worker.putModel(slot.jobId, slot.model);
    }
    keys.push(slot.jobId);
  }
  return keys;
}

/** A new comparison: the figures worker forgets models no slot holds any more. */
function retainFigureModels({ workers, held }: Ctx, jobIds: readonly string[]): void {
  for (const id of [...held]) if (!jobIds.includes(id)) held.delete(id);
  if (workers.figuresStarted()) void workers.figures().retainModels([...jobIds]);
}

async function run(c: Ctx, job: ViewJob, keys: string[]): Promise<unknown> {
  const worker = c.workers.figures();
  switch (job.kind) {
    case 'fineTuneDiff':
      return worker.fineTuneDiffOf(
        [keys[0]!, keys[1]!],
        job.norm,
        job.deltaSigma !== undefined ? { deltaSigma: job.deltaSigma } : {},
      );
    case 'withinLayer':
      return worker.withinLayerPairOf([keys[0]!, keys[1]!]);
    case 'ridge': {
      const views = await Promise.all(job.norms.map((norm) => worker.ridgeViewOf(keys, norm, { layerStep: job.step })));
      const positions = [...job.models];
      // a late result keeps the colours of the models it was computed for
      return {
        views: views.map((v) => ({
          ...v,
          series: v.series.map((s) => ({ ...s, model: positions[s.model] ?? s.model })),
        })),
        positions,
      };
    }
    case 'pca': {
      const pca = await worker.pcaOf(keys, job.norm);
      // the worker numbers models within the job; the views use query positions
      return pca ? { ...pca, points: pca.points.map((p) => ({ ...p, model: job.models[p.model] ?? p.model })) } : null;
    }
  }
}

function putResult(store: AppStore, key: string, result: ViewResult): void {
  store.setState((s) => {
    const next = { ...s.viewResults };
    delete next[key]; // re-inserted last: most recently used
    next[key] = result;
    const keys = Object.keys(next);
    for (const old of keys.slice(0, Math.max(0, keys.length - MAX_VIEW_RESULTS))) delete next[old];
    return { viewResults: next };
  });
}

/** Runs the job unless its result is in the store or on its way; failures may be asked for again. */
async function requestViewResult(c: Ctx, job: ViewJob): Promise<void> {
  const { store } = c;
  const { slots, viewResults } = store.getState();
  const key = viewJobKey(job, slots);
  if (key === null) return;
  const known = viewResults[key];
  if (known && known.status !== 'error') {
    putResult(store, key, known);
    return;
  }
  putResult(store, key, { status: 'pending', value: null, error: null });
  try {
    const value = await run(c, job, await ensureHeld(c, slots, job.models));
    if (store.getState().viewResults[key]) putResult(store, key, { status: 'ready', value, error: null });
  } catch (err) {
    if (store.getState().viewResults[key])
      putResult(store, key, { status: 'error', value: null, error: err instanceof Error ? err.message : String(err) });
  }
}
