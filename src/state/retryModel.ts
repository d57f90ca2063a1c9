// Retry of a model that failed: the comparison runs again, the loaded models are kept (slotPlan),
// and the failed load reads only what its earlier try did not receive whole (the loader worker
// keeps those verified ranges, hub/verifiedRanges.ts).
import type { AppStore } from './store';
import { runComparison } from './wiring';

export function retryModel(store: AppStore, index: number): Promise<void> {
  const slot = store.getState().slots[index];
  if (!slot || (slot.status !== 'error' && slot.status !== 'cancelled')) return Promise.resolve();
  return runComparison(store);
}
