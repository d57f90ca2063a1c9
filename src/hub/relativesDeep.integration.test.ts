// The relatives search with the deep check wired (issue #15 × issue 14): a disguised derivative
// whose norms are all 1.0 (folded into the matrices, hidden dimensions and units permuted) gives the
// norms nothing to compare, so every candidate of its width gets the matrix check; its parent is
// found by the matrices, and no unrelated model of the same recipe is claimed.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { startHubStandIn, type HubStandIn } from '../testing/hubStandIn/server.ts';
import { standInSuiteHooks } from '../testing/hubStandIn/suiteHooks.ts';
import { DEEP_ORG, writeDeepRepos } from '../../scripts/demo/deepRepos.ts';
import { evidenceForRoles } from '../core/pairEvidence.ts';
import { roleRowsOf } from '../core/pairs.ts';
import { SCAN_JUDGE_OPTIONS } from '../core/lineage/scan.ts';
import { normsInformative } from '../core/lineage/relatives.ts';
import { createMemoryCache } from './cache.ts';
import { createRelativesCaches, hubRelativesDeps } from './relativesDeps.ts';
import { loadModel } from './loadModel.ts';
import { searchRelatives } from '../state/relativesSearch.ts';

let root = '';
let hub: HubStandIn;
beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'ns-relatives-deep-'));
  writeDeepRepos(root);
  hub = await startHubStandIn({ roots: [root] });
}, 180_000);
standInSuiteHooks(() => ({ hub, root }));

const id = (n: string) => `${DEEP_ORG}/${n}`;

describe('relatives of a disguised derivative, by the matrices', () => {
  it('finds the parent where the norms carry no information; claims no unrelated model', async () => {
    const target = await loadModel({ hub: hub.hubUrl, repo: id('disguised'), cache: null });
    expect(normsInformative(roleRowsOf(target))).toBe(false);
    const deps = {
      ...hubRelativesDeps(hub.hubUrl, createRelativesCaches(createMemoryCache())),
      compare: async (a: typeof target, b: typeof target) =>
        evidenceForRoles(roleRowsOf(a), roleRowsOf(b), SCAN_JUDGE_OPTIONS),
    };
    const s = await searchRelatives(target, deps, {}, () => undefined, new AbortController().signal);
    expect(s.status, s.error ?? '').toBe('done');
    const of = (n: string) => s.candidates.find((c) => c.candidate.id === id(n));
    const base = of('base')!;
    expect(base.judgement?.status, `${base.judgement?.explanation} ${base.error ?? ''}`).toBe('undeclared');
    expect(base.judgement?.basis).toBe('matrices');
    expect(base.judgement?.pValue).toBeLessThanOrEqual(0.01);
    for (const n of ['unrelated-a', 'unrelated-b', 'other-tok']) {
      const c = of(n);
      expect(c, n).toBeDefined();
      expect(['no-evidence', 'inconclusive', 'no-information'], `${n}: ${c?.judgement?.explanation}`).toContain(
        c?.judgement?.status,
      );
    }
    expect(s.spent.api).toBeLessThanOrEqual(500);
    expect(s.spent.resolves).toBeLessThanOrEqual(3000);
    console.info(
      s.candidates.map(
        (c) => `${c.candidate.id}: ${c.judgement?.status} ${c.judgement?.basis} p=${c.judgement?.pValue}`,
      ),
      s.spent,
      `${Math.round(s.wallMs ?? 0)} ms`,
    );
  }, 300_000);
});
