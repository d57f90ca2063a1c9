// A comparison's compute work as its models land: a pair's matrices are computed as soon as both of its
// models are in the compute worker, whatever the other models are doing; verdicts come after every
// heatmap that can be computed; the figures (the export's statistics) come after every verdict.
import type { Workers } from '../compute/client';
import type { LoadedModel, NormRole, PairMatrices } from '../core/types';
import type { Evidence } from '../core/verdict';
import { pairKey, planPairs, type NotComparable } from '../core/pairs';
import { evidenceKey, type AppStore } from './store';
import { afterPaint, yieldToMain } from './yieldToMain';
import { figuresAtPositions } from '../core/exportFigures';

type Pair = [number, number];
interface MatrixJob {
  kind: 'matrix';
  a: number;
  b: number;
  norm: NormRole;
}
interface VerdictJob {
  kind: 'verdict';
  a: number;
  b: number;
  roles: NormRole[];
}
type Job = MatrixJob | VerdictJob;

export interface PairStreamDeps {
  store: AppStore;
  compute: Pick<ReturnType<Workers['compute']>, 'similarityOf' | 'evidenceOf' | 'figuresOf'>;
  /** a pair's verdicts (by model index) spread over several workers; absent: the compute worker alone */
  evidenceOf?: (a: number, b: number) => Promise<Partial<Record<NormRole, Evidence>>>;
  /** false once a newer comparison started: nothing more is computed or written */
  current(): boolean;
}

export interface PairStream {
  /** model `index` is in the compute worker: its pairs with every model already in are planned and queued */
  modelReady(index: number): void;
  /** every load ended (loaded, failed or cancelled): resolves when the last verdict and the figures are in */
  loadsSettled(): Promise<void>;
}

const isPair = (a: number, b: number, q: Pair | null) => q !== null && q[0] === a && q[1] === b;
const byPair = (x: { a: number; b: number }, y: { a: number; b: number }) => x.a - y.a || x.b - y.b;

/**
 * The next job: any matrix before any verdict (heatmaps first); among matrices the shown pair's shown role,
 * then the shown pair; among verdicts the shown pair; otherwise in the order the pairs became ready.
 * The shown pair is the query's, or else the first pair in plan order (what the heatmap shows).
 */
export function nextJob(queue: readonly Job[], shown: Pair | null, shownNorm: NormRole | null): number {
  if (queue.length === 0) return -1;
  const firstPair = [...queue].sort(byPair)[0]!;
  const pair: Pair = shown ?? [firstPair.a, firstPair.b];
  const score = (j: Job) =>
    (j.kind === 'matrix' ? 4 : 0) +
    (isPair(j.a, j.b, pair) ? 2 : 0) +
    (j.kind === 'matrix' && j.norm === shownNorm ? 1 : 0);
  let best = 0;
  for (let k = 1; k < queue.length; k++) if (score(queue[k]!) > score(queue[best]!)) best = k;
  return best;
}

export function createPairStream(
  { store, compute, current, evidenceOf }: PairStreamDeps,
  keys: readonly string[],
): PairStream {
  const ready: number[] = [];
  const queue: Job[] = [];
  const roles = new Map<string, { a: number; b: number; roles: NormRole[] }>();
  const notComparable: NotComparable[] = [];
  const matrices = new Map<string, PairMatrices>();
  const evidence: Record<string, Evidence> = {};
  let computeMs = 0;
  let running: Promise<void> | null = null;
  let shownOnce = false;
  /** the heatmaps were painted before the first verdict started */
  let painted = false;

  /** the store's pairs in plan order (the export's order), whatever order they were computed in */
  const inPlanOrder = () =>
    [...roles.values()]
      .sort(byPair)
      .flatMap(({ a, b, roles: rs }) => rs.flatMap((n) => matrices.get(evidenceKey(a, b, n)) ?? []));

  function plan(a: number, b: number, models: (LoadedModel | null)[]): void {
    const p = planPairs(models.map((m, i) => (i === a || i === b ? m : null)));
    notComparable.push(...p.notComparable);
    notComparable.sort(byPair);
    const rs = p.roles[pairKey(a, b)] ?? [];
    if (rs.length === 0) return;
    roles.set(pairKey(a, b), { a, b, roles: rs });
    queue.push(...rs.map((norm): Job => ({ kind: 'matrix', a, b, norm })));
    queue.push({ kind: 'verdict', a, b, roles: rs });
  }

  async function run(job: Job): Promise<void> {
    if (job.kind === 'matrix') {
      const r = await compute.similarityOf(keys[job.a]!, keys[job.b]!, job.norm);
      if (!current()) return;
      computeMs += r.ms;
      const { a, b, norm } = job;
      matrices.set(evidenceKey(a, b, norm), {
        a,
        b,
        norm,
        rows: r.rows,
        cols: r.cols,
        cosine: r.cosine,
        pearson: r.pearson,
      });
      // the first heatmap at once; then one store update per batch of matrices (each update renders)
      if (shownOnce && queue.some((j) => j.kind === 'matrix')) return;
      shownOnce = true;
      store.setState({ pairs: inPlanOrder(), computeMs });
      performance.mark('normscope:pairs-set');
    } else {
      const byRole = evidenceOf ? await evidenceOf(job.a, job.b) : await compute.evidenceOf(keys[job.a]!, keys[job.b]!);
      if (!current()) return;
      for (const norm of job.roles) if (byRole[norm]) evidence[evidenceKey(job.a, job.b, norm)] = byRole[norm];
      store.setState({ evidence: { ...evidence } });
    }
    await yieldToMain();
  }

  /** runs the queue, one job at a time (the worker runs one anyway; this lets a new matrix jump the verdicts) */
  async function drain(): Promise<void> {
    await Promise.resolve(); // pump records this run before it can end
    try {
      while (current() && queue.length > 0) {
        const { pair, norm } = store.getState().query;
        const [job] = queue.splice(nextJob(queue, pair, norm), 1);
        // the heatmaps on screen before the verdicts take the cores
        if (job!.kind === 'verdict' && !painted) {
          await afterPaint();
          painted = true;
        }
        await run(job!);
      }
    } finally {
      running = null; // cleared as the loop ends, not a microtask later: a job queued after this starts a new run
    }
  }
  function pump(): Promise<void> {
    running ??= drain();
    return running;
  }

  return {
    modelReady(index) {
      if (!current()) return;
      const models = store.getState().slots.map((s) => s.model);
      for (const other of ready) plan(Math.min(index, other), Math.max(index, other), models);
      ready.push(index);
      store.setState({ computing: true, notComparable: [...notComparable] });
      void pump().catch(() => undefined); // a failure surfaces through loadsSettled
    },
    async loadsSettled() {
      if (!current()) return;
      store.setState({ computing: true });
      while (running) await running;
      if (current() && queue.length > 0) await pump();
      if (!current()) return;
      const { slots } = store.getState();
      const models = slots.map((s) => s.model);
      const allSettled = slots.every((s) => s.status !== 'loading');
      // every verdict is in: the export may start now (it builds the figures itself if they are not in yet)
      store.setState({
        pairs: inPlanOrder(),
        computeMs,
        computing: false,
        analysisComplete: allSettled && models.some((m) => m !== null),
      });
      await yieldToMain();
      // figures of the loaded models (a failed one holds nothing back), numbered by query position
      const positions = models.flatMap((m, i) => (m ? [i] : []));
      if (!current() || positions.length === 0) return;
      const figures = figuresAtPositions(await compute.figuresOf(positions.map((i) => keys[i]!)), positions);
      if (current()) store.setState({ figures });
    },
  };
}
