// The one place the app's actions meet the real workers: each store gets its family scan and row
// evidence instances, made once (on first use) with the default workers. Tests make their own with
// createFamilyScan / createRowEvidence and fake workers instead.
import { defaultWorkers } from '../compute/client';
import { createFamilyScan, type FamilyScan } from './familyScan';
import type { AppStore } from './types';

const scans = new WeakMap<AppStore, FamilyScan>();

export function familyScanOf(store: AppStore): FamilyScan {
  let scan = scans.get(store);
  if (!scan) {
    scan = createFamilyScan({ store, workers: defaultWorkers });
    scans.set(store, scan);
  }
  return scan;
}
