// The deep check as actions (issue 14): per pair of models, first its cost (headers only), then on
// request — or for every pair at once when the link says deep=1, the link being the consent — the
// run in the loader worker. State lives in the store under `deepChecks`, keyed "a,b".
import type { AppStore } from './store';
import type { LoadedModel } from '../core/types';
import type { DeepCheckEntry, DeepCheckRequest, DeepModelRef, DeepProgress } from '../compute/deepProtocol';
import { Comlink, loaderWorker } from '../compute/client';
import { tokenFor } from './token';

export type { DeepCheckEntry, DeepCost, DeepProgress, DeepRunResult } from '../compute/deepProtocol';

export const deepKey = (a: number, b: number): string => `${a},${b}`;

let counter = 0;

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Worker compute per matrix row measured in the 8B bench (BENCHMARKS.md: 3.9 s for ≈ 11.6k rows), until a check ran here. */
export const BENCH_MS_PER_ROW = 0.34;

export interface DeepTimeEstimate {
  seconds: number;
  /** what the figure rests on, in words */
  basis: string;
}

/** The effective transfer rate of a model's norm load, bytes/s; null when it did not measure one (cache, too few bytes). */
/** Below this the load is latency, not bandwidth: no rate is taken from it. */
export const MIN_RATE_BYTES = 64 * 1024;

export function loadRate(m: LoadedModel): number | null {
  const { bytes, wallMs } = m.transfer;
  if (m.fromCache || !wallMs || wallMs <= 0 || bytes < MIN_RATE_BYTES) return null;
  return bytes / (wallMs / 1000);
}

/** Compute per row measured by the deep checks that finished in this session (total ms / total rows), or null. */
export function measuredMsPerRow(entries: Record<string, DeepCheckEntry>): number | null {
  let ms = 0;
  let rows = 0;
  for (const e of Object.values(entries))
    if (e.phase === 'done' && e.result.rowsRead > 0) {
      ms += e.result.computeMs;
      rows += e.result.rowsRead;
    }
  return rows > 0 ? ms / rows : null;
}

/**
 * The deep check's time from measured rates: each model's bytes at the rate its own norm load saw
 * (falling back to the job's assumed rate when none was measured), plus the rows at the measured compute per row.
 */
export function deepTimeEstimate(
  cost: DeepCheckEntry['cost'] & object,
  models: [LoadedModel, LoadedModel],
  msPerRow: number | null,
): DeepTimeEstimate {
  const words: string[] = [];
  let seconds = 0;
  models.forEach((m, i) => {
    const rate = loadRate(m);
    const bytes = cost.maxBytesPerModel[i as 0 | 1];
    if (rate) {
      seconds += bytes / rate;
      words.push(`${m.repo} at ${(rate / 1e6).toFixed(1)} MB/s (its norm load)`);
    } else {
      seconds += cost.estimatedSeconds / 2;
      const why = m.fromCache
        ? 'its norms came from the cache'
        : `its norm load read ${Math.round(m.transfer.bytes / 1024)} KB, too little to measure a rate`;
      words.push(`${m.repo} at an assumed 20 MB/s (${why})`);
    }
  });
  const rows = cost.sides[0].rowsPlanned + cost.sides[1].rowsPlanned;
  const perRow = msPerRow ?? BENCH_MS_PER_ROW;
  seconds += (rows * perRow) / 1000;
  words.push(
    `${rows} rows × ${perRow.toFixed(2)} ms compute per row (${msPerRow === null ? 'measured in the 8B bench' : 'measured by the checks run here'})`,
  );
  return { seconds, basis: `Based on: ${words.join('; ')}.` };
}

/** A Hub model as the deep check reads it: safetensors at its commit, or the GGUF parts its norms came from. */
export function hubDeepRef(m: LoadedModel): DeepModelRef {
  return m.format === 'gguf' ? { repo: m.repo, sha: m.sha, gguf: { files: m.files } } : { repo: m.repo, sha: m.sha };
}

/** The two loaded models of a pair as the worker reads them, or a reason the deep check cannot run for it. */
type PairModels =
  | { error: string; ma?: undefined; mb?: undefined }
  | { error?: undefined; ma: LoadedModel; mb: LoadedModel; refs: [DeepModelRef, DeepModelRef] };

function pairModels(store: AppStore, a: number, b: number): PairModels {
  const s = store.getState();
  const ma = s.slots[a]?.model;
  const mb = s.slots[b]?.model;
  if (!ma || !mb) return { error: 'Both models must be loaded first.' };
  const refOf = (i: number, m: LoadedModel): DeepModelRef | string => {
    if (m.source !== 'local') return hubDeepRef(m);
    const local = s.slots[i]?.localFiles;
    if (!local) return `${m.repo}: its files are no longer at hand; add them again to run the deep check.`;
    return { repo: m.repo, sha: m.sha, local: { entries: local.entries, files: local.files } };
  };
  const ra = refOf(a, ma);
  const rb = refOf(b, mb);
  if (typeof ra === 'string') return { error: ra };
  if (typeof rb === 'string') return { error: rb };
  return { ma, mb, refs: [ra, rb] };
}

/** The loader's request for a pair's deep check (its cost, or the run), with the hub's token if any. */
function deepRequest(
  store: AppStore,
  refs: [DeepModelRef, DeepModelRef],
  jobId: string,
  kind: DeepCheckRequest['kind'],
): DeepCheckRequest {
  const hub = store.getState().hubUrl;
  const token = tokenFor(store, hub);
  return { kind, jobId, hub, a: refs[0], b: refs[1], useCache: true, ...(token ? { token } : {}) };
}

function put(store: AppStore, entry: DeepCheckEntry): void {
  store.setState({ deepChecks: { ...store.getState().deepChecks, [deepKey(entry.a, entry.b)]: entry } });
}

/** Writes the entry only while `jobId` is still its job. */
function settle(store: AppStore, a: number, b: number, jobId: string, next: (e: DeepCheckEntry) => DeepCheckEntry) {
  const e = store.getState().deepChecks[deepKey(a, b)];
  if (e && e.jobId === jobId) put(store, next(e));
}

/**
 * Runs `fn` once the comparison's verdicts are in (at once if they are). The cost estimate reads every
 * shard's header back from the cache: done earlier, it would take a core from the heatmaps and verdicts.
 */
function whenVerdictsIn(store: AppStore, fn: () => void): void {
  if (store.getState().analysisComplete) return fn();
  const stop = store.subscribe((s) => {
    if (!s.analysisComplete) return;
    stop();
    fn();
  });
}

/**
 * The cost of the deep check of a pair: tensors, bytes per model, estimated time. Nothing is read but
 * headers, and only once the verdicts are in.
 */
export function estimateDeepCheck(store: AppStore, a: number, b: number): void {
  if (!store.getState().analysisComplete) return whenVerdictsIn(store, () => estimateDeepCheck(store, a, b));
  const pm = pairModels(store, a, b);
  const base = { a, b, shas: ['', ''] as [string, string], cost: null };
  if (pm.error !== undefined) return put(store, { ...base, jobId: null, phase: 'error', message: pm.error });
  const { ma, mb } = pm;
  const existing = store.getState().deepChecks[deepKey(a, b)];
  if (existing && existing.shas[0] === ma.sha && existing.shas[1] === mb.sha && existing.phase !== 'error') return;
  const jobId = `deep-${++counter}`;
  put(store, { ...base, shas: [ma.sha, mb.sha], jobId, phase: 'estimating' });
  loaderWorker()
    .deepCheck(deepRequest(store, pm.refs, jobId, 'estimate'))
    .then(
      (reply) =>
        settle(store, a, b, jobId, (e) =>
          reply.ok && reply.kind === 'estimate'
            ? { ...e, jobId: null, cost: reply.cost, phase: 'estimated' }
            : { ...e, jobId: null, phase: 'error', message: reply.ok ? 'Unexpected reply.' : reply.error.message },
        ),
      (err: unknown) =>
        settle(store, a, b, jobId, (e) => ({ ...e, jobId: null, phase: 'error', message: message(err) })),
    );
}

/** Runs the deep check of a pair (tokenizers, rows, test) in the loader worker, with progress. */
export function startDeepCheck(store: AppStore, a: number, b: number): void {
  const pm = pairModels(store, a, b);
  const prev = store.getState().deepChecks[deepKey(a, b)];
  const base = { a, b, shas: ['', ''] as [string, string], cost: prev?.cost ?? null };
  if (pm.error !== undefined) return put(store, { ...base, jobId: null, phase: 'error', message: pm.error });
  const { ma, mb } = pm;
  if (prev?.phase === 'running' || (prev?.phase === 'done' && prev.shas[0] === ma.sha && prev.shas[1] === mb.sha))
    return;
  if (prev?.jobId) void loaderWorker().cancel(prev.jobId);
  const jobId = `deep-${++counter}`;
  put(store, { ...base, shas: [ma.sha, mb.sha], jobId, phase: 'running', progress: null });
  loaderWorker()
    .deepCheck(
      deepRequest(store, pm.refs, jobId, 'run'),
      Comlink.proxy((progress: DeepProgress) =>
        settle(store, a, b, jobId, (e) => (e.phase === 'running' ? { ...e, progress } : e)),
      ),
    )
    .then(
      (reply) =>
        settle(store, a, b, jobId, (e) =>
          reply.ok && reply.kind === 'run'
            ? { ...e, jobId: null, phase: 'done', result: reply.result }
            : { ...e, jobId: null, phase: 'error', message: reply.ok ? 'Unexpected reply.' : reply.error.message },
        ),
      (err: unknown) =>
        settle(store, a, b, jobId, (e) => ({ ...e, jobId: null, phase: 'error', message: message(err) })),
    );
}

/** Stops a running deep check; its cost stays, ready to run again. */
export function cancelDeepCheck(store: AppStore, a: number, b: number): void {
  const e = store.getState().deepChecks[deepKey(a, b)];
  if (!e || e.phase !== 'running') return;
  if (e.jobId) void loaderWorker().cancel(e.jobId);
  put(store, { a, b, shas: e.shas, cost: e.cost, jobId: null, phase: 'estimated' });
}

/**
 * deep=1 in the link: once every model is loaded, the deep check runs for every pair without asking
 * (pairs one after another are started together; the worker's limiter bounds the reads).
 */
export function startDeepLinkWatch(store: AppStore): () => void {
  const check = () => {
    const s = store.getState();
    if (s.query.extra['deep'] !== '1') return;
    if (s.slots.length < 2 || s.slots.some((slot) => slot.status === 'loading')) return;
    for (let a = 0; a < s.slots.length; a++)
      for (let b = a + 1; b < s.slots.length; b++) {
        if (!s.slots[a]?.model || !s.slots[b]?.model) continue;
        const e = s.deepChecks[deepKey(a, b)];
        const ma = s.slots[a]!.model!;
        const mb = s.slots[b]!.model!;
        const same = e && ((e.shas[0] === ma.sha && e.shas[1] === mb.sha) || e.shas[0] === '');
        if (e && same && e.phase !== 'estimated' && e.phase !== 'estimating') continue;
        startDeepCheck(store, a, b);
      }
  };
  check();
  return store.subscribe(check);
}
