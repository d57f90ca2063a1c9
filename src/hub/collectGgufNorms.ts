// The network path of a GGUF repo, after the sha is known: choose the language-model file(s) of
// one quantization (the smallest unless the user picked one), read each part's header forward in
// 2 MiB ranges, then the F32 norm tensors. Never a whole file, never the projector.
import { chooseGgufOption, type GgufOption } from '../core/gguf';
import { readGgufCatalogue } from '../sources/ggufCatalogue';
import { hubFileSource } from '../sources/hubFileSource';
import { loadFromCatalogue } from '../sources/loadFromCatalogue';
import type { ByteSource } from '../sources/byteSource';
import type { CollectNormsArgs, CollectedNorms } from './collectSafetensorsNorms';
import { HubError } from './errors';
import { resolveFileUrl } from './repoUrls';

export interface CollectedGguf extends CollectedNorms {
  chosen: GgufOption;
  options: GgufOption[];
}

export async function collectGgufNorms(a: CollectNormsArgs & { quant?: string | undefined }): Promise<CollectedGguf> {
  const { repo, revision, ctx } = a;
  const { sha } = a.resolved;
  const files = (a.resolved.siblings ?? []).map((path) => ({ path, size: a.resolved.sizes.get(path) ?? null }));
  const choice = chooseGgufOption(files, a.quant ?? null);
  if (!choice.chosen) {
    throw new HubError('entry-not-found', `${repo}: ${choice.problem ?? 'no GGUF file to read.'}`);
  }
  const chosen = choice.chosen;
  a.progress.update({
    phase: 'headers',
    sha,
    message: `GGUF ${chosen.label}: ${chosen.files.length} file${chosen.files.length > 1 ? 's' : ''}`,
  });
  const sources: ByteSource[] = chosen.files.map((f) =>
    hubFileSource({
      url: resolveFileUrl(ctx.hub, repo, sha, f.path),
      path: f.path,
      size: f.size,
      ctx,
      errCtx: { repo, revision },
      limit: a.limit,
    }),
  );
  const catalogue = await readGgufCatalogue(sources);
  a.progress.update({ phase: 'tensors' });
  const { model, bytes } = await loadFromCatalogue({
    identity: { hub: ctx.hub, repo, revision, sha },
    catalogue,
    sources: new Map(sources.map((s) => [s.path, s])),
    needsToken: a.resolved.needsToken,
    onTensors: (n) => a.progress.addTensors(n),
  });
  model.declared = a.resolved.declared;
  model.gguf = {
    quant: chosen.label,
    options: choice.options.map((o) => ({ label: o.label, totalSize: o.totalSize, files: o.files.map((f) => f.path) })),
  };
  return { model, bytes, chosen, options: choice.options };
}
