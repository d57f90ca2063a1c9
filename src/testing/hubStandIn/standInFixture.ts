// Shared fixture of the stand-in's tests: repos written to two temp roots, two stand-ins over real HTTP
// on 127.0.0.1 (random ports), and request helpers. Call setUpStandIns() at the top of a test file.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import {
  buildLlamaLikeRepo,
  writeStaticRepo,
  type BuiltRepo,
  type WrittenRepo,
} from '../../../scripts/demo/staticHub.ts';
import { createRng } from '../../../scripts/demo/random.ts';
import { DEFAULT_FAULTS, HUB_EXPOSE_HEADERS, startHubStandIn, type HubStandIn } from './server.ts';

export const ORIGIN = 'http://localhost:4173';
export const TOKENS = { hf_all: ['*'], hf_some: ['test-org/gated-auto', 'test-org/private-repo'], hf_none: [] };

export function gammas(layers: number, hidden: number, seed: string): Float32Array[] {
  const rng = createRng(seed);
  return Array.from({ length: layers }, () => Float32Array.from({ length: hidden }, () => 0.5 + 0.1 * rng.normal()));
}

export function tinyRepo(repo: string, opts: Partial<Parameters<typeof buildLlamaLikeRepo>[0]> = {}): BuiltRepo {
  return buildLlamaLikeRepo({
    repo,
    input: gammas(4, 64, `${repo}/in`),
    post: gammas(4, 64, `${repo}/post`),
    layersPerShard: 2,
    routerBias: true,
    ...opts,
  });
}

export let rootA: string;
export let rootB: string;
export let hub: HubStandIn;
export let plain: HubStandIn;
export const written: Record<string, WrittenRepo> = {};
export let sharded: BuiltRepo;

export const fileBytes = (root: string, w: WrittenRepo, path: string) =>
  new Uint8Array(readFileSync(join(root, ...w.repo.split('/'), 'resolve', w.sha, path)));

/** Registers the hooks that write the repos, start both stand-ins and reset faults and stats per test. */
export function setUpStandIns(): void {
  beforeAll(async () => {
    rootA = mkdtempSync(join(tmpdir(), 'hub-standin-a-'));
    rootB = mkdtempSync(join(tmpdir(), 'hub-standin-b-'));
    sharded = tinyRepo('test-org/tiny-sharded');
    written.sharded = writeStaticRepo(rootA, { ...sharded, branches: ['main', 'refs/pr/1'] });
    const single = tinyRepo('test-org/tiny-single', { layersPerShard: 0, dtype: 'F16', routerBias: false });
    written.single = writeStaticRepo(rootA, {
      ...single,
      files: { ...single.files, 'sub/dir/notes.txt': 'hello\n', 'sub/b.txt': 'b' },
    });
    written.gatedAuto = writeStaticRepo(rootA, {
      ...tinyRepo('test-org/gated-auto', { layersPerShard: 0 }),
      gated: 'auto',
    });
    written.gatedManual = writeStaticRepo(rootA, {
      ...tinyRepo('test-org/gated-manual', { layersPerShard: 0 }),
      gated: 'manual',
    });
    written.private = writeStaticRepo(rootA, {
      ...tinyRepo('test-org/private-repo', { layersPerShard: 0 }),
      private: true,
    });
    written.disabled = writeStaticRepo(rootA, {
      ...tinyRepo('test-org/disabled-repo', { layersPerShard: 0 }),
      disabled: true,
    });
    written.other = writeStaticRepo(rootB, tinyRepo('other-org/second-root', { layersPerShard: 0 }));
    // declared children of test-org/tiny-single, as the Hub tags them (base_model: and base_model:RELATION:)
    const child = (repo: string, relation: string, downloads: number) =>
      writeStaticRepo(rootB, {
        ...tinyRepo(repo, { layersPerShard: 0 }),
        downloads,
        tags: ['safetensors', 'base_model:test-org/tiny-single', `base_model:${relation}:test-org/tiny-single`],
      });
    child('kids/ft-few', 'finetune', 5);
    child('kids/ft-many', 'finetune', 500);
    child('kids/quant', 'quantized', 50);
    written.shadowed = writeStaticRepo(rootB, {
      ...tinyRepo('test-org/tiny-single', { layersPerShard: 0 }),
      description: 'shadowed',
    });
    hub = await startHubStandIn({ roots: [rootA, rootB], tokens: TOKENS, treePageSize: 3, searchPageSize: 2 });
    plain = await startHubStandIn({ roots: [rootA], smallFilesRedirect: false });
  });

  afterAll(async () => {
    await hub?.close();
    await plain?.close();
    rmSync(rootA, { recursive: true, force: true });
    rmSync(rootB, { recursive: true, force: true });
  });

  beforeEach(() => {
    hub.setFaults(DEFAULT_FAULTS);
    hub.resetStats();
  });
}

export function req(url: string, init: RequestInit & { token?: string } = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (!headers.has('Origin')) headers.set('Origin', ORIGIN);
  if (init.token) headers.set('Authorization', `Bearer ${init.token}`);
  return fetch(url, { ...init, headers, redirect: init.redirect ?? 'manual' });
}

export const api = (path: string) => `${hub.hubUrl}/api/models/${path}`;
export const resolveUrl = (repo: string, rev: string, path: string) =>
  `${hub.hubUrl}/${repo}/resolve/${encodeURIComponent(rev)}/${path}`;

export function expectHubCors(res: Response, origin = ORIGIN): void {
  expect(res.headers.get('access-control-allow-origin')).toBe(origin);
  expect(res.headers.get('vary')).toMatch(/^Origin/);
  expect(res.headers.get('access-control-expose-headers')).toBe(HUB_EXPOSE_HEADERS);
  expect(res.headers.get('access-control-max-age')).toBe('86400');
  expect(res.headers.get('access-control-allow-credentials')).toBeNull();
  expect(res.headers.get('ratelimit')).toMatch(/^"(api|resolvers)";r=\d+;t=\d+$/);
  expect(res.headers.get('ratelimit-policy')).toMatch(/^"fixed window";"(api|resolvers)";q=\d+;w=300$/);
}

export async function cdnLocation(repo: string, path: string, rev = 'main'): Promise<string> {
  const r = await req(resolveUrl(repo, rev, path));
  expect(r.status).toBe(302);
  return r.headers.get('location') as string;
}
