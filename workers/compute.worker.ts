// Compute worker: similarity matrices and other heavy math; the logic lives in src/core.
import * as Comlink from 'comlink';
import { evidenceForRoles, type PairEvidenceOptions, type RoleRows } from '../src/core/pairEvidence';
import { similarityMatrices } from '../src/core/metrics';
import { seededRandom } from '../src/core/sampling';
import { buildFigureExport } from '../src/core/exportFigures';
import { buildExport, type ExportInput } from '../src/core/exportJson';
import { permutationTestPair } from '../src/core/nulls';
import type { LoadedModel } from '../src/core/types';
import { roleRows, roleRowsOf } from '../src/core/pairs';
import { fineTuneDiff } from '../src/core/diff';
import { withinLayerPair } from '../src/core/withinLayer';
import { ridgeView, type RidgeOptions } from '../src/core/ridge';
import type { NormRole } from '../src/core/types';
import type { HeldBy } from '../src/compute/protocol';

function randomRows(count: number, dim: number, seed: number): Float32Array[] {
  const rand = seededRandom(seed);
  return Array.from({ length: count }, () => Float32Array.from({ length: dim }, () => 0.5 + rand()));
}

/**
 * Loaded models held here, keyed by load job, so each crosses the worker boundary once rather
 * than once per matrix, verdict and figure (cloning megabytes costs the main thread tens of ms).
 */
const held = new Map<string, LoadedModel>();
/** keys of held models a scan placed: a new comparison's retainModels leaves them to the scan */
const heldByScan = new Set<string>();

/** callers waiting for a model the loader worker has sent but that has not arrived yet */
const waiting = new Map<string, ((m: LoadedModel) => void)[]>();
/** how long a call waits for a model it names before it fails */
const ARRIVAL_TIMEOUT_MS = 30_000;

function hold(key: string, model: LoadedModel, by: HeldBy = 'comparison'): void {
  if (by === 'scan') heldByScan.add(key);
  else heldByScan.delete(key);
  held.set(key, model);
  performance.mark('normscope:model-held');
  for (const resolve of waiting.get(key) ?? []) resolve(model);
  waiting.delete(key);
}

/**
 * A held model. The loader worker sends models straight here over a MessageChannel (so the main
 * thread never clones them), and that port is not ordered with the main thread's calls: a call
 * may arrive first and then waits for the model.
 */
function heldModel(key: string): LoadedModel | Promise<LoadedModel> {
  const m = held.get(key);
  if (m) return m;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      waiting.set(
        key,
        (waiting.get(key) ?? []).filter((r) => r !== arrived),
      );
      reject(new Error(`model ${key} is not loaded in the compute worker`));
    }, ARRIVAL_TIMEOUT_MS);
    const arrived = (model: LoadedModel) => {
      clearTimeout(timer);
      resolve(model);
    };
    waiting.set(key, [...(waiting.get(key) ?? []), arrived]);
  });
}

const heldModels = (keys: readonly string[]) => Promise.all(keys.map(heldModel));

const api = {
  putModel(key: string, model: LoadedModel, by: HeldBy = 'comparison'): void {
    hold(key, model, by);
  },
  /** The loader worker's end of a channel on which it sends loaded models (`{ key, model }`). */
  attachLoader(port: MessagePort): void {
    port.onmessage = (e: MessageEvent<{ key: string; model: LoadedModel }>) => hold(e.data.key, e.data.model);
  },
  /** Forget one model (a family scan is done with a child). */
  forgetModel(key: string): void {
    held.delete(key);
    heldByScan.delete(key);
  },
  /** Forget every model not in `keys` (a new comparison replaced them); models a scan placed are the scan's to forget. */
  retainModels(keys: string[]): void {
    for (const key of [...held.keys()]) if (!keys.includes(key) && !heldByScan.has(key)) held.delete(key);
  },
  async similarityOf(keyA: string, keyB: string, norm: NormRole) {
    const [a, b] = await heldModels([keyA, keyB]);
    return api.similarity(roleRows(a!, norm), roleRows(b!, norm));
  },
  async figuresOf(keys: string[]) {
    return buildFigureExport(await heldModels(keys));
  },
  async evidenceOf(keyA: string, keyB: string, options: PairEvidenceOptions = {}) {
    const [a, b] = await heldModels([keyA, keyB]);
    return api.evidenceForPair(roleRowsOf(a!), roleRowsOf(b!), options);
  },
  similarity(rowsA: Float32Array[], rowsB: Float32Array[]) {
    const t0 = performance.now();
    const result = similarityMatrices(rowsA, rowsB);
    const ms = performance.now() - t0;
    performance.mark('normscope:matrix-done');
    return Comlink.transfer({ ...result, ms }, [result.cosine.buffer, result.pearson.buffer]);
  },
  /**
   * Verdicts for one pair, per role: permutation null and alignment per role; channel matching
   * once over every role, since a channel permutation is shared by all norms.
   */
  evidenceForPair(rolesA: RoleRows, rolesB: RoleRows, options: PairEvidenceOptions = {}) {
    return evidenceForRoles(rolesA, rolesB, options);
  },
  /** cellTest on two held models' layer vectors (layer i of A, layer j of B), nothing cloned in. */
  async cellTestOf(
    keyA: string,
    keyB: string,
    norm: NormRole,
    i: number,
    j: number,
    permutations: number,
    seed: number,
  ) {
    const [ma, mb] = await heldModels([keyA, keyB]);
    const a = ma!.layers[i]?.[norm];
    const b = mb!.layers[j]?.[norm];
    if (!a || !b) throw new Error(`layer ${i} or ${j} has no ${norm} norm`);
    return permutationTestPair(a, b, { permutations, seed });
  },
  /** The figure views' computations on held models (keys in the order the figure wants them). */
  async fineTuneDiffOf(keys: [string, string], norm: NormRole, options: { deltaSigma?: number }) {
    return fineTuneDiff(await heldModels(keys), 0, 1, norm, options);
  },
  async withinLayerPairOf(keys: [string, string]) {
    return withinLayerPair(await heldModels(keys), 0, 1);
  },
  async ridgeViewOf(keys: string[], norm: NormRole, options: RidgeOptions) {
    return ridgeView(
      await heldModels(keys),
      keys.map((_, k) => k),
      norm,
      options,
    );
  },
  async pcaOf(keys: string[], norm: NormRole) {
    return buildFigureExport(await heldModels(keys), { pcaNorm: norm }).pca;
  },
  /**
   * The JSON export of held models (by key, in query order) as a Blob: building and serializing
   * megabytes of matrices here keeps the click from blocking the page.
   */
  async exportJsonOf(input: Omit<ExportInput, 'models'> & { keys: string[] }): Promise<Blob> {
    const { keys, ...rest } = input;
    const models = await heldModels(keys);
    // the comparison marks itself complete at its last verdict, before its figures are in: build them here then
    const figures = rest.figures ?? (models.length > 0 ? buildFigureExport(models) : rest.figures);
    const data = buildExport({ ...rest, figures, models });
    return new Blob([JSON.stringify(data)], { type: 'application/json' });
  },
  /** One layer pair's own null: seeded permutation p and z, Spearman, the analytic 1/√(d−1). */
  cellTest(a: Float32Array, b: Float32Array, permutations: number, seed: number) {
    return permutationTestPair(a, b, { permutations, seed });
  },
  /** For `npm run bench`: time the matrices for L×L layers of width d inside this worker. */
  benchSimilarity(layers: number, dim: number, repeats: number): number[] {
    const a = randomRows(layers, dim, 1);
    const b = randomRows(layers, dim, 2);
    similarityMatrices(a, b); // warm-up: let the JIT compile the kernel
    const times: number[] = [];
    for (let k = 0; k < repeats; k++) {
      const t0 = performance.now();
      similarityMatrices(a, b);
      times.push(performance.now() - t0);
    }
    return times;
  },
};

export type ComputeApi = typeof api;
Comlink.expose(api);
