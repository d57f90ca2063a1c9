// The one home of "is this a repo id" and "does this path stay inside the repo": the permalink,
// declared lineage, the Hub client and index shard names all ask here.

const MAX_NAME_LENGTH = 96;
const REPO_SEGMENT = /^[A-Za-z0-9._-]+$/;
const MAX_PATH_LENGTH = 1024;

/** A user-supplied value shown inside an error sentence, shortened and quoted. */
export function quote(text: string): string {
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 57)}...` : text);
}

/** Why a repo id is invalid, or null if it is valid (the Hub's validate_repo_id rules). */
export function repoIdError(id: string): string | null {
  const segments = id.split('/');
  if (segments.length > 2) return `${quote(id)} has more than one "/"; a repo id is "namespace/name".`;
  for (const segment of segments) {
    if (segment === '') return `${quote(id)} has an empty namespace or name.`;
    if (!REPO_SEGMENT.test(segment)) return `${quote(id)} may only contain letters, digits, ".", "_", "-" and one "/".`;
    if (/^[.-]|[.-]$/.test(segment)) return `${quote(id)}: a namespace or name cannot start or end with "." or "-".`;
    if (segment.length > MAX_NAME_LENGTH)
      return `${quote(id)}: a namespace or name is at most ${MAX_NAME_LENGTH} characters.`;
  }
  if (id.includes('--') || id.includes('..')) return `${quote(id)} cannot contain "--" or "..".`;
  if (id.endsWith('.git')) return `${quote(id)} cannot end with ".git".`;
  return null;
}

export function isValidRepoId(id: string): boolean {
  return repoIdError(id) === null;
}

/**
 * Why a path from inside a repo (an index's shard name, a listed file) would leave the repo, or
 * null when it stays inside: relative, no drive letter, no URL, no backslash, no `.`/`..` or empty
 * segments (percent-encoded ones included), no control characters. Shard names are checked the
 * way the transformers/huggingface.js loaders check them (relative, no `..`, no root or drive).
 */
export function repoPathError(path: string): string | null {
  if (!path) return 'the path is empty';
  if (path.length > MAX_PATH_LENGTH) return `the path is longer than ${MAX_PATH_LENGTH} characters`;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(path)) return 'the path contains control characters';
  if (path.includes('\\')) return 'the path contains a backslash';
  if (/^[a-z][a-z0-9+.-]*:/i.test(path)) return 'the path is a URL or has a drive letter';
  if (path.startsWith('/')) return 'the path is absolute';
  if (/%(2e|2f|5c|00)/i.test(path)) return 'the path hides ".", "/" or "\\" in percent-encoding';
  const bad = path.split('/').find((seg) => seg === '' || seg === '.' || seg === '..');
  if (bad !== undefined) return bad === '' ? 'the path has an empty segment' : `the path has a "${bad}" segment`;
  return null;
}

export function isSafeRepoPath(path: string): boolean {
  return repoPathError(path) === null;
}

/** Why a shard name an index lists cannot be read, or null: it must stay inside the repo and be a `.safetensors` file. */
export function shardNameError(shard: unknown): string | null {
  if (typeof shard !== 'string') return 'the shard name is not a string';
  const outside = repoPathError(shard);
  if (outside) return `${quote(shard)}: ${outside}`;
  if (!shard.endsWith('.safetensors')) return `${quote(shard)} is not a .safetensors file`;
  return null;
}
