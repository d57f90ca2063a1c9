// The deep check of two models (issue 14), as the loader worker runs it: Hub safetensors, Hub GGUF
// or local files (deepSides.ts), read through the norm load's byte sources; which rows to read and
// what they say come from core/deep (shared tokens, plan, aligned test). Two steps so the UI can show
// the cost first:
//   estimate — headers only: which tensors, the byte budget per model, the vocabulary's size
//   run      — tokenizers, shared tokens, planned rows (a second round when the plan asks for rows
//              that depend on the alignment found), decoded here, tested here
import type { DeepTensorInfo, RowBlock, SharedTokens } from '../core/deep/api';
import type {
  DeepCheckReply,
  DeepCheckRequest,
  DeepCost,
  DeepProgress,
  DeepRunResult,
  DeepSideCost,
  DeepTransfer,
} from '../compute/deepProtocol';

export type { DeepCheckReply, DeepCheckRequest, DeepCost, DeepProgress, DeepRunResult } from '../compute/deepProtocol';
import { planDeepReads, runDeepCheck, sharedTokens } from '../core/deep/api';
import { deepRowBytes } from '../core/rowDecode';
import { readDeepRows, type RowByteCache } from '../sources/deepRows';
import type { NormCache } from './cache';
import { guardCache } from './cacheGuard';
import { asHubError, checkRef, type CommonOptions } from './hubModelMeta';
import { formatRowIds } from '../core/ranges';
import { normalizeHubUrl } from './repoUrls';
import { checkReadable, deepSideOf, MAX_TOKENIZER_BYTES, type DeepSide } from './deepSides';

export { MAX_TOKENIZER_BYTES } from './deepSides';

/** Row bytes per model at most: with a 7B model's ~9 MB tokenizer.json, ≤ 64 MB read per model. */
export const DEEP_ROW_BUDGET_BYTES = 48 * 1024 * 1024;
/** …and never more than this share of the bytes of the tensors the check may read (small models). */
export const DEEP_MAX_SHARE = 0.2;
export const DEEP_SEED = 0x5eed_0014;
/** For the estimated time: a modest connection and the stand-in's/Hub's latency per request. */
const ASSUMED_BYTES_PER_SECOND = 20 * 1024 * 1024;
const ASSUMED_ROUND_TRIP_S = 0.3;

function describeTensors(list: readonly DeepTensorInfo[]): string {
  const layers = new Set(list.filter((t) => t.layer >= 0).map((t) => t.layer)).size;
  const roles = [...new Set(list.filter((t) => t.layer >= 0).map((t) => t.role))].join('/');
  const embed = list.some((t) => t.role === 'embed') ? 'embeddings' : 'no embeddings';
  return layers > 0 ? `${embed}, ${roles} × ${layers} layers` : embed;
}

const rowBudgetOf = (s: DeepSide, budget: number) => Math.floor(Math.min(budget, DEEP_MAX_SHARE * s.tensorBytes));

/** Rows of the model's hidden width (its embedding dtype) the row budget buys. */
function rowsOf(s: DeepSide, bytes: number): number {
  const embed = s.discovery.tensors.find((t) => t.role === 'embed');
  const row = embed && s.hidden ? deepRowBytes(embed.dtype, s.hidden) : null;
  return row ? Math.floor(bytes / row) : 0;
}

async function estimate(hub: string, sides: [DeepSide, DeepSide], budget: number): Promise<DeepCost> {
  const tok = await Promise.all(sides.map((s) => s.tokenizerSize().catch(() => null)));
  const cost = sides.map((s, i): DeepSideCost => ({
    repo: s.label,
    tokenizerBytes: tok[i]!,
    rowBudgetBytes: rowBudgetOf(s, budget),
    rowsPlanned: rowsOf(s, rowBudgetOf(s, budget)),
    tensors: describeTensors(s.discovery.tensors),
    tensorCount: s.discovery.tensors.length,
    unsupported: s.discovery.unsupported,
  })) as [DeepSideCost, DeepSideCost];
  const max = cost.map((c) => (c.tokenizerBytes ?? MAX_TOKENIZER_BYTES) + c.rowBudgetBytes) as [number, number];
  const estimatedSeconds = (max[0] + max[1]) / ASSUMED_BYTES_PER_SECOND + 4 * ASSUMED_ROUND_TRIP_S;
  return { sides: cost, maxBytesPerModel: max, estimatedSeconds };
}

function rowCache(s: DeepSide, cache: NormCache | null): RowByteCache | null {
  const key = s.rowKey;
  if (!cache || !key) return null;
  const k = (t: string, ids: Int32Array) => key(t, formatRowIds([...ids]));
  return { get: (t, ids) => cache.getTensor(k(t, ids)), put: (t, ids, b) => cache.putTensor(k(t, ids), b) };
}

interface Reader {
  read(side: 0 | 1, requests: Parameters<typeof readDeepRows>[0]['requests']): Promise<RowBlock[]>;
  transfer: [DeepTransfer, DeepTransfer];
  computeMs: number;
  rows: number;
}

function reader(sides: [DeepSide, DeepSide], cache: NormCache | null, onBytes: () => void): Reader {
  const r: Reader = {
    transfer: [0, 1].map(() => ({ tokenizerBytes: 0, rowBytes: 0, requests: 0, cachedBytes: 0 })) as [
      DeepTransfer,
      DeepTransfer,
    ],
    computeMs: 0,
    rows: 0,
    async read(i, requests) {
      const s = sides[i];
      const files = new Set(requests.map((q) => s.tensors.get(q.tensor)?.file).filter((f) => f !== undefined));
      const sources = new Map([...files].map((file) => [file, s.source(file)]));
      const got = await readDeepRows({
        label: s.label,
        tensors: s.tensors,
        infos: new Map(s.discovery.tensors.map((t) => [t.name, t])),
        scales: s.discovery.scales,
        sources,
        requests,
        cache: rowCache(s, cache),
      });
      const t = r.transfer[i];
      t.rowBytes += got.bytesRead;
      t.cachedBytes += got.cachedBytes;
      t.requests += got.requests;
      r.computeMs += got.decodeMs;
      r.rows += got.blocks.reduce((n, b) => n + b.rowIds.length, 0);
      onBytes();
      return got.blocks;
    },
  };
  return r;
}

function planInput(sides: [DeepSide, DeepSide], shared: SharedTokens, budget: number, seed: number) {
  const bytesPerElement: Record<string, number> = {};
  for (const s of sides)
    for (const t of s.discovery.tensors) bytesPerElement[t.name] = deepRowBytes(t.dtype, t.shape[1])! / t.shape[1];
  return {
    hiddenA: sides[0].hidden ?? 0,
    hiddenB: sides[1].hidden ?? 0,
    tensorsA: sides[0].discovery.tensors,
    tensorsB: sides[1].discovery.tensors,
    shared,
    budgetBytes: Math.min(rowBudgetOf(sides[0], budget), rowBudgetOf(sides[1], budget)),
    seed,
    bytesPerElement,
  };
}

async function run(
  hub: string,
  sides: [DeepSide, DeepSide],
  cache: NormCache | null,
  req: DeepCheckRequest,
  onProgress?: (p: DeepProgress) => void,
): Promise<Omit<DeepRunResult, 'warnings'>> {
  const t0 = performance.now();
  const seed = req.seed ?? DEEP_SEED;
  onProgress?.({ step: 'tokenizers', bytes: 0 });
  for (const s of sides) checkReadable(s);
  const vocab = await Promise.all(sides.map((s) => s.vocabulary()));
  let rd: Reader | null = null;
  const progress = (step: DeepProgress['step']) => {
    const t = rd?.transfer;
    onProgress?.({ step, bytes: vocab[0]![1] + vocab[1]![1] + (t ? t[0].rowBytes + t[1].rowBytes : 0) });
  };
  rd = reader(sides, cache, () => progress('rows'));
  rd.transfer[0].tokenizerBytes = vocab[0]![1];
  rd.transfer[1].tokenizerBytes = vocab[1]![1];
  let c = performance.now();
  const shared = sharedTokens(vocab[0]![0], vocab[1]![0]);
  const input = planInput(sides, shared, req.budgetBytes ?? DEEP_ROW_BUDGET_BYTES, seed);
  const plan = planDeepReads(input);
  rd.computeMs += performance.now() - c;
  progress('rows');
  const [a, b] = await Promise.all([rd.read(0, plan.a), rd.read(1, plan.b)]);
  progress('testing');
  c = performance.now();
  let evidence = runDeepCheck(a, b, shared, { seed });
  const second = planDeepReads(input, evidence);
  rd.computeMs += performance.now() - c;
  if (second.a.length + second.b.length > 0) {
    const [a2, b2] = await Promise.all([rd.read(0, second.a), rd.read(1, second.b)]);
    c = performance.now();
    evidence = runDeepCheck([...a, ...a2], [...b, ...b2], shared, { seed, previous: evidence });
    rd.computeMs += performance.now() - c;
  }
  const t = rd.transfer;
  evidence = { ...evidence, bytesRead: t[0].rowBytes + t[1].rowBytes + t[0].cachedBytes + t[1].cachedBytes };
  return {
    evidence,
    shared: { sharedCount: shared.sharedCount, sizeA: shared.sizeA, sizeB: shared.sizeB },
    transfer: t,
    computeMs: rd.computeMs,
    rowsRead: rd.rows,
    wallMs: performance.now() - t0,
  };
}

export interface DeepCheckJobDeps {
  cache: NormCache | null;
  signal?: AbortSignal;
  fetch?: typeof fetch;
  onProgress?: (p: DeepProgress) => void;
}

export async function deepCheckJob(req: DeepCheckRequest, deps: DeepCheckJobDeps): Promise<DeepCheckReply> {
  const warnings = new Set<string>();
  const warn = (m: string) => void warnings.add(m);
  const cache = req.useCache && deps.cache ? guardCache(deps.cache, warn) : null;
  const o: CommonOptions = {
    cache,
    ...(deps.signal ? { signal: deps.signal } : {}),
    ...(deps.fetch ? { fetch: deps.fetch } : {}),
    ...(req.token ? { token: req.token } : {}),
  };
  try {
    for (const ref of [req.a, req.b]) if (!ref.local) checkRef(ref);
    const hub = normalizeHubUrl(req.hub);
    const side = (ref: DeepCheckRequest['a']) => deepSideOf({ hub, ref, o, cache, warn });
    const sides = (await Promise.all([side(req.a), side(req.b)])) as [DeepSide, DeepSide];
    const budget = req.budgetBytes ?? DEEP_ROW_BUDGET_BYTES;
    if (req.kind === 'estimate') return { ok: true, kind: 'estimate', cost: await estimate(hub, sides, budget) };
    for (const s of sides) for (const u of s.discovery.unsupported) warn(u);
    const result = await run(hub, sides, cache, req, deps.onProgress);
    return { ok: true, kind: 'run', result: { ...result, warnings: [...warnings] } };
  } catch (e) {
    return { ok: false, error: asHubError(e, `${req.a.repo} / ${req.b.repo}`, deps.signal).toInfo() };
  }
}
