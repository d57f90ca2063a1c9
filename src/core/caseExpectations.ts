// What the verdict must say for each constructed case (hidden 1024, 24 parent layers, seed 1):
// the ground truth the calibration tests and the served-repo integration test share.
import type { CaseKind } from './cases';
import type { Verdict } from './verdict';

export interface CaseExpectation {
  verdict: Verdict;
  segments: string;
  channelsReordered: boolean;
}

// A is the parent, B the child. The alignment's rows are the deeper model, so the labels flip for up-scaling.
export const CASE_EXPECTATIONS: Record<CaseKind, CaseExpectation> = {
  copy: { verdict: 'shared-ancestry', segments: 'A 0–23 ↔ B 0–23', channelsReordered: false },
  'fine-tune': { verdict: 'shared-ancestry', segments: 'A 0–23 ↔ B 0–23', channelsReordered: false },
  'continued-pretraining': { verdict: 'shared-ancestry', segments: 'A 0–23 ↔ B 0–23', channelsReordered: false },
  'depth-upscaled': {
    verdict: 'shared-ancestry',
    segments: 'B 0–15 ↔ A 0–15, B 16–31 ↔ A 8–23',
    channelsReordered: false,
  },
  pruned: { verdict: 'shared-ancestry', segments: 'A 0–11 ↔ B 0–11, A 16–23 ↔ B 12–19', channelsReordered: false },
  unrelated: { verdict: 'no-evidence', segments: '', channelsReordered: false },
  'weak-shared': { verdict: 'inconclusive', segments: '', channelsReordered: false },
  'permuted-channels': { verdict: 'shared-ancestry', segments: '', channelsReordered: true },
};
