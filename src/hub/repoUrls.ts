// URL builders for the Hub layout. The same two shapes work on huggingface.co, on the local Hub
// stand-in and on a static host serving that layout, so nothing else in the client builds URLs.

const SHA = /^[0-9a-f]{40}$/;

/** The hub base without trailing slashes ("https://huggingface.co", "/demo-hub"). */
export function normalizeHubUrl(hub: string): string {
  return hub.trim().replace(/\/+$/, '');
}

export function isCommitSha(revision: string): boolean {
  return SHA.test(revision);
}

/**
 * `/api/models/{repo}/revision/{rev}`: never the bare `/api/models/{repo}`, which a static host
 * cannot serve next to the revision directory.
 */
export function revisionApiUrl(hub: string, repo: string, revision: string): string {
  return `${normalizeHubUrl(hub)}/api/models/${repo}/revision/${encodeURIComponent(revision)}`;
}

/** `/{repo}/resolve/{sha}/{path}`, always pinned to a commit so every read sees the same files. */
export function resolveFileUrl(hub: string, repo: string, sha: string, path: string): string {
  const encodedPath = path.split('/').map(encodeURIComponent).join('/');
  return `${normalizeHubUrl(hub)}/${repo}/resolve/${sha}/${encodedPath}`;
}

/** True when `url` belongs to the hub the token was entered for (tokens never go anywhere else). */
export function isHubUrl(hub: string, url: string): boolean {
  const base = normalizeHubUrl(hub);
  return url === base || url.startsWith(`${base}/`);
}
