// Issue 16 done-when, in Node: every hostile repo beside the healthy ones is named, bounded and
// contained (its own message, at most 16 MB read), awkward but legal ones load and say what is
// odd, and the healthy models load exactly whatever is beside them.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { startHubStandIn, type HubStandIn } from '../testing/hubStandIn/server.ts';
import { standInSuiteHooks } from '../testing/hubStandIn/suiteHooks.ts';
import { hostileRepoSpecs, type HostileCase } from '../../scripts/demo/hostileRepos.ts';
import { writeStaticRepo, type BuiltRepo } from '../../scripts/demo/staticHub.ts';
import { loadModel } from './loadModel.ts';
import type { HubError } from './errors.ts';

let root: string;
let hub: HubStandIn;
let cases: HostileCase[];
let healthy: BuiltRepo[];
const BUDGET = 16 * 1024 * 1024;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'normscope-hostile-'));
  const built = hostileRepoSpecs();
  for (const spec of built.specs) writeStaticRepo(root, spec);
  cases = built.cases;
  healthy = built.healthy;
  hub = await startHubStandIn({ roots: [root] });
}, 60_000);

standInSuiteHooks(() => ({ hub, root }));

/** Bytes the stand-in sent for one repo (hub and CDN routes both carry org/name in the path). */
const bytesFor = (repo: string) =>
  hub
    .stats()
    .log.filter((e) => e.url.includes(`/${repo}/`))
    .reduce((s, e) => s + e.bytes, 0);

describe('hostile repos beside healthy ones', () => {
  it('each damaged file is named (model, file, fault in its format), bounded and contained; awkward ones load honestly', async () => {
    const rows: string[] = [];
    for (const c of cases) {
      hub.resetStats();
      const t0 = performance.now();
      const [a, b, x] = await Promise.all([
        loadModel({ hub: hub.hubUrl, repo: healthy[0]!.repo, cache: null }),
        loadModel({ hub: hub.hubUrl, repo: healthy[1]!.repo, cache: null }),
        loadModel({ hub: hub.hubUrl, repo: c.repo, cache: null, retry: { baseDelayMs: 5, maxDelayMs: 20 } }).catch(
          (e: HubError) => e,
        ),
      ]);
      const ms = performance.now() - t0;
      for (const [m, want] of [
        [a, healthy[0]!],
        [b, healthy[1]!],
      ] as const)
        m.layers.forEach((layer, l) => {
          expect(layer.input).toEqual(want.norms.input[l]);
          expect(layer.post).toEqual(want.norms.post[l]);
        });
      const read = bytesFor(c.repo);
      expect(read, c.repo).toBeLessThanOrEqual(BUDGET);
      expect(ms, c.repo).toBeLessThan(20_000);
      if (c.kind === 'damaged') {
        expect(x, c.repo).toHaveProperty('kind');
        const e = x as HubError;
        expect(e.kind, `${c.repo}: ${e.message}`).not.toBe('network');
        expect(e.message, c.repo).toContain(c.file);
        expect(e.message, c.repo).toContain(c.repo);
        expect(e.message, c.repo).toMatch(c.says);
        if (c.file.endsWith('.gguf')) expect(e.message, c.repo).not.toMatch(/safetensors/);
        rows.push(`${c.repo}: ${read} B, ${e.kind}: ${e.message}`);
      } else {
        expect(x, `${c.repo}: ${(x as Error).message}`).toHaveProperty('layers');
        const m = x as Awaited<ReturnType<typeof loadModel>>;
        expect(m.warnings.join(' '), c.repo).toMatch(c.says);
        rows.push(`${c.repo}: ${read} B, loads; ${m.warnings.join(' | ')}`);
      }
    }
    console.log(`[hostile repos]\n${rows.join('\n')}`);
  }, 120_000);
});
