// Lazily started comlink clients of the two workers. The main thread only awaits them.
import * as Comlink from 'comlink';
import type { LoaderApi } from '../../workers/loader.worker';
import type { ComputeApi } from '../../workers/compute.worker';

let loader: Comlink.Remote<LoaderApi> | null = null;
let compute: Comlink.Remote<ComputeApi> | null = null;

export function loaderWorker(): Comlink.Remote<LoaderApi> {
  loader ??= Comlink.wrap<LoaderApi>(
    new Worker(new URL('../../workers/loader.worker.ts', import.meta.url), { type: 'module', name: 'loader' }),
  );
  return loader;
}

export function computeWorker(): Comlink.Remote<ComputeApi> {
  compute ??= Comlink.wrap<ComputeApi>(
    new Worker(new URL('../../workers/compute.worker.ts', import.meta.url), { type: 'module', name: 'compute' }),
  );
  return compute;
}

/** Compute workers for independent jobs (the family scan): one per core, the first is computeWorker(). */
export const POOL_SIZE = 2;
let pool: Comlink.Remote<ComputeApi>[] | null = null;

export function computePool(): Comlink.Remote<ComputeApi>[] {
  pool ??= [
    computeWorker(),
    ...Array.from({ length: POOL_SIZE - 1 }, (_, k) =>
      Comlink.wrap<ComputeApi>(new Worker(new URL('../../workers/compute.worker.ts', import.meta.url), { type: 'module', name: `compute-${k + 2}` })),
    ),
  ];
  return pool;
}

export { Comlink };
