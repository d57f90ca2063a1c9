// The stand-in's public types (options, faults, stats) and the constants every route shares.

export interface HubFaults {
  /** the CDN answers range requests with 200 and the whole file */
  ignoreRange: boolean;
  /** delay added before every response, both origins (emulates round-trip time) */
  latencyMs: number;
  /** the next N hub requests get 429 with Retry-After (the CDN is not rate limited) */
  rateLimitNext: number;
  retryAfterSeconds: number;
  /** the next N requests (either origin, preflights excluded) get 503 */
  serverErrorNext: number;
  /** CDN preflights (OPTIONS) get 403, as in datasets#7931 */
  failPreflight: boolean;
  /** 206 responses carry fewer bytes than Content-Range says (the Chromium cache bug) */
  truncateBodies: boolean;
  /** every Nth ranged (206) answer promises its full Content-Length, sends half the body and
   * drops the transfer (HTTP/1.1: the connection closes; HTTP/2: the stream is reset); 0 = never.
   * The same range is dropped at most twice in a row: a client that tries 3 times gets through. */
  dropEvery: number;
  /** each ranged answer dropped halfway with this probability, seeded by dropSeed (dropPolicy.ts); 0 = never */
  dropRandom: number;
  dropSeed: number;
  /** extra: signed CDN URLs only work for the Range of the request that got them (xet-core#897) */
  bindRangeToSignature: boolean;
  /** extra: small files on /api/resolve-cache are gzip-encoded when the client accepts it and sends
   * no Range (CloudFront does this; the browser then loses Content-Length and Accept-Ranges) */
  gzipSmallFiles: boolean;
}

export type StandInProtocol = 'h2' | 'http1';

export interface HubStandInOptions {
  /** 'h2': HTTPS with HTTP/2 (and HTTP/1.1 by ALPN) like huggingface.co; 'http1': plain HTTP (default) */
  protocol?: StandInProtocol;
  /** folders in the static Hub layout; the first that has a repo wins */
  roots: string[];
  /** interface and host name of both origins (default 127.0.0.1) */
  host?: string;
  hubPort?: number;
  /** 0 or absent = random free port (same for hubPort) */
  cdnPort?: number;
  /** host name of the CDN origin, to make it a different site from the hub (default: host) */
  cdnHost?: string;
  /** token → repo ids it may read, or ['*'] */
  tokens?: Record<string, string[]>;
  faults?: Partial<HubFaults>;
  /** small files: 307 to /api/resolve-cache like the real hub (default true), else 200 directly */
  smallFilesRedirect?: boolean;
  /** entries per /tree page (default 1000, or 50 with expand=true, as on the Hub) */
  treePageSize?: number;
  /** models per /api/models page when the request gives no smaller limit (default 1000) */
  searchPageSize?: number;
}

export interface HubStats {
  requests: number;
  /** response body bytes sent, both origins */
  bytes: number;
  /** body bytes of *.safetensors responses */
  tensorBytes: number;
  byRoute: Record<string, { requests: number; bytes: number }>;
  /** ranged answers dropped halfway by the dropEvery fault */
  dropped: number;
  /** `at`: when the request arrived, `doneAt`: when its answer ended (ms, the stand-in's clock) */
  log: {
    method: string;
    url: string;
    status: number;
    range?: string;
    bytes: number;
    origin: 'hub' | 'cdn';
    at: number;
    doneAt: number;
    httpVersion: string;
  }[];
}

export interface HubStandIn {
  hubUrl: string;
  cdnUrl: string;
  protocol: StandInProtocol;
  stats(): HubStats;
  resetStats(): void;
  setFaults(f: Partial<HubFaults>): void;
  close(): Promise<void>;
}

export const DEFAULT_FAULTS: HubFaults = {
  ignoreRange: false,
  latencyMs: 0,
  rateLimitNext: 0,
  retryAfterSeconds: 1,
  serverErrorNext: 0,
  failPreflight: false,
  truncateBodies: false,
  dropEvery: 0,
  dropRandom: 0,
  dropSeed: 1,
  bindRangeToSignature: false,
  gzipSmallFiles: false,
};

/** Exactly what huggingface.co exposes (hub-protocol §1.4). */
export const HUB_EXPOSE_HEADERS =
  'X-Repo-Commit,X-Request-Id,X-Error-Code,X-Error-Message,X-Total-Count,ETag,Link,Accept-Ranges,Content-Range,X-Linked-Size,X-Linked-ETag,X-Xet-Hash';
export const CDN_EXPOSE_HEADERS = 'Accept-Ranges, Content-Range, Content-Type, Content-Disposition, ETag, X-Cache';

export const MODEL_EXPANDABLE_KEYS = [
  'author',
  'cardData',
  'config',
  'createdAt',
  'disabled',
  'downloads',
  'downloadsAllTime',
  'gated',
  'gitalyUid',
  'inferenceProviderMapping',
  'lastModified',
  'library_name',
  'likes',
  'model-index',
  'pipeline_tag',
  'private',
  'safetensors',
  'sha',
  'spaces',
  'tags',
  'transformersInfo',
];

export const RATE_WINDOW_SECONDS = 300;
export const RATE_QUOTA = { api: 500, resolvers: 3000 } as const;
export const MAX_LOG_ENTRIES = 20_000;
export const SIGNED_URL_SECONDS = 3600;

export const MSG_INVALID_USER = 'Invalid username or password.';
export const MSG_BAD_TOKEN = 'Invalid credentials in Authorization header';
export const MSG_REPO_NOT_FOUND = 'Repository not found';
export const MSG_ENTRY_NOT_FOUND = 'Entry not found';
export const MSG_DISABLED = 'Access to this resource is disabled.';
export const gatedAnonMessage = (id: string) =>
  `Access to model ${id} is restricted. You must have access to it and be authenticated to access it. Please log in.`;
export const gatedDeniedMessage = (id: string) =>
  `Access to model ${id} is restricted and you are not in the authorized list. Visit https://huggingface.co/${id} to ask for access.`;

// ---------------------------------------------------------------------------------------------
// The server

/** The fault knobs of a patch that are known and well-typed (unknown keys and bad values are dropped). */
export function sanitizeFaults(patch: Partial<HubFaults>): Partial<HubFaults> {
  const out: Partial<HubFaults> = {};
  for (const key of Object.keys(DEFAULT_FAULTS) as (keyof HubFaults)[]) {
    const v = (patch as Record<string, unknown>)[key];
    if (v === undefined) continue;
    if (typeof DEFAULT_FAULTS[key] === 'boolean') (out as Record<string, unknown>)[key] = Boolean(v);
    else if (typeof v === 'number' && Number.isFinite(v) && v >= 0) (out as Record<string, unknown>)[key] = v;
  }
  return out;
}
