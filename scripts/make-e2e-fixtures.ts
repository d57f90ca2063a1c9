// Builds the test-only repos the browser suite needs (gated, other architectures) into
// e2e/.fixtures/hub, in the static Hub layout the stand-in serves. The browser suite runs this as a
// command (e2e/ never imports scripts/). The demo repos come from `npm run demo-data`.
import { buildLlamaLikeRepo, writeStaticRepo } from './demo/staticHub.ts';
import { buildNeoxLikeRepo } from './demo/smallArchRepos.ts';
import { writeFamilyRepos, writeGgufFamilyRepos } from './demo/familyRepos.ts';
import { generateModelGammas, GLM_AIR_LAYER_STATS } from './demo/gammaProfiles.ts';
import { writeLineageRepos } from './demo/lineageRepos.ts';
import { join } from 'node:path';
import { writeRelativesRepos } from './demo/relativesRepos.ts';
import { writeDeepRepos } from './demo/deepRepos.ts';
import { writeHostileRepos } from './demo/hostileRepos.ts';
import { writeFileSync } from 'node:fs';

const FIXTURE_ROOT = process.argv[2] ?? 'e2e/.fixtures/hub';

// repos are rewritten in place (no wipe), so a suite running beside this one keeps its files
// hidden 4096 so that it pairs with the demo models
writeStaticRepo(
  FIXTURE_ROOT,
  buildNeoxLikeRepo({ repo: 'normscope-test/gated-model', hidden: 4096, layers: 12, gated: 'manual', seed: 'gated' }),
);
// shards of ~25 MB: too big to be read whole when a server ignores Range
const layers = 6;
const stats = { input: GLM_AIR_LAYER_STATS.input.slice(0, layers), post: GLM_AIR_LAYER_STATS.post.slice(0, layers) };
const big = generateModelGammas({ seed: 'big-shards', hidden: 1024, stats });
writeStaticRepo(
  FIXTURE_ROOT,
  buildLlamaLikeRepo({
    repo: 'normscope-test/big-shards',
    input: big.input,
    post: big.post,
    matrixCols: 2048,
    layersPerShard: 3,
    seed: 'big',
  }),
);
// one realistic checkpoint per architecture family (normscope-families/<family>), plus fine-tune siblings
writeFamilyRepos(FIXTURE_ROOT);
// GGUF conversions of some of them (normscope-families/<family>-GGUF) and an unknown architecture
writeGgufFamilyRepos(FIXTURE_ROOT);
// a base, its declared children (true and false claims, GGUF, merge, gated, narrower) and an undeclared derivative
writeLineageRepos(FIXTURE_ROOT);
// the relatives search's hub (e2e/relatives.spec.ts serves it on its own stand-in: a hub no other spec sees)
writeRelativesRepos(join(FIXTURE_ROOT, '..', 'relatives-hub'));
// the deep check (issue 14): foundation, fine-tune, disguised, vocabulary-extended, unrelated, other tokenizer
writeDeepRepos(FIXTURE_ROOT);
// hostile and damaged repos beside two healthy ones (issue 16); the cases are written for the browser suite
const hostile = writeHostileRepos(FIXTURE_ROOT);
writeFileSync(
  join(FIXTURE_ROOT, 'hostile-cases.json'),
  JSON.stringify(hostile.map((c) => ({ ...c, says: c.says.source }))),
);
