// 7B-shaped timing of the statistics (worker compute), run on demand: DEEP_BENCH=1 npx vitest run src/core/deep/deepBench.test.ts
import { describe, expect, it } from 'vitest';
import { planDeepReads } from './plan';
import { runDeepCheck } from './check';
import { sharedTokens } from './tokens';
import { DEFAULT_DEEP_BUDGET_BYTES } from './plan';
import { LLAMA_7B_SHAPE, derive, foundation } from './syntheticModels';
import type { DeepPlanInput } from './types';

describe.skipIf(!process.env.DEEP_BENCH)('7B-shaped deep check', () => {
  it('a disguised derivative (hidden permuted: the full alignment search) within the compute target', () => {
    const F = foundation(LLAMA_7B_SHAPE, 7);
    const B = derive(F, {
      seed: 8,
      embedNoise: 0.4,
      matrixNoise: 0.5,
      permuteHidden: true,
      permuteUnits: true,
      foldNorms: true,
    });
    const t0 = performance.now();
    const shared = sharedTokens(F.vocab, B.vocab);
    const input: DeepPlanInput = {
      hiddenA: 4096,
      hiddenB: 4096,
      tensorsA: F.tensors,
      tensorsB: B.tensors,
      shared,
      budgetBytes: DEFAULT_DEEP_BUDGET_BYTES,
      seed: 1,
      bytesPerElement: Object.fromEntries(F.tensors.map((t) => [t.name, 2])),
    };
    const first = planDeepReads(input);
    const tPlan = performance.now() - t0;
    const g0 = performance.now();
    const blocksA = F.blocks(first.a),
      blocksB = B.blocks(first.b);
    const gen1 = performance.now() - g0;
    // CPU time of this process, so a machine shared with other jobs does not inflate the figure
    const cpu = () => {
      const u = process.cpuUsage();
      return (u.user + u.system) / 1000;
    };
    const c1 = cpu();
    const ev1 = runDeepCheck(blocksA, blocksB, shared, { seed: 1 });
    const cpu1 = cpu() - c1;
    const second = planDeepReads(input, ev1);
    const g1 = performance.now();
    const moreA = F.blocks(second.a),
      moreB = B.blocks(second.b);
    const gen2 = performance.now() - g1;
    const c2 = cpu();
    const ev = runDeepCheck([...blocksA, ...moreA], [...blocksB, ...moreB], shared, { seed: 1, previous: ev1 });
    const cpu2 = cpu() - c2;
    const compute = tPlan + (ev1.computeMs ?? 0) + (ev.computeMs ?? 0);
    console.log(
      `7B: tokens+plan ${tPlan.toFixed(0)} ms, check 1 ${ev1.computeMs!.toFixed(0)} ms, check 2 ${ev.computeMs!.toFixed(0)} ms, ` +
        `total compute ${compute.toFixed(0)} ms wall, CPU time of the two checks ${cpu1.toFixed(0)} + ${cpu2.toFixed(0)} ms (row generation ${(gen1 + gen2).toFixed(0)} ms, not counted); ` +
        `bytes A ${((first.rowBytesA + second.rowBytesA) / 1048576).toFixed(1)} MiB; verdict ${ev.verdict} p ${ev.pValue} ` +
        `via ${ev.carriedBy}; ${ev.hiddenClarity}; phases 1 ${JSON.stringify(ev1.computePhasesMs)} 2 ${JSON.stringify(ev.computePhasesMs)}`,
    );
    expect(ev.verdict).toBe('shared-ancestry');
    expect(ev.hiddenMap).toBe('permuted');
    expect(first.rowBytesA + second.rowBytesA).toBeLessThanOrEqual(DEFAULT_DEEP_BUDGET_BYTES);
  }, 600_000);
});
