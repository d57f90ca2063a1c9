// Small JSON documents (API answers, config.json, the safetensors index). A static host answers a
// missing path with its index.html (200, text/html), so a 200 alone proves nothing.
import { HubError, toHubError, type ErrorContext } from './errors.ts';
import { discardBody, fetchWithRetry, type HttpContext } from './http.ts';
import { isCommitSha } from './repoUrls.ts';

function notFound(errCtx: ErrorContext, url: string): HubError {
  return errCtx.file
    ? new HubError('entry-not-found', `File ${errCtx.file} was not found in ${errCtx.repo} on this server.`, {
        url,
        status: 404,
      })
    : new HubError(
        'repo-not-found',
        `Repository ${errCtx.repo} (revision "${errCtx.revision ?? 'main'}") was not found on this server.`,
        {
          url,
          status: 404,
        },
      );
}

/** GET a JSON document; HTML or unparsable answers become typed errors. Body problems get one retry. */
export async function readJson(url: string, ctx: HttpContext, errCtx: ErrorContext): Promise<unknown> {
  let lastError: HubError | null = null;
  for (let attempt = 0; attempt < 2; attempt++) {
    const res = await fetchWithRetry(url, {}, ctx, errCtx);
    if ((res.headers.get('content-type') ?? '').includes('text/html')) {
      await discardBody(res);
      throw notFound(errCtx, url);
    }
    let text: string;
    try {
      // bytes, not text(): the transfer counter wants bytes (a gzip-encoded answer counts decoded)
      const bytes = new Uint8Array(await res.arrayBuffer());
      ctx.counter.bytes += bytes.byteLength;
      text = new TextDecoder().decode(bytes);
    } catch (e) {
      lastError = toHubError(e, { ...errCtx, url }, ctx.signal);
      if (lastError.kind === 'cancelled') throw lastError;
      continue;
    }
    if (/^\s*</.test(text)) throw notFound(errCtx, url);
    try {
      return JSON.parse(text) as unknown;
    } catch {
      // a truncated body parses badly too: try once more before blaming the file
      lastError = new HubError(
        'bad-response',
        `${errCtx.file ?? 'The API answer'} for ${errCtx.repo} is not valid JSON.`,
        { url },
      );
    }
  }
  throw lastError ?? new HubError('bad-response', `Could not read ${url}.`, { url });
}

/** The repo id of one entry of the Hub's model listing (`id`, or the older `modelId`), or null. */
export function listedModelId(entry: { id?: unknown; modelId?: unknown }): string | null {
  if (typeof entry.id === 'string') return entry.id;
  return typeof entry.modelId === 'string' ? entry.modelId : null;
}

/** The commit of one entry of the Hub's model listing, lower-cased, or null when it is not a sha. */
export function listedSha(entry: { sha?: unknown }): string | null {
  const sha = typeof entry.sha === 'string' ? entry.sha.toLowerCase() : '';
  return isCommitSha(sha) ? sha : null;
}
