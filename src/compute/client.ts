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

export { Comlink };
