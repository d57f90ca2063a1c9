// The deep check over real HTTP against the Hub stand-in, on the deep fixtures (scripts/demo/deepRepos.ts):
// the rows that arrive are the rows of the files (checked against the generator's own values), each model
// reads well under 40% of its files, and — once the statistics are in this build — the verdicts are right.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { startHubStandIn, type HubStandIn } from '../testing/hubStandIn/server.ts';
import { standInSuiteHooks } from '../testing/hubStandIn/suiteHooks.ts';
import { writeStaticRepo } from '../../scripts/demo/staticHub.ts';
import {
  DEEP_ORG,
  bpeTokenizer,
  deepRepoSpec,
  disguise,
  foundationModel,
  trainedFurther,
  DEEP_SHAPE,
  type DeepModel,
} from '../../scripts/demo/deepRepos.ts';
import { decodeTensor, encodeBf16 } from '../core/dtypes.ts';
import type { MatrixEvidence, RowBlock } from '../core/deep/api.ts';
import { deepCheckJob, type DeepCheckRequest } from './deepCheckJob.ts';

const seen = vi.hoisted(() => ({ calls: [] as { a: RowBlock[]; b: RowBlock[] }[], real: true }));

vi.mock('../core/deep/api.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../core/deep/api.ts')>();
  return {
    ...real,
    runDeepCheck: (a: RowBlock[], b: RowBlock[], s: Parameters<typeof real.runDeepCheck>[2], o: { seed: number }) => {
      seen.calls.push({ a, b });
      try {
        return real.runDeepCheck(a, b, s, o);
      } catch (e) {
        if (!/not available/.test(String(e))) throw e;
        seen.real = false;
        const stub: MatrixEvidence = {
          verdict: 'inconclusive',
          pValue: 1,
          statistic: 0,
          statisticName: 'stub',
          effect: 0,
          effectName: 'stub',
          hiddenMap: 'none',
          hiddenPermutation: null,
          hiddenClarity: 'stub',
          tensors: [],
          nullDescription: 'stub',
          reasons: [],
          bytesRead: 0,
        };
        return stub;
      }
    },
  };
});

let root: string;
let hub: HubStandIn;
const sha: Record<string, string> = {};
const size: Record<string, number> = {};
const models: Record<string, DeepModel> = {};

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'normscope-deep-'));
  const tok = bpeTokenizer(DEEP_SHAPE.vocab, 'recipe');
  const base = foundationModel('base', tok.tokens);
  models.base = base;
  models.disguised = disguise(trainedFurther(base, 'cpt', 0.15), 'perm').model;
  models['unrelated-a'] = foundationModel('unrelated-a', tok.tokens);
  for (const [n, m] of Object.entries(models)) {
    const w = writeStaticRepo(root, deepRepoSpec(`${DEEP_ORG}/${n}`, m, tok, { description: n }));
    sha[n] = w.sha;
    size[n] = w.totalBytes;
  }
  hub = await startHubStandIn({ roots: [root] });
}, 180_000);

standInSuiteHooks(() => ({ hub, root }));

const request = (a: string, b: string, kind: 'estimate' | 'run'): DeepCheckRequest => ({
  kind,
  jobId: `${a}-${b}`,
  hub: hub.hubUrl,
  a: { repo: `${DEEP_ORG}/${a}`, sha: sha[a]! },
  b: { repo: `${DEEP_ORG}/${b}`, sha: sha[b]! },
  useCache: false,
});

/** What the rows of a tensor hold in the files: the generator's values, rounded to BF16. */
function fileRows(m: DeepModel, block: RowBlock): Float32Array {
  const layer = m.layers[block.layer];
  const all = block.role === 'embed' ? m.embed : layer![block.role as 'q'];
  const cols = block.shape[1];
  const out = new Float32Array(block.rowIds.length * cols);
  block.rowIds.forEach((id, k) => out.set(all.subarray(id * cols, (id + 1) * cols), k * cols));
  return decodeTensor(encodeBf16(out), 'BF16');
}

describe('the deep check against the Hub stand-in', () => {
  it('estimates from headers only: tensors and the budget per model', async () => {
    const reply = await deepCheckJob(request('base', 'disguised', 'estimate'), { cache: null });
    if (!reply.ok) throw new Error(reply.error.message);
    expect(reply.kind).toBe('estimate');
    if (reply.kind !== 'estimate') return;
    expect(reply.cost.sides[0].tensorCount).toBe(1 + 7 * DEEP_SHAPE.layers);
    expect(reply.cost.sides[0].tensors).toBe('embeddings, q/k/v/o/gate/up/down × 6 layers');
    expect(reply.cost.sides[0].tokenizerBytes).toBeGreaterThan(10_000);
    expect(reply.cost.maxBytesPerModel[0]).toBeLessThan(0.4 * size.base!);
  });

  it('reads the planned rows exactly as the files hold them, under 40% of each model', async () => {
    seen.calls.length = 0;
    const reply = await deepCheckJob(request('base', 'disguised', 'run'), { cache: null });
    if (!reply.ok) throw new Error(reply.error.message);
    if (reply.kind !== 'run') throw new Error('expected a run');
    const { transfer } = reply.result;
    expect(seen.calls.length).toBeGreaterThan(0);
    const last = seen.calls[seen.calls.length - 1]!;
    expect(last.a.length).toBeGreaterThan(0);
    for (const [blocks, m] of [
      [last.a, models.base!],
      [last.b, models.disguised!],
    ] as const) {
      for (const block of blocks) expect(Array.from(block.values)).toEqual(Array.from(fileRows(m, block)));
    }
    for (const [i, n] of [
      [0, 'base'],
      [1, 'disguised'],
    ] as const) {
      const t = transfer[i];
      expect(t.rowBytes + t.tokenizerBytes).toBeLessThan(0.4 * size[n]!);
      console.info(
        `${n}: ${t.rowBytes} row + ${t.tokenizerBytes} tokenizer bytes of ${size[n]} (${((100 * (t.rowBytes + t.tokenizerBytes)) / size[n]!).toFixed(1)}%)`,
      );
    }
    expect(reply.result.evidence.bytesRead).toBe(transfer[0].rowBytes + transfer[1].rowBytes);
    const ev = reply.result.evidence;
    console.info(
      `base × disguised: ${ev.verdict}, p ${ev.pValue}, ${ev.hiddenMap}, ${ev.statisticName} ${ev.statistic}`,
    );
    if (seen.real) {
      expect(reply.result.evidence.verdict).toBe('shared-ancestry');
      expect(reply.result.evidence.hiddenMap).toBe('permuted');
      expect(reply.result.evidence.pValue).toBeLessThanOrEqual(0.01);
    }
  }, 120_000);

  it('unrelated models of the same recipe and tokenizer are never shared ancestry', async () => {
    const reply = await deepCheckJob(request('base', 'unrelated-a', 'run'), { cache: null });
    if (!reply.ok) throw new Error(reply.error.message);
    if (reply.kind !== 'run') throw new Error('expected a run');
    expect(reply.result.evidence.verdict).not.toBe('shared-ancestry');
  }, 120_000);
});
