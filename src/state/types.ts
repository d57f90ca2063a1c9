// The shapes of the app's state (a leaf module): the store, the actions and the views all name these
// types from here, so none of them imports another to learn a shape.
import type { StoreApi } from 'zustand/vanilla';
import type { HubErrorInfo, LoadedModel, LoadProgress, NormRole, PairMatrices, RepoRef } from '../core/types';
import type { ViewQuery } from '../core/permalink';
import type { FigureExport } from '../core/exportFigures';
import type { Evidence } from '../core/verdict';
import type { NotComparable } from '../core/pairs';
import type { PairTest } from '../core/nulls';
import type { LineageRelation } from '../core/lineage/declaredTypes';
import type { LineageRow } from '../core/lineage/judge';
import type { LocalModelFiles } from './localModels';
import type { DeepCheckEntry } from '../compute/deepProtocol';
import type { RelativeCandidate, RelativeJudgement } from '../core/lineage/relatives';

/** 'needs-files': a local model named by the link whose files are not in memory (drop them to reopen) */
export type SlotStatus = 'loading' | 'ready' | 'error' | 'cancelled' | 'needs-files';

export interface ModelSlot {
  /** what the user asked for */
  ref: RepoRef;
  jobId: string;
  status: SlotStatus;
  progress: LoadProgress | null;
  model: LoadedModel | null;
  error: HubErrorInfo | null;
  /** the local files this slot was loaded from (a local slot is re-used while they are the same) */
  localFiles?: LocalModelFiles;
}

export interface TokenSetting {
  token: string;
  /** the hub origin the token was entered for; it is sent nowhere else */
  origin: string;
  remember: boolean;
}

export interface AppState {
  query: ViewQuery;
  queryErrors: string[];
  /** resolved absolute hub URL the slots were loaded from */
  hubUrl: string;
  token: TokenSetting | null;
  slots: ModelSlot[];
  pairs: PairMatrices[];
  notComparable: NotComparable[];
  computing: boolean;
  /** figure data of all loaded models (stats, diffs, PCA, within-layer), from the compute worker */
  figures: FigureExport | null;
  /** verdicts keyed by evidenceKey(a, b, norm) */
  evidence: Record<string, Evidence>;
  computeMs: number | null;
  analysisComplete: boolean;
  hover: [number, number] | null;
  notice: string | null;
  /** local models' files by label: in memory only, never in the URL, the cache or an export */
  local: Record<string, LocalModelFiles>;
  /** files of the last drop or pick that belong to no model, with why */
  localSkipped: { path: string; reason: string }[];
  /** the family scan (family=ORG/NAME): the base's declared children, each compared with it */
  scan: FamilyScanState | null;
  /** the figure views' worker results by job key (see viewResults.ts), a few kept across view switches */
  viewResults: Record<string, ViewResult>;
  /** one layer pair's own permutation test, by cellTestKey */
  cellTests: Record<string, PairTest>;
  /** the deep check (issue 14) per pair of models, keyed "a,b" (state/deepCheck.ts deepKey) */
  deepChecks: Record<string, DeepCheckEntry>;
  /** the relatives search (relatives=ORG/NAME): candidates, their progress and judgements */
  relatives: RelativesState | null;
}

export type AppStore = StoreApi<AppState>;

// --- the family scan ------------------------------------------------------------------------------

export type ScanChildStatus = 'queued' | 'loading' | 'comparing' | 'done' | 'error';

export interface ScanChild {
  id: string;
  sha: string | null;
  relation: LineageRelation | null;
  downloads: number;
  gguf: boolean;
  status: ScanChildStatus;
  progress: LoadProgress | null;
  error: HubErrorInfo | null;
  /** the judged claim, once compared */
  row: LineageRow | null;
  /** per role: verdict, mean r, p and draws (the full Evidence stays in the worker's answer only) */
  roles: { norm: NormRole; verdict: Evidence['verdict']; r: number; p: number; permutations: number }[];
  /** the quantization read (GGUF children), to open the pair */
  quant?: string;
  loadedSha?: string;
  workerMs: number;
}

export interface FamilyScanState {
  base: string;
  limit: number;
  status: 'listing' | 'loading-base' | 'running' | 'done' | 'error';
  error: HubErrorInfo | null;
  baseSha: string | null;
  children: ScanChild[];
  /** the Hub has more declared children than the limit */
  more: boolean;
  /** api-bucket calls: list pages + model-info calls this scan made */
  apiCalls: number;
  listFromCache: boolean;
  /** summed compute-worker time of all verdicts, and the wall time of the whole scan */
  workerMs: number;
  wallMs: number | null;
}

// --- the figure views' worker results ---------------------------------------------------------

export interface ViewResult<T = unknown> {
  status: 'pending' | 'ready' | 'error';
  value: T | null;
  error: string | null;
}

// --- the relatives search (issue 15) -----------------------------------------------------------------

export type CandidatePhase = 'queued' | 'loading' | 'comparing' | 'deep' | 'done' | 'error';

export interface CandidateState {
  candidate: RelativeCandidate;
  phase: CandidatePhase;
  progress: LoadProgress | null;
  judgement: RelativeJudgement | null;
  /** the commit read, to open the pair */
  loadedSha: string | null;
  error: string | null;
}

export interface RelativesState {
  of: string;
  status: 'listing' | 'reading-widths' | 'comparing' | 'done' | 'cancelled' | 'error';
  error: string | null;
  candidates: CandidateState[];
  /** models the list pages held; roots among them; candidates whose width matched; compared */
  listed: number;
  roots: number;
  matched: number;
  compared: number;
  spent: { api: number; resolves: number };
  /** the norms could not tell for some candidate, and the matrix check was not available or could not run */
  deepMissing: boolean;
  wallMs: number | null;
}
