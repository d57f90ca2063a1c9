// The deep check's messages between the page and the loader worker (issue 14): plain data, structured-clone safe.
import type { MatrixEvidence } from '../core/deep/api';
import type { HubErrorInfo } from '../core/types';
import type { RowModelRef } from './protocol';
import type { LocalEntry } from '../core/localFiles';

/**
 * One model of the pair: a Hub repo at its commit (safetensors, or `gguf.files` = the parts of the
 * quantization the norms were read from), or files from the user's disk (`local`, the same File objects
 * the norm load read; nothing is uploaded).
 */
export interface DeepModelRef extends RowModelRef {
  gguf?: { files: string[] };
  local?: { entries: LocalEntry[]; files: File[] };
}

export interface DeepSideCost {
  repo: string;
  /** null: the file list gave no size (up to MAX_TOKENIZER_BYTES is read) */
  tokenizerBytes: number | null;
  rowBudgetBytes: number;
  /** rows the budget buys at the model's hidden width (the compute part of the time estimate) */
  rowsPlanned: number;
  /** tensors the check may read, as "embed, q/k/v/o/gate/up/down × 32 layers" */
  tensors: string;
  tensorCount: number;
  unsupported: string[];
}

export interface DeepCost {
  sides: [DeepSideCost, DeepSideCost];
  /** upper bound per model: tokenizer + rows (+ FP8 scale rows) */
  maxBytesPerModel: [number, number];
  estimatedSeconds: number;
}

export interface DeepTransfer {
  tokenizerBytes: number;
  rowBytes: number;
  requests: number;
  cachedBytes: number;
}

export interface DeepRunResult {
  evidence: MatrixEvidence;
  shared: { sharedCount: number; sizeA: number; sizeB: number };
  transfer: [DeepTransfer, DeepTransfer];
  /** ms spent decoding, planning and testing in the worker (network waits excluded) */
  computeMs: number;
  /** matrix rows read and decoded, both models (computeMs / rowsRead: the measured compute per row) */
  rowsRead: number;
  wallMs: number;
  warnings: string[];
}

export type DeepCheckRequest = {
  kind: 'estimate' | 'run';
  jobId: string;
  hub: string;
  a: DeepModelRef;
  b: DeepModelRef;
  token?: string;
  useCache: boolean;
  budgetBytes?: number;
  seed?: number;
};

export type DeepCheckReply =
  | { ok: true; kind: 'estimate'; cost: DeepCost }
  | { ok: true; kind: 'run'; result: DeepRunResult }
  | { ok: false; error: HubErrorInfo };

export interface DeepProgress {
  step: 'tokenizers' | 'rows' | 'testing';
  bytes: number;
}

/** The deep check of one pair of models as the store keeps it (state/deepCheck.ts). */
export type DeepCheckEntry = {
  a: number;
  b: number;
  /** the loaded commits it is for: a re-load at another commit makes it stale */
  shas: [string, string];
  jobId: string | null;
  cost: DeepCost | null;
} & (
  | { phase: 'estimating' }
  | { phase: 'estimated' }
  | { phase: 'running'; progress: DeepProgress | null }
  | { phase: 'done'; result: DeepRunResult }
  | { phase: 'error'; message: string }
);
