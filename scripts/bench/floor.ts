// The floor client (issue #17): what a comparison cannot do without, fetched stage by stage with
// each stage all in flight at once, computing nothing. It already knows every shard's header size
// and where every norm lies (read from the repos on disk before the clock starts), so it asks for
// exactly: (1) each model's revision API, (2) every shard header [0, 8 + N) through /resolve/,
// following the redirect, (3) every norm tensor from the CDN URL that redirect led to (touching
// tensors merged into one range, nothing else read). Run in Chromium, on a fresh profile, against
// the same stand-in and latency as the app, so both meet the same HTTP/2 + TLS stack.
import { existsSync, readFileSync, readdirSync, openSync, readSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from '@playwright/test';
import { discoverCatalogueNorms } from '../../src/core/formats/catalogueNorms.ts';
import type { TensorCatalogue } from '../../src/core/formats/catalogue.ts';
import { planTensorReads } from '../../src/core/ranges.ts';
import { parseSafetensorsHeader, readHeaderLength } from '../../src/core/safetensors.ts';
import { resolveFileUrl, revisionApiUrl } from '../../src/hub/repoUrls.ts';

export interface FloorFile {
  /** /resolve/ URL pinned to the sha */
  url: string;
  /** 8 + N */
  headerBytes: number;
  /** norm ranges [start, end) in this file (touching tensors merged) */
  norms: [number, number][];
}

export interface FloorPlan {
  apiUrls: string[];
  files: FloorFile[];
  /** Σ (8 + N) over every shard + Σ norm tensor bytes: the bytes the floor reads */
  floorBytes: number;
  headerBytes: number;
  normBytes: number;
}

function readPrefix(path: string, length: number): Uint8Array {
  const fd = openSync(path, 'r');
  try {
    const out = new Uint8Array(length);
    const n = readSync(fd, out, 0, length, 0);
    return out.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

function repoDir(roots: readonly string[], repo: string): { dir: string; sha: string } {
  for (const root of roots) {
    const api = join(root, 'api/models', repo, 'revision/main');
    if (!existsSync(api)) continue;
    const sha = (JSON.parse(readFileSync(api, 'utf8')) as { sha: string }).sha;
    return { dir: join(root, repo, 'resolve', sha), sha };
  }
  throw new Error(`${repo} is in none of ${roots.join(', ')}`);
}

/** What the floor fetches for these models, from the files the stand-in serves. */
export function floorPlan(hub: string, roots: readonly string[], repos: readonly string[]): FloorPlan {
  const plan: FloorPlan = { apiUrls: [], files: [], floorBytes: 0, headerBytes: 0, normBytes: 0 };
  for (const repo of repos) {
    const { dir, sha } = repoDir(roots, repo);
    plan.apiUrls.push(`${revisionApiUrl(hub, repo, 'main')}?blobs=true`);
    const shards = readdirSync(dir, { recursive: true })
      .map(String)
      .filter((f) => f.endsWith('.safetensors'))
      .sort();
    const catalogue: TensorCatalogue = {
      format: 'safetensors',
      config: JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as Record<string, unknown>,
      files: [],
      tensors: [],
      warnings: [],
    };
    for (const file of shards) {
      const n = readHeaderLength(readPrefix(join(dir, file), 8));
      const header = parseSafetensorsHeader(readPrefix(join(dir, file), 8 + n).subarray(8), n, null);
      catalogue.files.push({ file, headerBytes: header.dataStart, total: null });
      for (const t of header.tensors) catalogue.tensors.push({ ...t, file });
    }
    const found = discoverCatalogueNorms(catalogue);
    const spans = new Map(catalogue.tensors.map((t) => [t.name, t]));
    for (const f of catalogue.files) {
      const norms = found.tensors.filter((t) => t.file === f.file).map((t) => spans.get(t.name)!);
      plan.files.push({
        url: resolveFileUrl(hub, repo, sha, f.file),
        headerBytes: f.headerBytes,
        norms: planTensorReads(norms, 0).map((r) => [r.start, r.end]),
      });
      plan.headerBytes += f.headerBytes;
      plan.normBytes += norms.reduce((s, t) => s + t.end - t.start, 0);
    }
  }
  plan.floorBytes = plan.headerBytes + plan.normBytes;
  return plan;
}

export interface FloorRun {
  ms: number;
  /** ms at the end of each stage */
  stages: number[];
  requests: number;
  resolves: number;
  bytes: number;
}

// Runs in the page: a plain string, so that tsx adds no helpers the page lacks.
const FLOOR_IN_PAGE = `async (plan) => {
  const init = (range) => ({ cache: 'no-store', credentials: 'omit', referrerPolicy: 'no-referrer',
    headers: range ? { Range: 'bytes=' + range[0] + '-' + (range[1] - 1) } : {} });
  let requests = 0, resolves = 0, bytes = 0;
  const get = async (url, range) => {
    requests++;
    const r = await fetch(url, init(range));
    if (!r.ok) throw new Error(url + ': HTTP ' + r.status);
    bytes += (await r.arrayBuffer()).byteLength;
    return r;
  };
  const t0 = performance.now();
  const stages = [];
  await Promise.all(plan.apiUrls.map((u) => get(u)));
  stages.push(performance.now() - t0);
  const cdn = await Promise.all(plan.files.map(async (f) => {
    resolves++;
    requests++; // the redirect hop
    return (await get(f.url, [0, f.headerBytes])).url;
  }));
  stages.push(performance.now() - t0);
  await Promise.all(plan.files.flatMap((f, i) => f.norms.map((r) => get(cdn[i], r))));
  stages.push(performance.now() - t0);
  return { ms: performance.now() - t0, stages, requests, resolves, bytes };
}`;

/** The floor client once, in a fresh browser profile (cold connections, as the app's cold run). */
export async function runFloor(browser: Browser, plan: FloorPlan, origin: string): Promise<FloorRun> {
  const context = await browser.newContext({ ignoreHTTPSErrors: true });
  try {
    const page = await context.newPage();
    // a static file of the app's own origin: the same origin as the app's requests, and no app running
    await page.goto(`${origin}/demo-hub/index.json`);
    return (await page.evaluate(`(${FLOOR_IN_PAGE})(${JSON.stringify(plan)})`)) as FloorRun;
  } finally {
    await context.close();
  }
}
