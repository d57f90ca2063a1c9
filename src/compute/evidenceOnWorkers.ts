// A pair's verdicts with their parts (each role's permutation null, each width's channel matching)
// spread over compute workers that each hold both models: every worker takes the next part as soon as
// it is free, and the parts are put together exactly as one worker would (core/pairEvidence).
import type { Remote } from 'comlink';
import type { ComputeApi } from '../../workers/compute.worker';
import { combineEvidence, type EvidencePartResult } from '../core/pairEvidence';
import type { NormRole } from '../core/types';
import type { Evidence } from '../core/verdict';

export interface EvidenceWorker {
  api: Pick<Remote<ComputeApi>, 'evidencePlanOf' | 'evidencePartOf'>;
  /** the pair's two models, by the keys this worker holds them under */
  keys: () => Promise<[string, string]> | [string, string];
}

export async function evidenceOnWorkers(
  workers: readonly EvidenceWorker[],
): Promise<Partial<Record<NormRole, Evidence>>> {
  const [first] = workers;
  if (!first) throw new Error('no compute worker for the verdicts');
  const [a, b] = await first.keys();
  const { groups, parts } = await first.api.evidencePlanOf(a, b);
  const results: EvidencePartResult[] = new Array<EvidencePartResult>(parts.length);
  let next = 0;
  await Promise.all(
    workers.map(async (w) => {
      if (next >= parts.length) return;
      const [ka, kb] = await w.keys();
      for (let k = next++; k < parts.length; k = next++) results[k] = await w.api.evidencePartOf(ka, kb, parts[k]!);
    }),
  );
  return combineEvidence(groups, results);
}
