// A model from the user's disk: plan which files to read, read their headers and norm bytes by
// File.slice, and hand back a LoadedModel like any Hub model. Nothing is uploaded.
import { readSafetensorsCatalogue } from '../core/formats/safetensorsCatalogue';
import type { TensorCatalogue } from '../core/formats/catalogue';
import { planLocalModel, type LocalGroup } from '../core/localFiles';
import { SafetensorsFormatError } from '../core/safetensors';
import type { LoadedModel, LoadProgress } from '../core/types';
import { parseSafetensorsIndex, SafetensorsIndexError } from '../core/formats/safetensorsIndex';
import { HubError } from '../hub/errors';
import { TransferCounter } from '../hub/http';
import { ProgressReporter } from '../hub/progress';
import { localFileSource, localPathOf } from './localFileSource';
import { loadFromCatalogue } from './loadFromCatalogue';
import { buildLoadedModel } from '../hub/buildLoadedModel';
import type { ByteSource } from './byteSource';
import { readGgufCatalogue } from './ggufCatalogue';

/** The hub field of local models: not a URL, so no Hub request can ever be made for them. */
export const LOCAL_HUB = 'local';

export interface LoadLocalOptions {
  label?: string;
  onProgress?: (p: LoadProgress) => void;
  signal?: AbortSignal;
}

async function readJsonFile(file: File, what: string): Promise<unknown> {
  try {
    return JSON.parse(await file.text());
  } catch (e) {
    throw new HubError(
      'bad-file',
      `${localPathOf(file)} is not valid JSON (${what}): ${e instanceof Error ? e.message : String(e)}`,
    );
  }
}

async function hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** names + sizes + what the headers say: the same files give the same id, edited files a new one */
async function localId(files: readonly File[], catalogue: TensorCatalogue): Promise<string> {
  const names = files.map((f) => [localPathOf(f), f.size]);
  const tensors = catalogue.tensors.map((t) => [t.name, t.dtype, t.start, t.end]);
  return (await hex(JSON.stringify([names, tensors]))).slice(0, 40);
}

export async function safetensorsCatalogue(
  plan: { weights: string[]; index: string | null; config: string | null },
  byPath: Map<string, File>,
  sources: Map<string, ByteSource>,
): Promise<TensorCatalogue> {
  const config = plan.config ? await readJsonFile(byPath.get(plan.config)!, 'config.json') : {};
  if (config === null || typeof config !== 'object' || Array.isArray(config))
    throw new HubError('bad-file', `${plan.config} is not a JSON object.`);
  let weights = plan.weights;
  if (plan.index) {
    const json = await readJsonFile(byPath.get(plan.index)!, 'safetensors index');
    let listed: string[];
    try {
      listed = [...new Set(parseSafetensorsIndex(json, plan.index).weightMap.values())];
    } catch (e) {
      if (e instanceof SafetensorsIndexError) throw new HubError('bad-file', e.message, { cause: e, file: plan.index });
      throw e;
    }
    const missing = listed.filter((f) => !byPath.has(f));
    if (missing.length)
      throw new HubError(
        'bad-file',
        `The index lists ${missing.length} shard${missing.length > 1 ? 's' : ''} that ${missing.length > 1 ? 'were' : 'was'} not given: ${missing.slice(0, 3).join(', ')}${missing.length > 3 ? ', …' : ''}.`,
      );
    if (listed.length) weights = listed;
  }
  try {
    return await readSafetensorsCatalogue(
      weights.map((file) => {
        const s = sources.get(file)!;
        return { file, size: s.size(), read: (a, b) => s.read(a, b), firstRead: 8 };
      }),
      config as Record<string, unknown>,
    );
  } catch (e) {
    if (e instanceof SafetensorsFormatError) throw new HubError('bad-file', e.message, { cause: e });
    throw e;
  }
}

export async function loadLocalModel(
  group: LocalGroup & { files: readonly File[] },
  opts: LoadLocalOptions = {},
): Promise<LoadedModel> {
  const planned = planLocalModel(group);
  if (!planned.ok) throw new HubError('bad-file', planned.error);
  const { plan } = planned;
  const byPath = new Map(group.files.map((f) => [localPathOf(f), f]));
  const sources = new Map<string, ByteSource & { bytesRead: number }>(
    [...byPath].map(([p, f]) => [p, localFileSource(f, p)]),
  );
  const counter = new TransferCounter();
  const progress = new ProgressReporter(counter, opts.onProgress);
  const sync = () => {
    counter.requests = [...sources.values()].reduce((s, x) => s + x.reads, 0);
    counter.bytes = [...sources.values()].reduce((s, x) => s + x.bytesRead, 0);
  };
  progress.update({ phase: 'headers' });
  const catalogue =
    plan.kind === 'gguf'
      ? await readGgufCatalogue(plan.parts.map((p) => sources.get(p)!))
      : await safetensorsCatalogue(plan, byPath, sources);
  if (opts.signal?.aborted) throw new HubError('cancelled', 'Cancelled.');
  const used = plan.kind === 'gguf' ? plan.parts : catalogue.files.map((f) => f.file);
  const sha = await localId(
    used.map((p) => byPath.get(p)!),
    catalogue,
  );
  sync();
  progress.update({ phase: 'tensors' });
  const warnings = plan.ignored.length ? [`Not read (not part of the weights): ${plan.ignored.join(', ')}.`] : [];
  const identity = { hub: LOCAL_HUB, repo: opts.label ?? plan.label, revision: 'local', sha };
  const { model, bytes } = await loadFromCatalogue({
    identity,
    catalogue,
    sources,
    onTensors: (n) => {
      sync();
      progress.addTensors(n);
    },
  });
  sync();
  const loaded = buildLoadedModel({ ...identity, model, bytes, counter, warnings, source: 'local' });
  progress.update({ phase: 'done', totalModelBytes: loaded.totalModelBytes });
  return loaded;
}
