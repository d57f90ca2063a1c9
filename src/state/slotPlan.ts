// Which slots of the last comparison a new one can keep: models already loaded are not read again
// when a model is added, so adding a local model keeps the Hub models and the other way round.
import type { RepoRef } from '../core/types';
import type { LocalModelFiles } from './localModels';
import type { ModelSlot } from './types';

export interface SlotPlanContext {
  hubUrl: string;
  previousHubUrl: string;
  local: Readonly<Record<string, LocalModelFiles>>;
  /** false forces every model to be read again */
  reuse: boolean;
  newJobId: () => string;
}

export interface SlotPlan {
  slots: ModelSlot[];
  /** indices of the slots to load now */
  toLoad: number[];
}

function matches(ref: RepoRef, slot: ModelSlot, ctx: SlotPlanContext): boolean {
  if (slot.status !== 'ready' || !slot.model) return false;
  if (ref.local)
    return (
      slot.ref.local !== undefined &&
      slot.ref.repo === ref.repo &&
      slot.localFiles !== undefined &&
      slot.localFiles === ctx.local[ref.repo]
    );
  return (
    !slot.ref.local &&
    ctx.hubUrl === ctx.previousHubUrl &&
    slot.model.repo === ref.repo &&
    (slot.ref.revision === ref.revision || slot.model.sha === ref.revision) &&
    // a GGUF quantization is its own model: no suffix keeps whichever was read by default
    (ref.quant === undefined ? slot.ref.quant === undefined : slot.model.quant === ref.quant)
  );
}

export function planSlots(refs: readonly RepoRef[], previous: readonly ModelSlot[], ctx: SlotPlanContext): SlotPlan {
  const used = new Set<ModelSlot>();
  const toLoad: number[] = [];
  const slots = refs.map((ref, index): ModelSlot => {
    const kept = ctx.reuse ? previous.find((s) => !used.has(s) && matches(ref, s, ctx)) : undefined;
    if (kept) {
      used.add(kept);
      return { ...kept, ref };
    }
    const fresh: ModelSlot = {
      ref,
      jobId: ctx.newJobId(),
      status: 'loading',
      progress: null,
      model: null,
      error: null,
    };
    const files = ref.local ? ctx.local[ref.repo] : undefined;
    if (ref.local && !files) return { ...fresh, status: 'needs-files' };
    toLoad.push(index);
    return files ? { ...fresh, localFiles: files } : fresh;
  });
  return { slots, toLoad };
}
