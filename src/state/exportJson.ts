// The JSON export as an action: built and serialized in the compute worker, which holds the models.
import type { ActionDeps } from './deps';
import { currentPermalink } from './urlSync';
import type { ExportInput, FailedModel } from '../core/exportJson';
import { ancestryExport } from './ancestry';
import type { ModelSlot } from './store';

/** The slots that ended without a model, with the file at fault when the error names one. */
export function failedModels(slots: readonly ModelSlot[]): FailedModel[] {
  return slots.flatMap((slot, index) =>
    slot.status === 'error' || slot.status === 'cancelled'
      ? [
          {
            index,
            repo: slot.ref.repo,
            file: slot.error?.file ?? null,
            reason: slot.error?.message ?? slot.status,
          },
        ]
      : [],
  );
}

/**
 * The export of the loaded models (indices are query positions; each model carries its `index`),
 * with the models that failed listed under `failed`; null while nothing is loaded. A family scan
 * alone (nothing in the comparison) exports its judged claims.
 */
export async function exportJson(
  { store, workers }: ActionDeps,
  extra: Pick<ExportInput, 'lineage' | 'relatives'> = {},
): Promise<Blob | null> {
  const s = store.getState();
  const scanOnly = s.slots.length === 0 && (s.scan?.status === 'done' || s.relatives?.status === 'done');
  const positions = s.slots.flatMap((slot, i) => (slot.model ? [i] : []));
  if (!scanOnly && positions.length === 0) return null;
  return workers.compute().exportJsonOf({
    permalink: currentPermalink(store),
    hub: s.hubUrl,
    keys: positions.map((i) => s.slots[i]!.jobId),
    positions,
    failed: failedModels(s.slots),
    pairs: s.pairs,
    notComparable: s.notComparable,
    figures: s.figures,
    evidence: s.evidence,
    ancestry: ancestryExport(s),
    ...extra,
  });
}
