// The one place the app's actions meet the real workers: each store gets its actions, family scan,
// and view results, made once (on first use) with the default workers. Views call the
// store-taking functions below. Tests make their own with createActions / createFamilyScan /
// createViewResults and fake workers instead.
import { defaultWorkers } from '../compute/client';
import type { ExportInput } from '../core/exportJson';
import type { NormRole } from '../core/types';
import { createActions, type Actions } from './actions';
import { requestCellTest as requestCellTestWith } from './cellTest';
import { exportJson as exportJsonWith } from './exportJson';
import { createFamilyScan, type FamilyScan } from './familyScan';
import type { PickedFile } from './localModels';
import type { AppStore } from './types';
import { createViewResults, type ViewJob, type ViewResults } from './viewResults';

interface Wired {
  actions: Actions;
  scan: FamilyScan;
  viewResults: ViewResults;
}

const wired = new WeakMap<AppStore, Wired>();

function wiredOf(store: AppStore): Wired {
  let w = wired.get(store);
  if (!w) {
    const deps = { store, workers: defaultWorkers };
    const viewResults = createViewResults(deps);
    w = {
      actions: createActions({ ...deps, viewResults }),
      scan: createFamilyScan(deps),
      viewResults,
    };
    wired.set(store, w);
  }
  return w;
}

export function familyScanOf(store: AppStore): FamilyScan {
  return wiredOf(store).scan;
}

export const runComparison = (store: AppStore, opts?: { useCache?: boolean }): Promise<void> =>
  wiredOf(store).actions.runComparison(opts);
export const addLocalModels = (store: AppStore, picked: readonly PickedFile[], target: number | null = null): void =>
  wiredOf(store).actions.addLocalModels(picked, target);
export const removeModel = (store: AppStore, index: number): void => wiredOf(store).actions.removeModel(index);
export const chooseQuant = (store: AppStore, index: number, quant: string): Promise<void> =>
  wiredOf(store).actions.chooseQuant(index, quant);
export const cancelLoad = (store: AppStore, index: number): void => wiredOf(store).actions.cancelLoad(index);
export const clearCache = (store: AppStore): Promise<void> => wiredOf(store).actions.clearCache();

export const requestViewResult = (store: AppStore, job: ViewJob): Promise<void> =>
  wiredOf(store).viewResults.request(job);

export const requestCellTest = (
  store: AppStore,
  a: number,
  b: number,
  norm: NormRole,
  cell: readonly [number, number],
): Promise<void> => requestCellTestWith({ store, workers: defaultWorkers }, a, b, norm, cell);

export const exportJson = (
  store: AppStore,
  extra: Pick<ExportInput, 'lineage' | 'relatives'> = {},
): Promise<Blob | null> => exportJsonWith({ store, workers: defaultWorkers }, extra);
