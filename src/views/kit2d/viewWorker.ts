// The 2-D views' own instance of the compute worker, started on first use. The app's shared
// instance spends tens of seconds on permutation tests after a load; a separate instance keeps
// the figures from queueing behind them. Same file, same API.
import * as Comlink from 'comlink';
import type { ComputeApi } from '../../../workers/compute.worker';

let remote: Comlink.Remote<ComputeApi> | null = null;

export function viewWorker(): Comlink.Remote<ComputeApi> {
  remote ??= Comlink.wrap<ComputeApi>(
    new Worker(new URL('../../../workers/compute.worker.ts', import.meta.url), { type: 'module', name: 'figures2d' }),
  );
  return remote;
}
