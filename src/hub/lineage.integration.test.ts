// The lineage fixture family over real HTTP: the stand-in lists the declared children of the base
// (filter=base_model:…, sorted by downloads, page by page), each child loads (GGUF included, one
// gated child fails), and every claim is judged right; the undeclared derivative is found.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { startHubStandIn, type HubStandIn } from '../testing/hubStandIn/server.ts';
import { LINEAGE_BASE, LINEAGE_TRUTH, UNDECLARED_CHILD, writeLineageRepos } from '../../scripts/demo/lineageRepos.ts';
import { evidenceForRoles } from '../core/pairEvidence.ts';
import { planPairs, roleRowsOf } from '../core/pairs.ts';
import type { LoadedModel } from '../core/types.ts';
import { judgeScanChild, SCAN_JUDGE_OPTIONS, findingOf } from '../core/lineage/scan.ts';
import { judgeLineage } from '../core/lineage/judge.ts';
import { listChildren } from './listChildren.ts';
import { loadModel } from './loadModel.ts';
import { standInSuiteHooks } from '../testing/hubStandIn/suiteHooks.ts';

let root = '';
let hub: HubStandIn;
beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'ns-lineage-'));
  writeLineageRepos(root);
  hub = await startHubStandIn({ roots: [root], searchPageSize: 3 });
}, 120_000);
standInSuiteHooks(() => ({ hub, root }));

const load = (repo: string) => loadModel({ hub: hub.hubUrl, repo, retry: { baseDelayMs: 5, maxDelayMs: 20 } });

describe('lineage family over the stand-in', () => {
  it('lists the declared children by downloads through Link pages, and judges every claim right', async () => {
    const list = await listChildren(LINEAGE_BASE, { hub: hub.hubUrl, max: 20 });
    expect(list.children.map((c) => c.id).sort()).toEqual(Object.keys(LINEAGE_TRUTH).sort());
    expect(list.children.map((c) => c.downloads)).toEqual(
      [...list.children.map((c) => c.downloads)].sort((a, b) => b - a),
    );
    expect(list.apiCalls).toBe(3); // 7 children, 3 a page
    const base = await load(LINEAGE_BASE);
    expect(base.declared).toBeNull();
    for (const child of list.children) {
      const truth = LINEAGE_TRUTH[child.id as keyof typeof LINEAGE_TRUTH];
      expect(child.relation, child.id).toBe(truth.claims);
      let model: LoadedModel;
      try {
        model = await load(child.id);
      } catch (e) {
        expect(truth.truth, `${child.id}: ${String(e)}`).toBe('error');
        continue;
      }
      expect(model.declared?.bases, child.id).toContain(LINEAGE_BASE);
      const plan = planPairs([base, model]);
      const row =
        plan.comparable.length === 0
          ? judgeScanChild(LINEAGE_BASE, child.id, child.relation, {
              notComparable: plan.notComparable[0]?.reason ?? '',
            })
          : judgeScanChild(LINEAGE_BASE, child.id, child.relation, {
              byRole: evidenceForRoles(roleRowsOf(base), roleRowsOf(model), SCAN_JUDGE_OPTIONS),
            });
      expect(row?.status, `${child.id}: ${row?.explanation}`).toBe(truth.truth);
    }
  }, 120_000);

  it('finds the undeclared parent of a model whose card says trained from scratch', async () => {
    const models = await Promise.all([LINEAGE_BASE, `${LINEAGE_BASE}-chat`, UNDECLARED_CHILD].map(load));
    expect(models[2]!.declared).toBeNull();
    const findings = [
      [0, 1],
      [0, 2],
      [1, 2],
    ].map(([a, b]) =>
      findingOf(a!, b!, evidenceForRoles(roleRowsOf(models[a!]!), roleRowsOf(models[b!]!), SCAN_JUDGE_OPTIONS))!,
    );
    const rows = judgeLineage(
      models.map((m) => ({ repo: m.repo, declared: m.declared ?? null })),
      findings,
      [],
    );
    expect(rows.find((r) => r.child === `${LINEAGE_BASE}-chat`)?.status).toBe('confirmed');
    const undeclared = rows.filter((r) => r.status === 'undeclared');
    // one row for the family: the parent is the base, not its fine-tune
    expect(undeclared.map((r) => [r.child, r.base])).toEqual([[UNDECLARED_CHILD, LINEAGE_BASE]]);
    expect(undeclared[0]!.explanation).toContain('likely parent');
  }, 120_000);
});
