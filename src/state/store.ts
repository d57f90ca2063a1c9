// One vanilla store (works without React); components read it through narrow selectors.
import { createStore } from 'zustand/vanilla';
import type { HubErrorInfo, LoadedModel, LoadProgress, PairMatrices, RepoRef } from '../core/types';
import type { ViewQuery } from '../core/permalink';
import type { FigureExport } from '../core/exportFigures';
import type { Evidence } from '../core/verdict';
import type { NotComparable } from '../core/pairs';
import type { LocalModelFiles } from './localModels';
import type { FamilyScanState } from './familyScan';
import type { PairTest } from '../core/nulls';
import type { ViewResult } from './viewResults';
import type { RowEvidencePanel } from './rowEvidence';
import type { RelativesState } from './relativesSearch';
import type { DeepCheckEntry } from './deepCheck';

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

export type { NotComparable } from '../core/pairs';

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
  /** sampled matrix rows of the pair on screen: plan, fetch, result */
  rowEvidence: RowEvidencePanel | null;
  /** the relatives search (relatives=ORG/NAME): candidates, their progress and judgements */
  relatives: RelativesState | null;
  /** the deep check (issue 14) per pair of models, keyed "a,b" (deepKey) */
  deepChecks: Record<string, DeepCheckEntry>;
}

export function initialState(query: ViewQuery, queryErrors: string[]): AppState {
  return {
    query,
    queryErrors,
    hubUrl: '',
    token: null,
    slots: [],
    pairs: [],
    notComparable: [],
    computing: false,
    figures: null,
    evidence: {},
    computeMs: null,
    analysisComplete: false,
    hover: null,
    notice: null,
    local: {},
    localSkipped: [],
    scan: null,
    viewResults: {},
    cellTests: {},
    rowEvidence: null,
    relatives: null,
    deepChecks: {},
  };
}

export type AppStore = ReturnType<typeof createAppStore>;

export function createAppStore(query: ViewQuery, queryErrors: string[] = []) {
  return createStore<AppState>()(() => initialState(query, queryErrors));
}

export function evidenceKey(a: number, b: number, norm: string): string {
  return `${a},${b},${norm}`;
}
