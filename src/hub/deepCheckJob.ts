// The deep check of two Hub models (issue 14), as the loader worker runs it. It grows out of the
// row evidence (hub/loadRowSamples.ts): the same model metadata and header reads (from the cache
// when a load read them), the same single-range reads, but which rows to read and what they say
// come from core/deep (shared tokens, plan, aligned test). Two steps so the UI can show the cost first:
//   estimate — headers only: which tensors, the byte budget per model, tokenizer.json's size
//   run      — tokenizers, shared tokens, planned rows (a second round when the plan asks for rows
//              that depend on the alignment found), decoded here, tested here
import type { DeepTensorInfo, RowBlock, SharedTokens, Vocabulary } from '../core/deep/api';
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
import { discoverDeepTensors, hiddenSizeOf, type DeepTensorDiscovery } from '../core/deepTensors';
import type { CatalogueTensor } from '../core/formats/catalogue';
import { deepRowBytes } from '../core/rowDecode';
import { vocabularyFromTokenizerBytes, VocabularyError } from '../core/vocabulary';
import { hubFileSource } from '../sources/hubFileSource';
import { readDeepRows, type RowByteCache } from '../sources/deepRows';
import { cacheKey, type NormCache } from './cache';
import { guardCache } from './cacheGuard';
import { HubError } from './errors';
import { readRange } from './http';
import { createLimiter } from './limit';
import {
  ROW_FETCH_CONCURRENCY,
  asHubError,
  checkRef,
  locatedTensors,
  readModelMeta,
  type CommonOptions,
  type ModelMeta,
} from './loadRowSamples';
import type { RowModelRef } from '../compute/protocol';
import { formatRowIds } from '../core/rowBudget';
import { normalizeHubUrl, resolveFileUrl } from './repoUrls';

/** Row bytes per model at most: with a 7B model's ~9 MB tokenizer.json, ≤ 64 MB read per model. */
export const DEEP_ROW_BUDGET_BYTES = 48 * 1024 * 1024;
/** …and never more than this share of the bytes of the tensors the check may read (small models). */
export const DEEP_MAX_SHARE = 0.2;
/** A tokenizer.json larger than this is not read. */
export const MAX_TOKENIZER_BYTES = 32 * 1024 * 1024;
export const DEEP_SEED = 0x5eed_0014;
/** For the estimated time: a modest connection and the stand-in's/Hub's latency per request. */
const ASSUMED_BYTES_PER_SECOND = 20 * 1024 * 1024;
const ASSUMED_ROUND_TRIP_S = 0.3;

interface DeepSide {
  meta: ModelMeta;
  tensors: Map<string, CatalogueTensor>;
  discovery: DeepTensorDiscovery;
  hidden: number | null;
  tensorBytes: number;
}

const sizeOf = (t: CatalogueTensor) => t.end - t.start;

async function sideOf(
  hub: string,
  ref: RowModelRef,
  o: CommonOptions,
  cache: NormCache | null,
  warn: (m: string) => void,
): Promise<DeepSide> {
  const meta = await readModelMeta(hub, ref, o, cache, warn);
  const byName = [...meta.names.keys()].map((name) => ({ name, shape: [1, 1], dtype: '?' }));
  const found = discoverDeepTensors(byName, meta.numLayers);
  const wanted = found.tensors.map((t) => t.name).flatMap((n) => [n, n.replace(/\.weight$/, '.weight_scale_inv')]);
  const limit = createLimiter(ROW_FETCH_CONCURRENCY);
  const located = await locatedTensors(
    hub,
    meta,
    wanted.filter((n) => meta.names.has(n)),
    cache,
    limit,
  );
  const tensors = new Map(located.tensors.map((t): [string, CatalogueTensor] => [t.name, { ...t }]));
  const discovery = discoverDeepTensors([...tensors.values()], meta.numLayers);
  const readable = discovery.tensors.filter((t) => deepRowBytes(t.dtype, t.shape[1]) !== null);
  const skipped = discovery.tensors.length - readable.length;
  if (skipped > 0)
    discovery.unsupported.push(
      `${skipped} tensors of ${ref.repo} are in a dtype the deep check does not read (${[...new Set(discovery.tensors.filter((t) => !readable.includes(t)).map((t) => t.dtype))].join(', ')}).`,
    );
  discovery.tensors = readable;
  const tensorBytes = readable.reduce((s, t) => s + sizeOf(tensors.get(t.name)!), 0);
  return { meta, tensors, discovery, hidden: hiddenSizeOf(readable, {}), tensorBytes };
}

function describeTensors(list: readonly DeepTensorInfo[]): string {
  const layers = new Set(list.filter((t) => t.layer >= 0).map((t) => t.layer)).size;
  const roles = [...new Set(list.filter((t) => t.layer >= 0).map((t) => t.role))].join('/');
  const embed = list.some((t) => t.role === 'embed') ? 'embeddings' : 'no embeddings';
  return layers > 0 ? `${embed}, ${roles} × ${layers} layers` : embed;
}

const rowBudgetOf = (s: DeepSide, budget: number) => Math.floor(Math.min(budget, DEEP_MAX_SHARE * s.tensorBytes));

async function tokenizerSize(hub: string, s: DeepSide): Promise<number> {
  const url = resolveFileUrl(hub, s.meta.ref.repo, s.meta.ref.sha, 'tokenizer.json');
  const r = await readRange(url, 0, 1, s.meta.fileCtx, { ...errCtx(s), file: 'tokenizer.json' }, { allowClip: true });
  return r.total ?? 0;
}

const errCtx = (s: DeepSide) => ({ repo: s.meta.ref.repo, revision: s.meta.ref.sha });

async function estimate(hub: string, sides: [DeepSide, DeepSide], budget: number): Promise<DeepCost> {
  const tok = await Promise.all(sides.map((s) => tokenizerSize(hub, s).catch(() => 0)));
  const cost = sides.map((s, i): DeepSideCost => ({
    repo: s.meta.ref.repo,
    tokenizerBytes: tok[i]!,
    rowBudgetBytes: rowBudgetOf(s, budget),
    tensors: describeTensors(s.discovery.tensors),
    tensorCount: s.discovery.tensors.length,
    unsupported: s.discovery.unsupported,
  })) as [DeepSideCost, DeepSideCost];
  const max = cost.map((c) => c.tokenizerBytes + c.rowBudgetBytes) as [number, number];
  const estimatedSeconds = (max[0] + max[1]) / ASSUMED_BYTES_PER_SECOND + 4 * ASSUMED_ROUND_TRIP_S;
  return { sides: cost, maxBytesPerModel: max, estimatedSeconds };
}

async function readVocabulary(hub: string, s: DeepSide, cache: NormCache | null): Promise<[Vocabulary, number]> {
  const { repo, sha } = s.meta.ref;
  const key = cacheKey(hub, repo, sha, 'tensor', 'tokenizer.json');
  let bytes = cache ? await cache.getTensor(key) : undefined;
  let fetched = 0;
  if (!bytes) {
    const url = resolveFileUrl(hub, repo, sha, 'tokenizer.json');
    const r = await readRange(
      url,
      0,
      MAX_TOKENIZER_BYTES,
      s.meta.fileCtx,
      { ...errCtx(s), file: 'tokenizer.json' },
      {
        allowClip: true,
      },
    ).catch((e: unknown) => {
      if (e instanceof HubError && e.kind === 'entry-not-found')
        throw new HubError('entry-not-found', `${repo} has no tokenizer.json; the deep check needs its vocabulary.`);
      throw e;
    });
    if (r.total !== null && r.total > MAX_TOKENIZER_BYTES)
      throw new HubError('bad-file', `${repo}: tokenizer.json is larger than ${MAX_TOKENIZER_BYTES} bytes.`);
    bytes = r.bytes;
    fetched = bytes.byteLength;
    await cache?.putTensor(key, bytes);
  }
  try {
    return [vocabularyFromTokenizerBytes(bytes), fetched];
  } catch (e) {
    if (e instanceof VocabularyError) throw new HubError('bad-file', `${repo}: ${e.message}`);
    throw e;
  }
}

function rowCache(hub: string, s: DeepSide, cache: NormCache | null): RowByteCache | null {
  if (!cache) return null;
  const { repo, sha } = s.meta.ref;
  const key = (t: string, ids: Int32Array) => cacheKey(hub, repo, sha, 'tensor', `${t}#deep:${formatRowIds([...ids])}`);
  return { get: (t, ids) => cache.getTensor(key(t, ids)), put: (t, ids, b) => cache.putTensor(key(t, ids), b) };
}

interface Reader {
  read(side: 0 | 1, requests: Parameters<typeof readDeepRows>[0]['requests']): Promise<RowBlock[]>;
  transfer: [DeepTransfer, DeepTransfer];
  computeMs: number;
}

function reader(hub: string, sides: [DeepSide, DeepSide], cache: NormCache | null, onBytes: () => void): Reader {
  const limit = createLimiter(ROW_FETCH_CONCURRENCY);
  const r: Reader = {
    transfer: [0, 1].map(() => ({ tokenizerBytes: 0, rowBytes: 0, requests: 0, cachedBytes: 0 })) as [
      DeepTransfer,
      DeepTransfer,
    ],
    computeMs: 0,
    async read(i, requests) {
      const s = sides[i];
      const { repo, sha } = s.meta.ref;
      const files = new Set(requests.map((q) => s.tensors.get(q.tensor)?.file).filter((f) => f !== undefined));
      const sources = new Map(
        [...files].map((file) => [
          file,
          hubFileSource({
            url: resolveFileUrl(hub, repo, sha, file),
            path: file,
            size: null,
            ctx: s.meta.fileCtx,
            errCtx: { ...errCtx(s), file },
            limit,
          }),
        ]),
      );
      const got = await readDeepRows({
        label: repo,
        tensors: s.tensors,
        infos: new Map(s.discovery.tensors.map((t) => [t.name, t])),
        scales: s.discovery.scales,
        sources,
        requests,
        cache: rowCache(hub, s, cache),
      });
      const t = r.transfer[i];
      t.rowBytes += got.bytesRead;
      t.cachedBytes += got.cachedBytes;
      t.requests += got.requests;
      r.computeMs += got.decodeMs;
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
  const vocab = await Promise.all(sides.map((s) => readVocabulary(hub, s, cache)));
  let rd: Reader | null = null;
  const progress = (step: DeepProgress['step']) => {
    const t = rd?.transfer;
    onProgress?.({ step, bytes: vocab[0]![1] + vocab[1]![1] + (t ? t[0].rowBytes + t[1].rowBytes : 0) });
  };
  rd = reader(hub, sides, cache, () => progress('rows'));
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
    checkRef(req.a);
    checkRef(req.b);
    const hub = normalizeHubUrl(req.hub);
    const sides = (await Promise.all([sideOf(hub, req.a, o, cache, warn), sideOf(hub, req.b, o, cache, warn)])) as [
      DeepSide,
      DeepSide,
    ];
    const budget = req.budgetBytes ?? DEEP_ROW_BUDGET_BYTES;
    if (req.kind === 'estimate') return { ok: true, kind: 'estimate', cost: await estimate(hub, sides, budget) };
    for (const s of sides) for (const u of s.discovery.unsupported) warn(u);
    const result = await run(hub, sides, cache, req, deps.onProgress);
    return { ok: true, kind: 'run', result: { ...result, warnings: [...warnings] } };
  } catch (e) {
    return { ok: false, error: asHubError(e, `${req.a.repo} / ${req.b.repo}`, deps.signal).toInfo() };
  }
}
