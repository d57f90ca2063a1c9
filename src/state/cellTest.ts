// One layer pair's own permutation test, as an action: run in the compute worker on the models it
// already holds (nothing cloned), kept in the store by cellTestKey.
import type { ModelSlot } from './store';
import type { NormRole } from '../core/types';
import type { ActionDeps } from './deps';

export const CELL_PERMUTATIONS = 1000;
/** tests kept (hovering sweeps many cells) */
const MAX_CELL_TESTS = 64;

export function cellTestKey(
  slots: readonly ModelSlot[],
  a: number,
  b: number,
  norm: NormRole,
  cell: readonly [number, number],
): string | null {
  const ja = slots[a]?.model ? slots[a].jobId : null;
  const jb = slots[b]?.model ? slots[b].jobId : null;
  return ja && jb ? `${ja}|${jb}|${norm}|${cell[0]},${cell[1]}` : null;
}

/** Layer cell[0] of model a against layer cell[1] of model b (query positions), on one role. */
export async function requestCellTest(
  { store, workers }: ActionDeps,
  a: number,
  b: number,
  norm: NormRole,
  cell: readonly [number, number],
): Promise<void> {
  const { slots, cellTests } = store.getState();
  const key = cellTestKey(slots, a, b, norm, cell);
  if (key === null || cellTests[key]) return;
  const result = await workers
    .compute()
    .cellTestOf(slots[a]!.jobId, slots[b]!.jobId, norm, cell[0], cell[1], CELL_PERMUTATIONS, 1);
  store.setState((s) => {
    const next = { ...s.cellTests, [key]: result };
    const keys = Object.keys(next);
    for (const old of keys.slice(0, Math.max(0, keys.length - MAX_CELL_TESTS))) delete next[old];
    return { cellTests: next };
  });
}
