import { describe, expect, it } from 'vitest';
import { localRef } from '../core/permalink';
import type { LoadedModel } from '../core/types';
import type { LocalModelFiles } from './localModels';
import { planSlots, type SlotPlanContext } from './slotPlan';
import type { ModelSlot } from './store';

const model = (repo: string, sha: string) => ({ repo, sha }) as LoadedModel;
const ready = (ref: ModelSlot['ref'], jobId: string, m: LoadedModel, localFiles?: LocalModelFiles): ModelSlot => ({
  ref,
  jobId,
  status: 'ready',
  progress: null,
  model: m,
  error: null,
  ...(localFiles ? { localFiles } : {}),
});
const mine: LocalModelFiles = {
  label: 'Mine',
  entries: [{ path: 'Mine/model.safetensors', size: 1 }],
  files: [new File(['x'], 'model.safetensors')],
};

function ctx(over: Partial<SlotPlanContext> = {}): SlotPlanContext {
  let n = 0;
  return {
    hubUrl: 'http://hub',
    previousHubUrl: 'http://hub',
    local: { Mine: mine },
    reuse: true,
    newJobId: () => `new-${++n}`,
    ...over,
  };
}

describe('planSlots', () => {
  const hubSlot = ready({ repo: 'org/a', revision: 'main' }, 'job-1', model('org/a', 'f'.repeat(40)));
  const localSlot = ready(localRef('Mine'), 'job-2', model('Mine', 'e'.repeat(40)), mine);

  it('keeps loaded Hub and local models (by pinned sha too) and loads only what is new', () => {
    const refs = [{ repo: 'org/a', revision: 'f'.repeat(40) }, localRef('Mine'), { repo: 'org/b', revision: 'main' }];
    const plan = planSlots(refs, [hubSlot, localSlot], ctx());
    expect(plan.slots.map((s) => [s.jobId, s.status])).toEqual([
      ['job-1', 'ready'],
      ['job-2', 'ready'],
      ['new-1', 'loading'],
    ]);
    expect(plan.slots[0]!.ref).toBe(refs[0]);
    expect(plan.toLoad).toEqual([2]);
  });

  it('loads again when the hub, the revision or the local files changed, or when asked to', () => {
    const refs = [{ repo: 'org/a', revision: 'main' }, localRef('Mine')];
    expect(planSlots(refs, [hubSlot, localSlot], ctx({ previousHubUrl: 'http://other' })).toLoad).toEqual([0]);
    expect(planSlots([{ repo: 'org/a', revision: 'v2' }], [hubSlot], ctx()).toLoad).toEqual([0]);
    const replaced = { ...mine, files: [new File(['y'], 'model.safetensors')] };
    const plan = planSlots(refs, [hubSlot, localSlot], ctx({ local: { Mine: replaced } }));
    expect(plan.toLoad).toEqual([1]);
    expect(plan.slots[1]!.localFiles).toBe(replaced);
    expect(planSlots(refs, [hubSlot, localSlot], ctx({ reuse: false })).toLoad).toEqual([0, 1]);
  });

  it('reads a GGUF repo again when another quantization is asked for, not when the one read is named', () => {
    const gguf = ready({ repo: 'org/g-GGUF', revision: 'main' }, 'job-3', {
      ...model('org/g-GGUF', 'a'.repeat(40)),
      quant: 'Q4_K_M',
    });
    expect(planSlots([{ repo: 'org/g-GGUF', revision: 'main' }], [gguf], ctx()).toLoad).toEqual([]);
    expect(
      planSlots([{ repo: 'org/g-GGUF', revision: 'a'.repeat(40), quant: 'Q4_K_M' }], [gguf], ctx()).toLoad,
    ).toEqual([]);
    expect(planSlots([{ repo: 'org/g-GGUF', revision: 'a'.repeat(40), quant: 'BF16' }], [gguf], ctx()).toLoad).toEqual([
      0,
    ]);
  });

  it('leaves a local model without files waiting for them, and never gives one slot to two models', () => {
    const plan = planSlots(
      [localRef('Gone'), { repo: 'org/a', revision: 'main' }, { repo: 'org/a', revision: 'main' }],
      [hubSlot],
      ctx(),
    );
    expect(plan.slots.map((s) => s.status)).toEqual(['needs-files', 'ready', 'loading']);
    expect(plan.toLoad).toEqual([2]);
    // a Hub repo that happens to share a local label is not the local model
    expect(planSlots([{ repo: 'Mine', revision: 'main' }], [localSlot], ctx()).toLoad).toEqual([0]);
  });
});
