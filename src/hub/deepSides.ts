// The two models of a deep check as the job sees them (issue 14): a tensor catalogue, a byte source
// per file and a vocabulary, for Hub safetensors, Hub GGUF and local files alike, through the byte
// sources the norm load reads (hubFileSource for the Hub, File.slice for the disk).
//   Hub safetensors — the model's metadata (hubModelMeta.ts, cached headers), tokenizer.json by Range
//   GGUF (Hub or disk) — the parts' headers again, this time keeping `tokenizer.ggml.tokens`
//   local safetensors — the local load's catalogue, tokenizer.json from the files given with it
import type { DeepTensorInfo, Vocabulary } from '../core/deep/api';
import type { DeepModelRef } from '../compute/deepProtocol';
import { discoverDeepTensors, hiddenSizeOf, type DeepTensorDiscovery } from '../core/deepTensors';
import type { CatalogueTensor, TensorCatalogue } from '../core/formats/catalogue';
import { isSkippedArray, keepVocabulary, type GgufHeader } from '../core/gguf';
import { planLocalModel } from '../core/localFiles';
import { numLayersFromConfig } from '../core/norms';
import { deepRowBytes } from '../core/rowDecode';
import { vocabularyFromGgufTokens, vocabularyFromTokenizerBytes, VocabularyError } from '../core/vocabulary';
import type { ByteSource } from '../sources/byteSource';
import { ggufCatalogueOf, readGgufHeaders } from '../sources/ggufCatalogue';
import { hubFileSource } from '../sources/hubFileSource';
import { localFileSource, withLocalPath } from '../sources/localFileSource';
import { safetensorsCatalogue } from '../sources/loadLocalModel';
import { cacheKey, type NormCache } from './cache';
import { HubError } from './errors';
import { createHttpContext, TransferCounter, readRange, type HttpContext } from './http';
import { createLimiter, type Limiter } from './limit';
import { ROW_FETCH_CONCURRENCY, locatedTensors, readModelMeta, type CommonOptions } from './hubModelMeta';
import { resolveRevision } from './resolveRevision';
import { resolveFileUrl } from './repoUrls';

/** A tokenizer.json larger than this is not read. */
export const MAX_TOKENIZER_BYTES = 32 * 1024 * 1024;

export interface DeepSide {
  /** the repo, or the local model's label */
  label: string;
  tensors: Map<string, CatalogueTensor>;
  discovery: DeepTensorDiscovery;
  hidden: number | null;
  /** bytes of the readable deep-check tensors */
  tensorBytes: number;
  source(file: string): ByteSource;
  /** bytes the vocabulary costs (tokenizer.json's size, or the GGUF header's) */
  /** bytes of the vocabulary's file, known without a request (after the heatmaps nothing is read unasked); null: unknown */
  tokenizerSize(): Promise<number | null>;
  /** the vocabulary and the bytes read for it now (0 when it came from the cache or the header already read) */
  vocabulary(): Promise<[Vocabulary, number]>;
  /** row-cache key of a tensor's rows; null: rows are not cached (local files are read from disk anyway) */
  rowKey: ((tensor: string, rows: string) => string) | null;
}

type SideArgs = {
  hub: string;
  ref: DeepModelRef;
  o: CommonOptions;
  cache: NormCache | null;
  warn: (m: string) => void;
};

const sizeOf = (t: CatalogueTensor) => t.end - t.start;

/** Discovery over a catalogue; tensors in a dtype the check cannot decode are left out and named. */
function discover(label: string, list: readonly CatalogueTensor[], numLayers: number | null) {
  const tensors = new Map(list.map((t): [string, CatalogueTensor] => [t.name, { ...t }]));
  const discovery = discoverDeepTensors(list, numLayers);
  const readable = discovery.tensors.filter((t) => deepRowBytes(t.dtype, t.shape[1]) !== null);
  const skipped = discovery.tensors.filter((t) => !readable.includes(t));
  if (skipped.length > 0)
    discovery.unsupported.push(
      `${skipped.length} tensors of ${label} are stored as ${[...new Set(skipped.map((t) => t.dtype))].join(', ')}, which is not supported for the deep check (it reads BF16, F16, F32, FP8 E4M3 and GGUF Q8_0).`,
    );
  discovery.tensors = readable;
  const tensorBytes = readable.reduce((s, t) => s + sizeOf(tensors.get(t.name)!), 0);
  return { tensors, discovery, hidden: hiddenSizeOf(readable, {}), tensorBytes };
}

/** The run needs the embeddings and at least one layer's MLP in a readable dtype; else it says why, naming the dtype. */
export function checkReadable(s: DeepSide): void {
  const roles = new Set(s.discovery.tensors.map((t: DeepTensorInfo) => t.role));
  if (roles.has('embed') && (roles.has('gate') || roles.has('up'))) return;
  const why = s.discovery.unsupported.find((u) => u.includes('not supported for the deep check'));
  throw new HubError(
    'bad-file',
    why ??
      `${s.label}: no embedding and MLP matrices the deep check can read were found (${s.discovery.unsupported.join(' ') || 'unknown layout'}).`,
  );
}

function parseVocabulary(label: string, make: () => Vocabulary): Vocabulary {
  try {
    return make();
  } catch (e) {
    if (e instanceof VocabularyError) throw new HubError('bad-file', `${label}: ${e.message}`);
    throw e;
  }
}

/** The vocabulary a GGUF header carries (kept by readGgufHeaders with keepVocabulary). */
function ggufVocabulary(label: string, header: GgufHeader): Vocabulary {
  const tokens = header.metadata.get('tokenizer.ggml.tokens');
  if (tokens === undefined || isSkippedArray(tokens) || !Array.isArray(tokens))
    throw new HubError(
      'bad-file',
      `${label}: the GGUF header has no readable tokenizer.ggml.tokens; the deep check needs its vocabulary.`,
    );
  return parseVocabulary(label, () => vocabularyFromGgufTokens(tokens, header.metadata.get('tokenizer.ggml.model')));
}

async function ggufSide(label: string, parts: ByteSource[], rowKey: DeepSide['rowKey']): Promise<DeepSide> {
  const headers = await readGgufHeaders(parts, { keepArray: keepVocabulary });
  const catalogue = ggufCatalogueOf(parts, headers);
  const headerBytes = headers.reduce((s, h) => s + h.dataStart, 0);
  const vocab = ggufVocabulary(label, headers[0]!);
  const byPath = new Map(parts.map((p) => [p.path, p]));
  return {
    label,
    ...discover(label, catalogue.tensors, numLayersFromConfig(catalogue.config)),
    source: (file) => byPath.get(file)!,
    tokenizerSize: () => Promise.resolve(headerBytes),
    // the header (tokens included) was read to build this side: its bytes count as the vocabulary's
    vocabulary: () => Promise.resolve([vocab, headerBytes]),
    rowKey,
  };
}

function hubSources(hub: string, repo: string, sha: string, ctx: HttpContext, limit: Limiter) {
  const made = new Map<string, ByteSource>();
  return (file: string): ByteSource => {
    let s = made.get(file);
    if (!s) {
      s = hubFileSource({
        url: resolveFileUrl(hub, repo, sha, file),
        path: file,
        size: null,
        ctx,
        errCtx: { repo, revision: sha, file },
        limit,
      });
      made.set(file, s);
    }
    return s;
  };
}

function hubRowKey(hub: string, ref: DeepModelRef, withFile: boolean, tensors: () => Map<string, CatalogueTensor>) {
  return (t: string, rows: string) =>
    cacheKey(hub, ref.repo, ref.sha, 'tensor', `${withFile ? `${tensors().get(t)?.file}:` : ''}${t}#deep:${rows}`);
}

async function hubGgufSide({ hub, ref, o, cache }: SideArgs, files: string[]): Promise<DeepSide> {
  const counter = new TransferCounter();
  const resolved = await resolveRevision(ref.repo, ref.sha, createHttpContext(hub, { ...o, counter }));
  const ctx = createHttpContext(hub, { ...o, counter, token: resolved.needsToken ? o.token : undefined });
  const source = hubSources(hub, ref.repo, ref.sha, ctx, createLimiter(ROW_FETCH_CONCURRENCY));
  let side: DeepSide | null = null;
  side = await ggufSide(ref.repo, files.map(source), cache ? hubRowKey(hub, ref, true, () => side!.tensors) : null);
  return side;
}

async function localSide({ ref }: SideArgs, local: NonNullable<DeepModelRef['local']>): Promise<DeepSide> {
  const planned = planLocalModel({ label: ref.repo, entries: local.entries });
  if (!planned.ok) throw new HubError('bad-file', planned.error);
  const { plan } = planned;
  const files = local.files.map((f, i) => withLocalPath(f, local.entries[i]!.path));
  const byPath = new Map(files.map((f, i) => [local.entries[i]!.path, f]));
  const sources = new Map<string, ByteSource>([...byPath].map(([p, f]) => [p, localFileSource(f, p)]));
  if (plan.kind === 'gguf')
    return ggufSide(
      ref.repo,
      plan.parts.map((p) => sources.get(p)!),
      null,
    );
  const catalogue: TensorCatalogue = await safetensorsCatalogue(plan, byPath, sources);
  const dir = (p: string) => p.slice(0, p.lastIndexOf('/') + 1);
  const near = dir(plan.weights[0] ?? '');
  const tokPath =
    [...byPath.keys()].find((p) => p === `${near}tokenizer.json`) ??
    [...byPath.keys()].find((p) => p.endsWith('tokenizer.json'));
  const tokFile = tokPath === undefined ? null : byPath.get(tokPath)!;
  return {
    label: ref.repo,
    ...discover(ref.repo, catalogue.tensors, numLayersFromConfig(catalogue.config)),
    source: (file) => sources.get(file)!,
    tokenizerSize: () => Promise.resolve(tokFile?.size ?? 0),
    async vocabulary() {
      if (!tokFile)
        throw new HubError(
          'entry-not-found',
          `${ref.repo}: no tokenizer.json was given with the weights; the deep check needs the vocabulary (drop the whole folder).`,
        );
      if (tokFile.size > MAX_TOKENIZER_BYTES)
        throw new HubError('bad-file', `${ref.repo}: tokenizer.json is larger than ${MAX_TOKENIZER_BYTES} bytes.`);
      const bytes = new Uint8Array(await tokFile.arrayBuffer());
      return [parseVocabulary(ref.repo, () => vocabularyFromTokenizerBytes(bytes)), bytes.byteLength];
    },
    rowKey: null,
  };
}

async function hubSafetensorsSide({ hub, ref, o, cache, warn }: SideArgs): Promise<DeepSide> {
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
  const { repo, sha } = ref;
  const errCtx = { repo, revision: sha, file: 'tokenizer.json' };
  const url = resolveFileUrl(hub, repo, sha, 'tokenizer.json');
  return {
    label: repo,
    ...discover(repo, located.tensors, meta.numLayers),
    source: hubSources(hub, repo, sha, meta.fileCtx, limit),
    tokenizerSize: () => Promise.resolve(meta.tokenizerBytes),
    async vocabulary() {
      const key = cacheKey(hub, repo, sha, 'tensor', 'tokenizer.json');
      let bytes = cache ? await cache.getTensor(key) : undefined;
      let fetched = 0;
      if (!bytes) {
        const r = await readRange(url, 0, MAX_TOKENIZER_BYTES, meta.fileCtx, errCtx, { allowClip: true }).catch(
          (e: unknown) => {
            if (e instanceof HubError && e.kind === 'entry-not-found')
              throw new HubError(
                'entry-not-found',
                `${repo} has no tokenizer.json; the deep check needs its vocabulary.`,
              );
            throw e;
          },
        );
        if (r.total !== null && r.total > MAX_TOKENIZER_BYTES)
          throw new HubError('bad-file', `${repo}: tokenizer.json is larger than ${MAX_TOKENIZER_BYTES} bytes.`);
        bytes = r.bytes;
        fetched = bytes.byteLength;
        await cache?.putTensor(key, bytes);
      }
      const b = bytes;
      return [parseVocabulary(repo, () => vocabularyFromTokenizerBytes(b)), fetched];
    },
    rowKey: cache ? hubRowKey(hub, ref, false, () => new Map()) : null,
  };
}

/** The side of one model, whichever its source and format. */
export function deepSideOf(args: SideArgs): Promise<DeepSide> {
  if (args.ref.local) return localSide(args, args.ref.local);
  if (args.ref.gguf) return hubGgufSide(args, args.ref.gguf.files);
  return hubSafetensorsSide(args);
}
