// The workers' request and reply protocols in one place: plain data (structured clone) between the main
// thread and the loader worker. state/ and the workers both import these types from here, so state/
// never names a hub/ module.
import type { HubErrorInfo, LoadedModel } from '../core/types.ts';
import type { LocalEntry } from '../core/localFiles.ts';
import type { ChildList } from '../hub/listChildren.ts';

// --- models held by a compute worker ----------------------------------------------------------

/**
 * Who placed a model in a compute worker (`putModel`). A new comparison's `retainModels` forgets only
 * the comparison's models; a scan's models are the scan's to forget (`forgetModel`).
 */
export type HeldBy = 'comparison' | 'scan';

// --- loading a model ---------------------------------------------------------------------------

export interface LoadRequest {
  jobId: string;
  hub: string;
  repo: string;
  revision: string;
  /** only ever held in memory; never cached or logged */
  token?: string;
  useCache: boolean;
  /** GGUF quantization to read */
  quant?: string;
  /** the caller places the model itself (the family scan spreads its models over a worker pool) */
  keepFromCompute?: boolean;
}

/** One local model: `files[i]` is the File at `entries[i].path` (File objects clone into the worker). */
export interface LoadLocalRequest {
  jobId: string;
  label: string;
  entries: LocalEntry[];
  files: File[];
}

/** `sentToCompute`: the model went to the compute worker directly (see attachCompute); otherwise the caller passes it on */
export type LoadResult = { ok: true; model: LoadedModel; sentToCompute: boolean } | { ok: false; error: HubErrorInfo };

// --- a base model's declared children ----------------------------------------------------------

export interface ListChildrenRequest {
  hub: string;
  base: string;
  max: number;
  token?: string;
}
export type ListChildrenResult = { ok: true; list: ChildList } | { ok: false; error: HubErrorInfo };

// --- repo-id search (autocomplete) --------------------------------------------------------------

export interface SearchModelsRequest {
  /** lets cancel(jobId) abort the search */
  jobId: string;
  hub: string;
  query: string;
}

export interface ModelHit {
  id: string;
  downloads?: number;
}

// --- a loaded model, for the deep check ---------------------------------------------------------

export interface RowModelRef {
  repo: string;
  /** the commit the model was loaded at (LoadedModel.sha) */
  sha: string;
}

/** A loader-worker answer: the value, or the error as plain data (relatives search: roots, widths). */
export type Reply<T> = { ok: true; value: T } | { ok: false; error: HubErrorInfo };

// the relatives search's lists (issue 15) and the deep check's job (issue 14), as state/ sees them
export type { RootList, RootListing } from '../hub/listRoots';
export type { ChildList } from '../hub/listChildren';
