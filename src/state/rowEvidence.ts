// "Beyond norm weights" as actions: plan the sampled-row reads of the pair on screen (headers only,
// in the loader worker), fetch them on request, and keep the panel's state in the store.
import type { AppStore, RowEvidencePanel } from './types';

export type { RowEvidencePanel, RowEvidencePhase } from './types';
import type { RowFetchProgress } from '../compute/protocol';
import type { ActionDeps } from './deps';
import { tokenFor } from './token';

export type { RowFetchProgress, RowSamplesPlan } from '../compute/protocol';

/** The "beyond norm weights" panel of one store; its job counter lives in the instance. */
export interface RowEvidenceActions {
  /** Plans the row reads of models a and b (both loaded Hub models): headers only, nothing fetched yet. */
  plan(a: number, b: number): void;
  /** Fetches the planned rows and compares them (in the loader worker), with progress. */
  fetch(): void;
  /** Stops a running fetch: the plan stays, ready to fetch again. */
  cancelFetch(): void;
  /** The pair left the screen: whatever runs for it is cancelled and the panel forgotten. */
  cancel(): void;
}

interface Ctx extends ActionDeps {
  newJobId(): string;
}

export function createRowEvidence(deps: ActionDeps): RowEvidenceActions {
  let rowJobCounter = 0;
  const c: Ctx = { ...deps, newJobId: () => `rows-${++rowJobCounter}` };
  return {
    plan: (a, b) => planRowEvidence(c, a, b),
    fetch: () => fetchRowEvidence(c),
    cancelFetch: () => cancelRowFetch(c),
    cancel: () => cancelRowEvidence(c),
  };
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Writes the panel only while `jobId` is still its job. */
function settle(store: AppStore, jobId: string, next: (p: RowEvidencePanel) => RowEvidencePanel): void {
  const panel = store.getState().rowEvidence;
  if (panel && panel.jobId === jobId) store.setState({ rowEvidence: next(panel) });
}

/** Plans the row reads of models a and b (both loaded Hub models): headers only, nothing fetched yet. */
function planRowEvidence(c: Ctx, a: number, b: number): void {
  const { store } = c;
  const s = store.getState();
  const ma = s.slots[a]?.model;
  const mb = s.slots[b]?.model;
  if (!ma || !mb) return;
  cancelRowEvidence(c);
  const jobId = c.newJobId();
  const token = tokenFor(store, s.hubUrl);
  store.setState({ rowEvidence: { phase: 'planning', a, b, jobId } });
  c.workers
    .loader()
    .rowEvidence({
      kind: 'plan',
      jobId,
      hub: s.hubUrl,
      a: { repo: ma.repo, sha: ma.sha },
      b: { repo: mb.repo, sha: mb.sha },
      useCache: true,
      ...(token ? { token } : {}),
    })
    .then(
      (reply) =>
        settle(store, jobId, (p) =>
          reply.ok && reply.kind === 'plan'
            ? { phase: 'planned', plan: reply.plan, a: p.a, b: p.b, jobId: null }
            : {
                phase: 'error',
                plan: null,
                message: reply.ok ? 'Unexpected reply from the loader.' : reply.error.message,
                a: p.a,
                b: p.b,
                jobId: null,
              },
        ),
      (e: unknown) =>
        settle(store, jobId, (p) => ({ phase: 'error', plan: null, message: message(e), a: p.a, b: p.b, jobId: null })),
    );
}

/** Fetches the planned rows and compares them (in the loader worker), with progress. */
function fetchRowEvidence(c: Ctx): void {
  const { store } = c;
  const panel = store.getState().rowEvidence;
  if (!panel || (panel.phase !== 'planned' && panel.phase !== 'error') || !panel.plan) return;
  const plan = panel.plan;
  const jobId = c.newJobId();
  const token = tokenFor(store, store.getState().hubUrl);
  store.setState({ rowEvidence: { phase: 'fetching', plan, progress: null, a: panel.a, b: panel.b, jobId } });
  c.workers
    .loader()
    .rowEvidence(
      { kind: 'fetch', jobId, plan, useCache: true, ...(token ? { token } : {}) },
      c.workers.proxy((progress: RowFetchProgress) =>
        settle(store, jobId, (p) => (p.phase === 'fetching' ? { ...p, progress } : p)),
      ),
    )
    .then(
      (reply) =>
        settle(store, jobId, (p) =>
          reply.ok && reply.kind === 'fetch'
            ? {
                phase: 'done',
                plan,
                evidence: reply.evidence,
                transfer: reply.transfer,
                warnings: reply.warnings,
                a: p.a,
                b: p.b,
                jobId: null,
              }
            : {
                phase: 'error',
                plan,
                message: reply.ok ? 'Unexpected reply from the loader.' : reply.error.message,
                a: p.a,
                b: p.b,
                jobId: null,
              },
        ),
      (e: unknown) =>
        settle(store, jobId, (p) => ({ phase: 'error', plan, message: message(e), a: p.a, b: p.b, jobId: null })),
    );
}

/** Stops a running fetch: the plan stays, ready to fetch again. */
function cancelRowFetch({ store, workers }: Ctx): void {
  const panel = store.getState().rowEvidence;
  if (!panel || panel.phase !== 'fetching') return;
  if (panel.jobId) void workers.loader().cancel(panel.jobId);
  store.setState({ rowEvidence: { phase: 'planned', plan: panel.plan, a: panel.a, b: panel.b, jobId: null } });
}

/** The pair left the screen: whatever runs for it is cancelled and the panel forgotten. */
function cancelRowEvidence({ store, workers }: Ctx): void {
  const panel = store.getState().rowEvidence;
  if (!panel) return;
  if (panel.jobId) void workers.loader().cancel(panel.jobId);
  store.setState({ rowEvidence: null });
}
