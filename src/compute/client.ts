// Lazily started comlink clients of the two workers. The main thread only awaits them.
import * as Comlink from 'comlink';
import type { LoaderApi } from '../../workers/loader.worker';
import type { ComputeApi } from '../../workers/compute.worker';

let loader: Comlink.Remote<LoaderApi> | null = null;
let compute: Comlink.Remote<ComputeApi> | null = null;
let figures: Comlink.Remote<ComputeApi> | null = null;

export function loaderWorker(): Comlink.Remote<LoaderApi> {
  loader ??= Comlink.wrap<LoaderApi>(
    new Worker(new URL('../../workers/loader.worker.ts', import.meta.url), { type: 'module', name: 'loader' }),
  );
  connectWorkers();
  return loader;
}

export function computeWorker(): Comlink.Remote<ComputeApi> {
  compute ??= Comlink.wrap<ComputeApi>(
    new Worker(new URL('../../workers/compute.worker.ts', import.meta.url), { type: 'module', name: 'compute' }),
  );
  connectWorkers();
  return compute;
}

/**
 * A second instance of the compute worker for the figure views. The shared instance spends tens of
 * seconds on permutation tests after a load; a separate one keeps the figures from queueing behind
 * them. Same file, same API.
 */
export function figuresWorker(): Comlink.Remote<ComputeApi> {
  figures ??= Comlink.wrap<ComputeApi>(
    new Worker(new URL('../../workers/compute.worker.ts', import.meta.url), { type: 'module', name: 'figures2d' }),
  );
  return figures;
}

/** Whether the figure views' worker was started (a new comparison then tells it what to forget). */
export function figuresWorkerStarted(): boolean {
  return figures !== null;
}

let connected = false;

/** Once both workers run, a channel between them carries loaded models without the main thread. */
function connectWorkers(): void {
  if (connected || !loader || !compute) return;
  connected = true;
  const { port1, port2 } = new MessageChannel();
  void compute.attachLoader(Comlink.transfer(port2, [port2]));
  void loader.attachCompute(Comlink.transfer(port1, [port1]));
}

/**
 * Compute workers for independent jobs (the family scan). The second is the figure views' worker, so
 * the app never runs more than two compute workers.
 */
export function computePool(): Comlink.Remote<ComputeApi>[] {
  return [computeWorker(), figuresWorker()];
}

/** The workers the state actions use, injected so tests can hand in fakes. */
export interface Workers {
  loader(): Comlink.Remote<LoaderApi>;
  /** compute workers for independent jobs (the family scan) */
  computePool(): Comlink.Remote<ComputeApi>[];
  /** the shared compute worker (the comparison, cell tests, the export) */
  compute(): Comlink.Remote<ComputeApi>;
  /** the figure views' compute worker, and whether it was started */
  figures(): Comlink.Remote<ComputeApi>;
  figuresStarted(): boolean;
  /** wraps a callback so a worker can call it (Comlink.proxy; a fake passes it through) */
  proxy<T extends object>(fn: T): T;
}

export const defaultWorkers: Workers = {
  loader: loaderWorker,
  computePool,
  compute: computeWorker,
  figures: figuresWorker,
  figuresStarted: figuresWorkerStarted,
  proxy: (fn) => Comlink.proxy(fn),
};

export { Comlink };
