// The JSON export as an action: built and serialized in the compute worker, which holds the models.
import type { AppStore } from './store';
import { computeWorker } from '../compute/client';
import { currentPermalink } from './urlSync';

/** The export of a fully loaded query (indices are query positions), or null while a model is missing. */
export async function exportJson(store: AppStore): Promise<Blob | null> {
  const s = store.getState();
  if (s.slots.length === 0 || s.slots.some((slot) => slot.model === null)) return null;
  return computeWorker().exportJsonOf({
    permalink: currentPermalink(store),
    hub: s.hubUrl,
    keys: s.slots.map((slot) => slot.jobId),
    pairs: s.pairs,
    notComparable: s.notComparable,
    figures: s.figures,
    evidence: s.evidence,
  });
}
