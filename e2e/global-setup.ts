// Builds the test-only repos the browser suite needs (gated, other architectures) into
// e2e/.fixtures/hub, in the static Hub layout the stand-in serves. The demo repos come from
// `npm run demo-data` (public/demo-hub).
import { execSync } from 'node:child_process';
import { buildLlamaLikeRepo, buildNeoxLikeRepo, writeStaticRepo } from '../scripts/demo/staticHub';
import { writeFamilyRepos, writeGgufFamilyRepos } from '../scripts/demo/familyRepos';
import { generateModelGammas, GLM_AIR_LAYER_STATS } from '../scripts/demo/gammaProfiles';
import { writeLineageRepos } from '../scripts/demo/lineageRepos';

export const FIXTURE_ROOT = 'e2e/.fixtures/hub';

export default function globalSetup(): void {
  execSync('npx tsx scripts/make-demo.ts --quiet', { stdio: 'inherit' });
  // repos are rewritten in place (no wipe), so a suite running beside this one keeps its files
  // hidden 4096 so that it pairs with the demo models
  writeStaticRepo(FIXTURE_ROOT, buildNeoxLikeRepo({ repo: 'normscope-test/gated-model', hidden: 4096, layers: 12, gated: 'manual', seed: 'gated' }));
  // shards of ~25 MB: too big to be read whole when a server ignores Range
  const layers = 6;
  const stats = { input: GLM_AIR_LAYER_STATS.input.slice(0, layers), post: GLM_AIR_LAYER_STATS.post.slice(0, layers) };
  const big = generateModelGammas({ seed: 'big-shards', hidden: 1024, stats });
  writeStaticRepo(
    FIXTURE_ROOT,
    buildLlamaLikeRepo({ repo: 'normscope-test/big-shards', input: big.input, post: big.post, matrixCols: 2048, layersPerShard: 3, seed: 'big' }),
  );
  // one realistic checkpoint per architecture family (normscope-families/<family>), plus fine-tune siblings
  writeFamilyRepos(FIXTURE_ROOT);
  // GGUF conversions of some of them (normscope-families/<family>-GGUF) and an unknown architecture
  writeGgufFamilyRepos(FIXTURE_ROOT);
  // a base, its declared children (true and false claims, GGUF, merge, gated, narrower) and an undeclared derivative
  writeLineageRepos(FIXTURE_ROOT);
}
