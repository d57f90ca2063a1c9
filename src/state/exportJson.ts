// The JSON export as an action: built and serialized in the compute worker, which holds the models.
import type { ActionDeps } from './deps';
import { currentPermalink } from './urlSync';
import type { ExportInput } from '../core/exportJson';
import { ancestryExport } from './ancestry';

/**
 * The export of a fully loaded query (indices are query positions), or null while a model is
 * missing. A family scan alone (nothing in the comparison) exports its judged claims.
 */
export async function exportJson(
  { store, workers }: ActionDeps,
  extra: Pick<ExportInput, 'lineage'> = {},
): Promise<Blob | null> {
  const s = store.getState();
  const scanOnly = s.slots.length === 0 && s.scan?.status === 'done';
  if (!scanOnly && (s.slots.length === 0 || s.slots.some((slot) => slot.model === null))) return null;
  return workers.compute().exportJsonOf({
    permalink: currentPermalink(store),
    hub: s.hubUrl,
    keys: s.slots.map((slot) => slot.jobId),
    pairs: s.pairs,
    notComparable: s.notComparable,
    figures: s.figures,
    evidence: s.evidence,
    ancestry: ancestryExport(s),
    ...extra,
  });
}
