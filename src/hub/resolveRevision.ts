// Revision → commit sha (the one API call per model). Every later read is pinned to that sha.
import { HubError } from './errors.ts';
import type { HttpContext } from './http.ts';
import { isRecord, stringItems } from '../core/json.ts';
import { readJson } from './readJson.ts';
import { isCommitSha, revisionApiUrl } from './repoUrls.ts';
import { parseDeclaredLineage, type DeclaredLineage } from '../core/lineage/declared.ts';

export interface ResolvedRevision {
  sha: string;
  /** the API URL that answered (its resource timing tells the protocol) */
  apiUrl: string;
  /** file paths of the repo at that commit; null when the server does not list them */
  siblings: string[] | null;
  /** file sizes from `?blobs=true` (absent on servers that ignore it, e.g. static hosts) */
  sizes: Map<string, number>;
  /** the repo's tags ("gguf", "base_model:…") */
  tags: string[];
  /** gated or private: the only repos that get the token on file reads */
  needsToken: boolean;
  gated: false | 'auto' | 'manual';
  private: boolean;
  /** the API's trimmed copy of config.json (architectures, model_type); may be empty */
  config: Record<string, unknown>;
  /** what the card (or the Hub's base_model tags) says the model derives from; null = nothing */
  declared: DeclaredLineage | null;
}

export async function resolveRevision(repo: string, revision: string, ctx: HttpContext): Promise<ResolvedRevision> {
  // blobs=true adds each file's size: it picks the smallest GGUF quantization without another call
  const url = `${revisionApiUrl(ctx.hub, repo, revision)}?blobs=true`;
  const info = await readJson(url, ctx, { repo, revision });
  if (!isRecord(info)) throw new HubError('bad-response', `The Hub API answer for ${repo} is not an object.`, { url });
  const sha = typeof info.sha === 'string' ? info.sha.toLowerCase() : '';
  if (!isCommitSha(sha)) {
    throw new HubError('bad-response', `The Hub API gave no valid commit sha for ${repo} at "${revision}".`, { url });
  }
  const siblings = Array.isArray(info.siblings)
    ? info.siblings.flatMap((s) => (isRecord(s) && typeof s.rfilename === 'string' ? [s.rfilename] : []))
    : null;
  const sizes = new Map<string, number>();
  if (Array.isArray(info.siblings)) {
    for (const s of info.siblings) {
      if (
        isRecord(s) &&
        typeof s.rfilename === 'string' &&
        typeof s.size === 'number' &&
        Number.isSafeInteger(s.size) &&
        s.size >= 0
      )
        sizes.set(s.rfilename, s.size);
    }
  }
  const tags = stringItems(info.tags);
  // the Hub says "auto" or "manual"; older answers say true (auto approval)
  let gated: 'auto' | 'manual' | false = info.gated === true ? 'auto' : false;
  if (info.gated === 'auto' || info.gated === 'manual') gated = info.gated;
  const isPrivate = info.private === true;
  return {
    sha,
    apiUrl: url,
    siblings,
    sizes,
    tags,
    needsToken: gated !== false || isPrivate,
    gated,
    private: isPrivate,
    config: isRecord(info.config) ? info.config : {},
    declared: parseDeclaredLineage(info.cardData, tags, repo),
  };
}
