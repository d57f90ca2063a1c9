// The relatives search over real HTTP on a hub it has never seen, no candidate named: the stand-in
// lists the most downloaded text-generation models (Link pages), the search reads each root's
// config.json for its width, loads the width matches and judges them by the family scan's test.
// What it finds is checked against the fixtures' truth (scripts/demo/relativesRepos.ts).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { startHubStandIn, type HubStandIn } from '../testing/hubStandIn/server.ts';
import { standInSuiteHooks } from '../testing/hubStandIn/suiteHooks.ts';
import {
  ALPHA,
  ALPHA_CHAT,
  areRelatives,
  DAMAGED,
  FAMILIES,
  LIAR,
  LIAR_CLAIM,
  MASKED,
  QUIET,
  SMALL,
  SMALL_IT,
  writeRelativesRepos,
} from '../../scripts/demo/relativesRepos.ts';
import { evidenceForRoles } from '../core/pairEvidence.ts';
import { roleRowsOf } from '../core/pairs.ts';
import { SCAN_JUDGE_OPTIONS } from '../core/lineage/scan.ts';
import { createMemoryCache } from './cache.ts';
import { createRelativesCaches, hubRelativesDeps, type RelativesCaches } from './relativesDeps.ts';
import { loadModel } from './loadModel.ts';
import { listRootModels } from './listRoots.ts';
import { searchRelatives, type RelativesDeps, type RelativesState } from '../state/relativesSearch.ts';

let root = '';
let hub: HubStandIn;
beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'ns-relatives-'));
  writeRelativesRepos(root);
  hub = await startHubStandIn({ roots: [root], searchPageSize: 7 });
}, 120_000);
standInSuiteHooks(() => ({ hub, root }));

const retry = { baseDelayMs: 5, maxDelayMs: 20 };
function deps(caches: RelativesCaches): RelativesDeps {
  return {
    ...hubRelativesDeps(hub.hubUrl, caches, { retry }),
    compare: async (a, b) => evidenceForRoles(roleRowsOf(a), roleRowsOf(b), SCAN_JUDGE_OPTIONS),
  };
}

/** The stand-in's own count of what the search cost: api-bucket calls and /resolve/ hits. */
function standInSpend(): { api: number; resolves: number } {
  const routes = hub.stats().byRoute;
  const n = (k: string) => routes[k]?.requests ?? 0;
  return {
    api: Object.keys(routes)
      .filter((k) => k.startsWith('api-'))
      .reduce((t, k) => t + n(k), 0),
    resolves: n('resolve'),
  };
}

async function search(repo: string, caches = createRelativesCaches(createMemoryCache())): Promise<RelativesState> {
  const target = await loadModel({ hub: hub.hubUrl, repo, retry, cache: null });
  hub.resetStats();
  const updates: RelativesState[] = [];
  const s = await searchRelatives(target, deps(caches), {}, (u) => updates.push(u), new AbortController().signal);
  expect(s.status, s.error ?? '').toBe('done');
  expect(updates.length).toBeGreaterThan(3);
  return s;
}

const statusOf = (s: RelativesState, id: string) => s.candidates.find((c) => c.candidate.id === id)?.judgement?.status;
const claimed = (s: RelativesState) =>
  s.candidates.filter((c) => c.judgement?.status === 'undeclared' || c.judgement?.status === 'confirmed');

function noFalseRelative(s: RelativesState): void {
  for (const c of claimed(s)) expect(areRelatives(s.of, c.candidate.id), `${s.of} ~ ${c.candidate.id}`).toBe(true);
}

describe('relatives search over the stand-in', () => {
  it('lists roots most downloaded first, through Link pages, with only the expanded fields', async () => {
    const list = await listRootModels({ hub: hub.hubUrl, max: 200 });
    // 19 text-generation models, 7 a page; three derivatives carry base_model tags
    expect(list.listed).toBe(19);
    expect(list.apiCalls).toBe(3);
    expect(list.roots.map((r) => r.id)).not.toContain(ALPHA_CHAT);
    expect(list.roots.map((r) => r.id)).not.toContain(LIAR);
    expect(list.roots.map((r) => r.id)).toContain(QUIET);
    expect(list.roots.length).toBe(16);
    const d = list.roots.map((r) => r.downloads);
    expect(d).toEqual([...d].sort((a, b) => b - a));
    expect(list.roots.find((r) => r.id === 'fam-3/base-3')?.modelType).toBe('mistral');
    const res = await fetch(
      `${hub.hubUrl}/api/models?pipeline_tag=text-generation&sort=downloads&limit=2&expand[]=downloads`,
    );
    const body = (await res.json()) as Record<string, unknown>[];
    expect(body.map((b) => Object.keys(b).sort())).toEqual([
      ['_id', 'downloads', 'id'],
      ['_id', 'downloads', 'id'],
    ]);
    expect(body[0]!.id).toBe(ALPHA);
    expect(res.headers.get('link')).toMatch(/rel="next"/);
  });

  it('a child whose card names the wrong base: its true parent is found (undeclared) and the claim contradicted', async () => {
    const s = await search(LIAR);
    expect(statusOf(s, LIAR_CLAIM)).toBe('contradicted');
    const alpha = s.candidates.find((c) => c.candidate.id === ALPHA)!;
    expect(alpha.judgement?.status, alpha.judgement?.explanation).toBe('undeclared');
    expect(alpha.judgement?.likelyParent).toBe(ALPHA);
    expect(alpha.candidate.source).toBe('hub');
    // its uncarded sibling is found too, and names the same likely parent
    expect(statusOf(s, QUIET)).toBe('undeclared');
    expect(s.candidates.find((c) => c.candidate.id === QUIET)?.judgement?.likelyParent).toBe(ALPHA);
    noFalseRelative(s);
    // the width filter: 16 roots listed; matched: alpha, quiet, masked, the 7 families the card does
    // not name (fam-2 is a declared base), the cut repo; the bad config.json gives no width
    expect(s.roots).toBe(16);
    expect(s.matched).toBe(11);
    expect(s.candidates.find((c) => c.candidate.id === SMALL)).toBeUndefined();
    // what it says it spent is what the stand-in counted
    expect(s.spent).toEqual(standInSpend());
    expect(s.spent.api).toBeLessThanOrEqual(500);
    expect(s.spent.resolves).toBeLessThanOrEqual(3000);
  }, 120_000);

  it('an uncarded fine-tune among eight unrelated families of its width: its parent is found', async () => {
    const caches = createRelativesCaches(createMemoryCache());
    const s = await search(QUIET, caches);
    expect(statusOf(s, ALPHA)).toBe('undeclared');
    expect(s.candidates.find((c) => c.candidate.id === ALPHA)?.judgement?.likelyParent).toBe(ALPHA);
    for (const f of FAMILIES) expect(['no-evidence', 'inconclusive'], f).toContain(statusOf(s, f));
    expect(FAMILIES.filter((f) => statusOf(s, f) === 'no-evidence').length).toBeGreaterThanOrEqual(6);
    for (const d of DAMAGED) expect(['not-comparable', 'error', undefined]).toContain(statusOf(s, d));
    // the disguised derivative's norms are all 1.0: no information until the matrix check is wired
    expect(statusOf(s, MASKED)).toBe('no-information');
    expect(s.deepMissing).toBe(true);
    noFalseRelative(s);
    // the same search again: lists from the memory cache, widths and vectors by sha
    hub.resetStats();
    const again = await searchRelatives(
      await loadModel({ hub: hub.hubUrl, repo: QUIET, retry, cache: null }),
      deps(caches),
      {},
      () => undefined,
      new AbortController().signal,
    );
    hub.resetStats();
    expect(again.spent.api).toBeLessThanOrEqual(3);
    expect(statusOf(again, ALPHA)).toBe('undeclared');
  }, 120_000);

  it('a foundation: no relative is claimed among the roots; its declared children are confirmed', async () => {
    const s = await search('fam-3/base-3');
    expect(claimed(s)).toEqual([]);
    noFalseRelative(s);
    const a = await search(ALPHA);
    expect(statusOf(a, ALPHA_CHAT)).toBe('confirmed');
    expect(statusOf(a, QUIET)).toBe('undeclared');
    expect(a.candidates.find((c) => c.candidate.id === QUIET)?.judgement?.likelyParent).toBe(ALPHA);
    noFalseRelative(a);
    const small = await search(SMALL_IT);
    expect(statusOf(small, SMALL)).toBe('confirmed');
    noFalseRelative(small);
  }, 180_000);

  it('cancels: the search stops and says so', async () => {
    const target = await loadModel({ hub: hub.hubUrl, repo: QUIET, retry, cache: null });
    const ac = new AbortController();
    const s = await searchRelatives(
      target,
      deps(createRelativesCaches(null)),
      {},
      (u) => {
        if (u.status === 'comparing') ac.abort();
      },
      ac.signal,
    );
    expect(s.status).toBe('cancelled');
    expect(s.candidates.filter((c) => c.phase === 'done').length).toBeLessThan(s.candidates.length);
  }, 60_000);
});
