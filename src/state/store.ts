// One vanilla store (works without React); components read it through narrow selectors.
import { createStore } from 'zustand/vanilla';
import type { ViewQuery } from '../core/permalink';
import type { AppState, AppStore } from './types';

export type { AppState, AppStore, ModelSlot, SlotStatus, TokenSetting } from './types';

export type { NotComparable } from '../core/pairs';

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
    deepChecks: {},
    relatives: null,
  };
}

export function createAppStore(query: ViewQuery, queryErrors: string[] = []): AppStore {
  return createStore<AppState>()(() => initialState(query, queryErrors));
}

export function evidenceKey(a: number, b: number, norm: string): string {
  return `${a},${b},${norm}`;
}
