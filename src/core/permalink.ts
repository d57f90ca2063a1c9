// The one codec between the URL query and the view state. Parsing never throws: a bad
// parameter becomes a sentence in `errors` and falls back to its default, so any link opens.
import { NORM_ROLES, isNormRole, type NormRole, type RepoRef } from './types';
import { quote, repoIdError } from './repoPaths';

export const DEFAULT_HUB = 'https://huggingface.co';
/** `hub=demo` selects the demo repos bundled with the app. */
export const DEMO_HUB = 'demo';
export const DEFAULT_VIEW = 'compare';
export type SimilarityMetric = 'pearson' | 'cosine';

export interface ViewQuery {
  /** null = DEFAULT_HUB; 'demo' = the bundled demo hub; otherwise an http(s) URL without trailing slash */
  hub: string | null;
  models: RepoRef[];
  norm: NormRole;
  metric: SimilarityMetric;
  /** pinned heatmap cell [row, col] */
  cell: [number, number] | null;
  view: string;
  /** indices into models of the pair being compared */
  pair: [number, number] | null;
  /** other view-state parameters (layer=, win=, …) kept verbatim for later views */
  extra: Record<string, string>;
}

export function defaultQuery(): ViewQuery {
  return {
    hub: null,
    models: [],
    norm: 'input',
    metric: 'pearson',
    cell: null,
    view: DEFAULT_VIEW,
    pair: null,
    extra: {},
  };
}

/** Limits that keep a hostile link from asking for thousands of loads or giant state. */
const MAX_MODELS = 16;
const MAX_INDEX = 100_000;
const MAX_REVISION_LENGTH = 255;
const MAX_EXTRA_VALUE_LENGTH = 256;

const KNOWN_KEYS = new Set(['hub', 'm', 'norm', 'metric', 'cell', 'view', 'pair']);
const EXTRA_KEY = /^[A-Za-z][A-Za-z0-9_-]{0,31}$/;
const VIEW_NAME = /^[a-z][a-z0-9-]{0,31}$/;
const INDEX_PAIR = /^(\d{1,6}),(\d{1,6})$/;

/** Why a revision (branch, tag, sha or refs/pr/N) is invalid, or null (git's ref-name rules, in short). */
function revisionError(revision: string): string | null {
  if (revision === '') return 'The revision after "@" is empty.';
  if (revision.length > MAX_REVISION_LENGTH) return `The revision is longer than ${MAX_REVISION_LENGTH} characters.`;
  // eslint-disable-next-line no-control-regex -- git refuses control characters in ref names
  if (/[\u0000-\u0020\u007f~^:?*[\\]/.test(revision))
    return `Revision ${quote(revision)} contains a character git does not allow.`;
  if (revision.includes('..') || revision.includes('@{') || revision.startsWith('/') || revision.endsWith('/')) {
    return `Revision ${quote(revision)} is not a valid git ref.`;
  }
  return null;
}

/** A GGUF quantization label as file names carry it: Q4_K_M, IQ4_XS, UD-Q2_K_XL, BF16 … */
const QUANT = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$/;

/**
 * `org/name@rev` (or a legacy bare `name`), optionally `:QUANT` for a GGUF quantization as
 * llama.cpp's `-hf org/name:Q4_K_M` writes it; the revision defaults to 'main'. Neither repo ids
 * nor git refs may contain ":", so the suffix is unambiguous.
 */
export function parseRepoRef(text: string): { ok: true; ref: RepoRef } | { ok: false; error: string } {
  let trimmed = text.trim();
  let quant: string | undefined;
  const colon = trimmed.lastIndexOf(':');
  if (colon >= 0) {
    quant = trimmed.slice(colon + 1);
    trimmed = trimmed.slice(0, colon);
    if (!QUANT.test(quant))
      return { ok: false, error: `${quote(quant)} is not a GGUF quantization label (such as Q4_K_M or BF16).` };
  }
  const at = trimmed.indexOf('@'); // repo ids never contain "@", revisions may
  const repo = at < 0 ? trimmed : trimmed.slice(0, at);
  const revision = at < 0 ? 'main' : trimmed.slice(at + 1);
  // GGUF repos all have a namespace; a bare "local:…" is a local model, never a quantization
  const error =
    repoIdError(repo) ??
    revisionError(revision) ??
    (quant !== undefined && !repo.includes('/')
      ? `${quote(text.trim())}: a GGUF quantization needs a full "org/name" repo id.`
      : null);
  if (error) return { ok: false, error };
  return { ok: true, ref: quant ? { repo, revision, quant: quant.toUpperCase() } : { repo, revision } };
}

/** Canonical text of a repo reference; the revision is URL-encoded ("refs/pr/1" → "refs%2Fpr%2F1"). */
export function formatRepoRef(ref: RepoRef): string {
  return `${ref.repo}@${encodeURIComponent(ref.revision)}${ref.quant ? `:${ref.quant}` : ''}`;
}

/** `m=local:LABEL/file/file…`: a model from the user's disk. No repo id contains ":" before a "/". */
export const LOCAL_PREFIX = 'local:';
export const LOCAL_REVISION = 'local';
const MAX_LOCAL_LABEL_LENGTH = 200;
const MAX_LOCAL_FILE_LENGTH = 255;
const MAX_LOCAL_FILES = 64;
/** file names are written into the link only while they stay this short; the label always is */
export const MAX_LOCAL_FILES_TEXT = 600;
// eslint-disable-next-line no-control-regex -- control characters are what this rejects
const CONTROL = /[\u0000-\u001f\u007f]/;

/** The query ref of a local model: its label, and the base names of the files to drop to reopen it. */
export function localRef(label: string, files: readonly string[] = []): RepoRef {
  return { repo: label, revision: LOCAL_REVISION, local: { files: files.map((f) => f.slice(f.lastIndexOf('/') + 1)) } };
}

/** `LABEL/file/file` after `local:`: the label is a folder or file name, so "/" cannot occur in it. */
export function parseLocalRef(text: string): { ok: true; ref: RepoRef } | { ok: false; error: string } {
  const [label = '', ...files] = text.slice(LOCAL_PREFIX.length).split('/');
  if (label.trim() === '')
    return { ok: false, error: `${quote(text)}: a local model needs a label after "${LOCAL_PREFIX}".` };
  if (label.length > MAX_LOCAL_LABEL_LENGTH)
    return {
      ok: false,
      error: `${quote(text)}: a local model's label is at most ${MAX_LOCAL_LABEL_LENGTH} characters.`,
    };
  if (CONTROL.test(text)) return { ok: false, error: `${quote(text)} contains a control character.` };
  if (files.length > MAX_LOCAL_FILES)
    return { ok: false, error: `${quote(text)} lists more than ${MAX_LOCAL_FILES} files.` };
  if (files.some((f) => f === '' || f.length > MAX_LOCAL_FILE_LENGTH || f === '.' || f === '..')) {
    return {
      ok: false,
      error: `${quote(text)}: each file after the label is a non-empty file name of at most ${MAX_LOCAL_FILE_LENGTH} characters.`,
    };
  }
  return { ok: true, ref: localRef(label, files) };
}

/** A Hub ref (`org/name@rev`) or a local one (`local:LABEL/file…`). */
export function parseModelRef(text: string): { ok: true; ref: RepoRef } | { ok: false; error: string } {
  const trimmed = text.trim();
  return trimmed.startsWith(LOCAL_PREFIX) ? parseLocalRef(trimmed) : parseRepoRef(trimmed);
}

/** Canonical `m=` text; a local model lists its file names only while the link stays short. */
export function formatModelRef(ref: RepoRef): string {
  if (!ref.local) return formatRepoRef(ref);
  const label = encodeValue(ref.repo.replace(/\//g, '_'));
  const files = ref.local.files.map((f) => `/${encodeValue(f)}`).join('');
  return `${LOCAL_PREFIX}${label}${files.length <= MAX_LOCAL_FILES_TEXT ? files : ''}`;
}

/** 'demo', or an http(s) URL reduced to origin + path without trailing slash. */
export function normalizeHub(text: string): { ok: true; hub: string } | { ok: false; error: string } {
  if (text === DEMO_HUB) return { ok: true, hub: DEMO_HUB };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, error: `${quote(text)} is not a URL.` };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return { ok: false, error: `${quote(text)} is not an http(s) URL.` };
  if (url.username || url.password) return { ok: false, error: 'A hub URL cannot contain a user name or password.' };
  if (url.search || url.hash) return { ok: false, error: `${quote(text)} cannot have a query or fragment.` };
  return { ok: true, hub: (url.origin + url.pathname).replace(/\/+$/, '') };
}

function parseIndexPair(value: string): [number, number] | null {
  const match = INDEX_PAIR.exec(value);
  if (!match) return null;
  const pair: [number, number] = [Number(match[1]), Number(match[2])];
  return pair[0] <= MAX_INDEX && pair[1] <= MAX_INDEX ? pair : null;
}

export function parseQuery(search: string): { query: ViewQuery; errors: string[] } {
  const query = defaultQuery();
  const errors: string[] = [];
  const params = new URLSearchParams(search.startsWith('?') ? search.slice(1) : search);
  const single = (key: string): string | null => {
    const values = params.getAll(key);
    if (values.length > 1) errors.push(`Parameter "${key}" appears ${values.length} times; the first one is used.`);
    return values[0] ?? null;
  };

  const hub = single('hub');
  if (hub !== null) {
    const result = normalizeHub(hub);
    if (!result.ok) errors.push(`Parameter "hub": ${result.error} Using ${DEFAULT_HUB}.`);
    else query.hub = result.hub === DEFAULT_HUB ? null : result.hub;
  }

  const models = params.getAll('m');
  if (models.length > MAX_MODELS)
    errors.push(`Parameter "m" lists ${models.length} models; only the first ${MAX_MODELS} are loaded.`);
  for (const text of models.slice(0, MAX_MODELS)) {
    const result = parseModelRef(text);
    if (result.ok) query.models.push(result.ref);
    else errors.push(`Parameter "m": ${result.error} This model is skipped.`);
  }

  const norm = single('norm');
  if (norm !== null && isNormRole(norm)) query.norm = norm;
  else if (norm !== null)
    errors.push(`Parameter "norm" must be one of ${NORM_ROLES.join(', ')}, not ${quote(norm)}; using "input".`);

  const metric = single('metric');
  if (metric === 'pearson' || metric === 'cosine') query.metric = metric;
  else if (metric !== null)
    errors.push(`Parameter "metric" must be "pearson" or "cosine", not ${quote(metric)}; using "pearson".`);

  const view = single('view');
  if (view !== null && VIEW_NAME.test(view)) query.view = view;
  else if (view !== null) errors.push(`Parameter "view" ${quote(view)} is not a view name; showing "${DEFAULT_VIEW}".`);

  const cell = single('cell');
  if (cell !== null) {
    query.cell = parseIndexPair(cell);
    if (!query.cell)
      errors.push(`Parameter "cell" must be two layer indices "i,j" (0–${MAX_INDEX}), not ${quote(cell)}.`);
  }

  const pair = single('pair');
  if (pair !== null) {
    const parsed = parseIndexPair(pair);
    if (!parsed) errors.push(`Parameter "pair" must be two model indices "a,b", not ${quote(pair)}.`);
    else if (Math.max(...parsed) >= query.models.length) {
      errors.push(
        `Parameter "pair" ${quote(pair)} refers to a model that is not listed (${query.models.length} models).`,
      );
    } else query.pair = parsed;
  }

  for (const key of new Set(params.keys())) {
    if (KNOWN_KEYS.has(key)) continue;
    const value = single(key) as string;
    if (!EXTRA_KEY.test(key)) errors.push(`Parameter ${quote(key)} is not a recognised name and is ignored.`);
    else if (value.length > MAX_EXTRA_VALUE_LENGTH) errors.push(`Parameter "${key}" is too long and is ignored.`);
    else query.extra[key] = value;
  }
  return { query, errors };
}

/** Query-string value encoding that leaves ":", "/", "@" and "," readable (all legal in a query). */
function encodeValue(value: string): string {
  return encodeURIComponent(value).replace(/%3A/g, ':').replace(/%2F/g, '/').replace(/%40/g, '@').replace(/%2C/g, ',');
}

/** '?hub=…&m=org/a@sha&…' with defaults omitted, or '' when everything is default. */
export function formatQuery(q: ViewQuery): string {
  const parts: string[] = [];
  if (q.hub !== null && q.hub !== DEFAULT_HUB) parts.push(`hub=${encodeValue(q.hub)}`);
  for (const model of q.models) parts.push(`m=${formatModelRef(model)}`);
  if (q.norm !== 'input') parts.push(`norm=${q.norm}`);
  if (q.metric !== 'pearson') parts.push(`metric=${q.metric}`);
  if (q.cell) parts.push(`cell=${q.cell[0]},${q.cell[1]}`);
  if (q.pair) parts.push(`pair=${q.pair[0]},${q.pair[1]}`);
  if (q.view !== DEFAULT_VIEW) parts.push(`view=${encodeValue(q.view)}`);
  for (const key of Object.keys(q.extra).sort())
    parts.push(`${encodeValue(key)}=${encodeValue(q.extra[key] as string)}`);
  return parts.length ? `?${parts.join('&')}` : '';
}
