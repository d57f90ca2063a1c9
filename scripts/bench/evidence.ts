// Cost of the evidence: permutation tests, layer alignment, channel matching, PCA (Node, one thread).
import { makeCase } from '../../src/core/cases';
import { judgePair } from '../../src/core/verdict';
import { sharedPermutationTest } from '../../src/core/nulls';
import { alignLayers } from '../../src/core/alignment';
import { matchChannels } from '../../src/core/channelMatch';
import { similarityMatrices } from '../../src/core/metrics';
import { layerPca } from '../../src/core/pca';

function median(times: number[]): number {
  return [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
}

function timeIt(fn: () => void, runs = 3): number {
  fn(); // warm-up
  const times: number[] = [];
  for (let k = 0; k < runs; k++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  return +median(times).toFixed(1);
}

export function benchEvidence(): Record<string, number> {
  const unrelated = makeCase('unrelated', { hiddenSize: 4096, layers: 46, seed: 1 });
  const upscaled = makeCase('depth-upscaled', { hiddenSize: 1024, layers: 96, seed: 1 });
  const a = unrelated.parent.input;
  const b = unrelated.child.input;
  const diagonal = a.map((_, i) => [i, i] as [number, number]);
  const big = similarityMatrices(upscaled.child.input.slice(0, 128), upscaled.parent.input.slice(0, 128));
  return {
    'shared permutation test 46×46×4096, 200 permutations, diagonal (ms)': timeIt(() =>
      sharedPermutationTest(a, b, diagonal, { permutations: 200, seed: 1 }),
    ),
    'layer alignment 128×128 (ms)': timeIt(() => alignLayers(big.pearson, big.rows, big.cols, { threshold: 0.1 }), 5),
    'channel matching d=4096, 46 layers × 2 roles (ms)': timeIt(() =>
      matchChannels([unrelated.parent.input, unrelated.parent.post], [unrelated.child.input, unrelated.child.post]),
    ),
    'whole verdict for one pair and role, 46×4096 (ms)': timeIt(() => judgePair(a, b, { seed: 1 })),
    'PCA of 4 × 46 layers × 4096 (ms)': timeIt(() =>
      layerPca(
        [...a, ...b, ...unrelated.parent.post, ...unrelated.child.post].map((vector, k) => ({
          model: Math.floor(k / 46),
          layer: k % 46,
          vector,
        })),
      ),
    ),
  };
}
