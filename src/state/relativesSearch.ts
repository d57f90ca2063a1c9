// The relatives search (issue #15), with every dependency injected (no module state, no workers):
// the app wires it to its loader worker and compute pool, the Node tests and the bench to loadModel
// and the stand-in. Candidates: the declared base chain up to the root, the declared children, the
// Hub's most downloaded roots of the same width, and the user's; each is loaded and judged by the
// family scan's sequential test on the norms; the matrix check, when given, where the norms cannot
// tell and for the strongest candidates. Cancellable through the signal; progress per candidate.
import type { LoadedModel, LoadProgress, NormRole } from '../core/types';
import type { Evidence } from '../core/verdict';
import type { MatrixEvidence } from '../core/deep/api';
import type { ChildList, RootList } from '../compute/protocol';
import { roleRowsOf } from '../core/pairs';
import {
  chooseCandidates,
  clampRelativesLimit,
  DEEP_CHECK_MAX,
  DEEP_CHECK_RESOLVE_CEILING,
  DEEP_CHECK_STRONGEST,
  judgeRelative,
  MAX_ANCESTOR_DEPTH,
  MAX_DECLARED_CHILDREN,
  normsInformative,
  settleLikelyParents,
  type JudgeRelativeInput,
  type RelativeCandidate,
} from '../core/lineage/relatives';

export interface RelativesDeps {
  listRoots(max: number, signal: AbortSignal): Promise<RootList>;
  listChildren(repo: string, max: number, signal: AbortSignal): Promise<ChildList>;
  /** config.json width at a commit; `resolves` 0 when cached */
  readWidth(
    repo: string,
    sha: string,
    signal: AbortSignal,
  ): Promise<{ width: number | null; modelType: string | null; resolves: number }>;
  load(
    repo: string,
    revision: string,
    signal: AbortSignal,
    onProgress: (p: LoadProgress) => void,
  ): Promise<LoadedModel>;
  /** the family scan's sequential test, per role */
  compare(a: LoadedModel, b: LoadedModel, signal: AbortSignal): Promise<Partial<Record<NormRole, Evidence>>>;
  /** the deep check (matrix evidence); absent until it is wired */
  deepCheck?: (a: LoadedModel, b: LoadedModel, signal: AbortSignal) => Promise<MatrixEvidence | null>;
  /** requests counted where they are made (api bucket, /resolve/ hits); absent: summed from the answers */
  meter?: () => { api: number; resolves: number };
}

export type { CandidatePhase, CandidateState, RelativesState } from './types';
import type { CandidateState, RelativesState } from './types';

export interface RelativesOptions {
  /** roots listed (the most downloaded) */
  limit?: number;
  /** models the user added */
  users?: string[];
  maxCompared?: number;
  concurrency?: number;
  now?: () => number;
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

async function pool<T>(items: readonly T[], n: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.max(1, Math.min(n, items.length)) }, async () => {
      while (next < items.length) await run(items[next++]!);
    }),
  );
}

/** One run's state and its updaters, shared by the phases below. */
interface Run {
  target: LoadedModel;
  deps: RelativesDeps;
  options: RelativesOptions;
  signal: AbortSignal;
  state: () => RelativesState;
  set(patch: Partial<RelativesState> | ((s: RelativesState) => Partial<RelativesState>)): void;
  spend(api: number, resolves: number): void;
  patchCandidate(id: string, patch: Partial<CandidateState>): void;
}

const declaredBase = (id: string): RelativeCandidate => ({
  id,
  sha: null,
  source: 'declared-base',
  downloads: 0,
  modelType: null,
  width: null,
});

const queued = (candidate: RelativeCandidate): CandidateState => ({
  candidate,
  phase: 'queued',
  progress: null,
  judgement: null,
  loadedSha: null,
  error: null,
});

/** Phase 1–2: the declared chain, the declared children, the user's models and the roots with their widths. */
async function listCandidates(run: Run): Promise<{ chosen: RelativeCandidate[]; roots: RootList }> {
  const { target, deps, options, signal } = run;
  const [children, roots] = await Promise.all([
    target.source === 'hub'
      ? deps.listChildren(target.repo, MAX_DECLARED_CHILDREN, signal).catch(() => null)
      : Promise.resolve(null),
    deps.listRoots(clampRelativesLimit(options.limit), signal),
  ]);
  run.spend((children?.apiCalls ?? 0) + roots.apiCalls, 0);
  run.set({ listed: roots.listed, roots: roots.roots.length, status: 'reading-widths' });
  const declared: RelativeCandidate[] = [
    ...(target.declared?.bases ?? []).map(declaredBase),
    ...(children?.children ?? []).map((c) => ({
      id: c.id,
      sha: c.sha,
      source: 'declared-child' as const,
      downloads: c.downloads,
      modelType: null,
      width: null,
    })),
    ...(options.users ?? []).map((id) => ({ ...declaredBase(id), source: 'user' as const })),
  ];
  const hub: RelativeCandidate[] = [];
  await pool(roots.roots, options.concurrency ?? 8, async (r) => {
    if (signal.aborted || r.id.toLowerCase() === target.repo.toLowerCase() || !r.sha) return;
    try {
      const w = await deps.readWidth(r.id, r.sha, signal);
      run.spend(0, w.resolves);
      hub.push({ ...r, source: 'hub', width: w.width, modelType: r.modelType ?? w.modelType });
    } catch {
      run.spend(0, 1); // an unreadable config: the root is skipped
    }
  });
  const { chosen, matched } = chooseCandidates(
    { repo: target.repo, width: target.hiddenSize, modelType: target.modelType || null },
    [...declared, ...hub.sort((a, b) => b.downloads - a.downloads)],
    options.maxCompared,
  );
  run.set({ matched, status: 'comparing', candidates: chosen.map(queued) });
  return { chosen, roots };
}

type NormsByRole = Partial<Record<NormRole, Evidence>>;

/** Phase 3–4: load and judge each candidate; a declared base's own bases join the chain. */
async function judgeCandidates(run: Run, chosen: RelativeCandidate[], roots: RootList): Promise<void> {
  const { target, deps, signal } = run;
  const targetBases = target.declared?.bases ?? [];
  const targetInformative = normsInformative(roleRowsOf(target));
  const targetDownloads = roots.roots.find((r) => r.id.toLowerCase() === target.repo.toLowerCase())?.downloads ?? null;
  const deepLater: { c: RelativeCandidate; model: LoadedModel; norms: NormsByRole }[] = [];
  // the matrix check is costly: a few per search, and none once the resolver budget runs low
  let deepRuns = 0;
  const deepAllowed = () => deepRuns < DEEP_CHECK_MAX && run.state().spent.resolves < DEEP_CHECK_RESOLVE_CEILING;
  const judge = (c: RelativeCandidate, rest: Partial<JudgeRelativeInput>) =>
    judgeRelative({
      target: target.repo,
      targetDeclaresBase: targetBases.length > 0,
      targetDownloads,
      candidate: c,
      norms: null,
      normsInformative: true,
      matrices: null,
      ...rest,
    });
  const fail = (c: RelativeCandidate, e: unknown) => {
    if (!signal.aborted)
      run.patchCandidate(c.id, { phase: 'error', error: message(e), judgement: judge(c, { failure: message(e) }) });
  };
  const walkUp = async (model: LoadedModel, depth: number) => {
    const known = new Set(run.state().candidates.map((x) => x.candidate.id.toLowerCase()));
    const up = (model.declared?.bases ?? []).filter((b) => !known.has(b.toLowerCase()) && !sameRepo(b, target.repo));
    if (up.length) run.set((s) => ({ candidates: [...s.candidates, ...up.map((id) => queued(declaredBase(id)))] }));
    await Promise.all(up.map((id) => one(declaredBase(id), depth + 1)));
  };
  const one = async (c: RelativeCandidate, depth: number): Promise<void> => {
    if (signal.aborted) return;
    run.patchCandidate(c.id, { phase: 'loading' });
    let model: LoadedModel;
    try {
      model = await loadCounted(run, c.id, c.sha ?? 'main', (progress) => run.patchCandidate(c.id, { progress }));
    } catch (e) {
      return fail(c, e);
    }
    if (c.source === 'declared-base' && depth < MAX_ANCESTOR_DEPTH) await walkUp(model, depth);
    if (signal.aborted) return;
    run.patchCandidate(c.id, { phase: 'comparing', loadedSha: model.sha });
    const informative = targetInformative && normsInformative(roleRowsOf(model));
    let norms: NormsByRole = {};
    try {
      norms = informative ? await deps.compare(target, model, signal) : {};
    } catch (e) {
      return fail(c, e);
    }
    run.set((s) => ({ compared: s.compared + 1 }));
    if (informative && Object.keys(norms).length === 0)
      return run.patchCandidate(c.id, {
        phase: 'done',
        judgement: judge(c, { failure: `no norm of the same width (${target.hiddenSize} vs ${model.hiddenSize})` }),
      });
    let matrices: MatrixEvidence | null = null;
    if (informative) deepLater.push({ c, model, norms });
    else if (deps.deepCheck && deepAllowed()) {
      deepRuns++;
      run.patchCandidate(c.id, { phase: 'deep' });
      matrices = await deps.deepCheck(target, model, signal).catch((e: unknown) => {
        run.patchCandidate(c.id, { error: `matrix check: ${message(e)}` });
        return null;
      });
    }
    if (!informative && !matrices) run.set({ deepMissing: true });
    run.patchCandidate(c.id, {
      phase: 'done',
      judgement: judge(c, { norms, normsInformative: informative, matrices }),
    });
  };
  await pool(chosen, run.options.concurrency ?? 3, (c) => one(c, 0));
  run.set((s) => ({ candidates: settleLikelyParents(s.candidates) }));
  // the strongest candidates short of a verdict also get the matrix check, when it is wired
  if (!deps.deepCheck || signal.aborted) return;
  const statusOf = (id: string) => run.state().candidates.find((x) => x.candidate.id === id)?.judgement?.status;
  const strongest = deepLater.filter((d) => statusOf(d.c.id) === 'inconclusive').slice(0, DEEP_CHECK_STRONGEST);
  for (const d of strongest) {
    if (!deepAllowed()) break;
    deepRuns++;
    run.patchCandidate(d.c.id, { phase: 'deep' });
    const matrices = await deps.deepCheck(target, d.model, signal).catch(() => null);
    run.patchCandidate(d.c.id, { phase: 'done', judgement: judge(d.c, { norms: d.norms, matrices }) });
  }
}

const sameRepo = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

async function loadCounted(run: Run, repo: string, revision: string, onProgress: (p: LoadProgress) => void) {
  try {
    const m = await run.deps.load(repo, revision, run.signal, onProgress);
    run.spend(m.apiCalls ?? 0, m.transfer.resolves ?? 0);
    return m;
  } catch (e) {
    if (!run.signal.aborted) run.spend(1, 0); // the model-info call was made
    throw e;
  }
}

export async function searchRelatives(
  target: LoadedModel,
  deps: RelativesDeps,
  options: RelativesOptions,
  onUpdate: (s: RelativesState) => void,
  signal: AbortSignal,
): Promise<RelativesState> {
  const now = options.now ?? (() => performance.now());
  const started = now();
  let state: RelativesState = {
    of: target.repo,
    status: 'listing',
    error: null,
    candidates: [],
    listed: 0,
    roots: 0,
    matched: 0,
    compared: 0,
    spent: { api: 0, resolves: 0 },
    deepMissing: false,
    wallMs: null,
  };
  const base0 = deps.meter?.();
  const run: Run = {
    target,
    deps,
    options,
    signal,
    state: () => state,
    set(patch) {
      state = { ...state, ...(typeof patch === 'function' ? patch(state) : patch) };
      if (deps.meter && base0) {
        const m = deps.meter();
        state.spent = { api: m.api - base0.api, resolves: m.resolves - base0.resolves };
      }
      onUpdate(state);
    },
    spend: (api, resolves) =>
      run.set((s) => ({ spent: { api: s.spent.api + api, resolves: s.spent.resolves + resolves } })),
    patchCandidate: (id, patch) =>
      run.set((s) => ({ candidates: s.candidates.map((c) => (c.candidate.id === id ? { ...c, ...patch } : c)) })),
  };
  const finish = (status: RelativesState['status'], error: string | null = null) => {
    run.set({ status: signal.aborted ? 'cancelled' : status, error, wallMs: now() - started });
    return state;
  };
  run.set({});
  try {
    const { chosen, roots } = await listCandidates(run);
    if (signal.aborted) return finish('cancelled');
    await judgeCandidates(run, chosen, roots);
    return finish('done');
  } catch (e) {
    return finish('error', message(e));
  }
}
