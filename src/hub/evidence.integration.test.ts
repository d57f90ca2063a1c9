// Issue 5's calibration cases as real safetensors repos on the local Hub stand-in: the loader reads
// them over HTTP like any Hub model, and the verdict, alignment and channel findings must come out
// as the ground truth says.
import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHubStandIn, type HubStandIn } from '../testing/hubStandIn/server.ts';
import { buildLlamaLikeRepo, writeStaticRepo } from '../../scripts/demo/staticHub';
import { CASE_KINDS, makeCase, type CaseKind } from '../core/cases';
import { CASE_EXPECTATIONS } from '../core/caseExpectations';
import { matchChannels } from '../core/channelMatch';
import { judgePair } from '../core/verdict';
import { roleRows } from '../core/pairs';
import { loadModel } from './loadModel';
import { standInSuiteHooks } from '../testing/hubStandIn/suiteHooks.ts';

let hub: HubStandIn;
let root: string;
const cases = new Map<CaseKind, ReturnType<typeof makeCase>>();

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'ns-cases-'));
  for (const kind of CASE_KINDS) {
    const c = makeCase(kind, { hiddenSize: 1024, layers: 24, seed: 1 });
    cases.set(kind, c);
    for (const [who, norms] of [
      ['parent', c.parent],
      ['child', c.child],
    ] as const) {
      writeStaticRepo(
        root,
        buildLlamaLikeRepo({
          repo: `cases/${kind}-${who}`,
          input: norms.input,
          post: norms.post,
          layersPerShard: 8,
          dtype: 'BF16',
          seed: `${kind}-${who}`,
        }),
      );
    }
  }
  hub = await startHubStandIn({ roots: [root], hubPort: 0, cdnPort: 0 });
}, 120_000);

standInSuiteHooks(() => ({ hub, root }));

describe('verdicts on constructed cases served as Hub repos', () => {
  it.each(CASE_KINDS.map((k) => [k]))(
    '%s',
    async (kind) => {
      const [parent, child] = await Promise.all(
        (['parent', 'child'] as const).map((who) =>
          loadModel({ hub: hub.hubUrl, repo: `cases/${kind}-${who}`, cache: null }),
        ),
      );
      const truth = cases.get(kind)!;
      // the loader's vectors are exactly the stored (bf16) values the case was built from
      expect(Array.from(parent!.layers[3]!.input!)).toEqual(Array.from(truth.parent.input[3]!));
      expect(child!.layers).toHaveLength(truth.child.input.length);

      const channelMatch = matchChannels(
        [roleRows(parent!, 'input'), roleRows(parent!, 'post')],
        [roleRows(child!, 'input'), roleRows(child!, 'post')],
      );
      const e = judgePair(roleRows(parent!, 'input'), roleRows(child!, 'input'), { seed: 1, channelMatch });
      const expected = CASE_EXPECTATIONS[kind];
      expect(e.verdict).toBe(expected.verdict);
      expect(e.segments).toBe(expected.segments);
      expect(e.permutation.found).toBe(expected.channelsReordered);
      if (expected.segments) expect(e.alignment).toEqual(truth.childLayerSource!.map((p, c) => [p, c]));
      else expect(e.alignment).toBeNull();
    },
    60_000,
  );
});
