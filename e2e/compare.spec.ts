import { test, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { HUB, hubStats, permalink, resetHub, setFaults, shot, waitForAnalysis, waitForSlots } from './helpers';
import { cosine64, pearson64, readNormVectors } from './reference';
import { bf16Ulp } from '../src/core/dtypes';

const BASE = 'normscope-demo/glm-like-base';
const SFT = 'normscope-demo/glm-like-sft';
const SOLAR = 'normscope-demo/solar-like';
const OTHER = 'normscope-demo/phi-like-3072';

test.beforeEach(async () => {
  await resetHub();
});

test('a bare URL opens the built-in offline demo with both heatmaps', async ({ page }) => {
  await page.goto('/');
  expect(await waitForSlots(page, 3)).toEqual(['ready', 'ready', 'ready']);
  await waitForAnalysis(page);
  await expect(page.getByTestId('demo-label')).toContainText('synthetic');
  await expect(page.getByTestId('heatmap-cosine').locator('canvas')).toBeVisible();
  await expect(page.getByTestId('heatmap-pearson').locator('canvas')).toBeVisible();
  // the permalink now pins every model to the commit it was read at
  await expect.poll(() => new URL(page.url()).searchParams.getAll('m')).toHaveLength(3);
  for (const m of new URL(page.url()).searchParams.getAll('m')) expect(m).toMatch(/@[0-9a-f]{40}$/);
  await shot(page, 'compare-demo');
});

test('compare from the form against the local hub, hover a cell and read its values', async ({ page }) => {
  await page.goto('/');
  await waitForSlots(page, 3);
  await page.getByText('Hub and access token').click();
  await page.getByLabel('Hub URL').fill(HUB);
  await page.getByLabel('Model 1 repo', { exact: true }).fill(BASE);
  await page.getByLabel('Model 2 repo', { exact: true }).fill(SOLAR);
  await page.getByLabel('Model 3 repo', { exact: true }).fill('');
  await page
    .getByRole('form', { name: 'Models to compare' })
    .getByRole('button', { name: 'Compare', exact: true })
    .click();
  expect(await waitForSlots(page, 2)).toEqual(['ready', 'ready']);
  await waitForAnalysis(page);
  expect(new URL(page.url()).searchParams.get('hub')).toBe(HUB);

  const heat = page.getByTestId('heatmap-pearson').locator('rect.hit');
  await heat.scrollIntoViewIfNeeded();
  const box = (await heat.boundingBox())!;
  // centre of cell (10, 20) of a 46 × 48 matrix (hover() scrolls the plot into view first)
  await heat.hover({ position: { x: ((20 + 0.5) / 48) * box.width, y: ((10 + 0.5) / 46) * box.height } });
  const inspector = page.getByTestId('cell-inspector');
  await expect(inspector.locator('h3')).toContainText('L10');
  await expect(inspector.locator('h3')).toContainText('L20');
  const shownR = Number(await page.getByTestId('cell-pearson').textContent());
  const shownCos = Number(await page.getByTestId('cell-cosine').textContent());

  const sha = (repo: string) =>
    JSON.parse(readFileSync(`public/demo-hub/api/models/${repo}/revision/main`, 'utf8')).sha as string;
  const a = readNormVectors('public/demo-hub', BASE, sha(BASE), /^model\.layers\.(\d+)\.input_layernorm\.weight$/);
  const b = readNormVectors('public/demo-hub', SOLAR, sha(SOLAR), /^model\.layers\.(\d+)\.input_layernorm\.weight$/);
  expect(shownR).toBeCloseTo(pearson64(a.get(10)!, b.get(20)!), 4);
  expect(shownCos).toBeCloseTo(cosine64(a.get(10)!, b.get(20)!), 4);
  await shot(page, 'compare-hover');
});

test('a permalink reproduces the view, and its JSON export matches a float64 computation', async ({ page }) => {
  await page.goto(permalink([BASE, SFT, SOLAR, OTHER], { norm: 'post', cell: '5,7', pair: '0,2' }));
  expect(await waitForSlots(page, 4)).toEqual(['ready', 'ready', 'ready', 'ready']);
  await waitForAnalysis(page);
  await expect(page.getByTestId('norm-post')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('cell-inspector').locator('h3')).toContainText('pinned');
  await expect(page.getByTestId('cell-inspector').locator('h3')).toContainText('solar-like L7');
  await expect(page.getByTestId('not-comparable')).toHaveCount(3);
  await expect(page.getByTestId('not-comparable').first()).toContainText('hidden sizes differ');
  await shot(page, 'compare-permalink');

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export JSON' }).click(),
  ]);
  const data = JSON.parse(readFileSync((await download.path())!, 'utf8'));
  expect(data.version).toBe(1);
  expect(data.hub).toBe(HUB);
  expect(data.models.map((m: { repo: string }) => m.repo)).toEqual([BASE, SFT, SOLAR, OTHER]);
  expect(data.models[0].extraLayers).toEqual([46]);
  expect(data.models[0].layers).toBe(46);
  expect(data.models[3].hiddenSize).toBe(3072);
  // 3 comparable pairs × 2 norms; the other-size model pairs are listed as not comparable
  expect(data.pairs).toHaveLength(6);
  expect(data.notComparable.map((n: { a: number; b: number }) => [n.a, n.b])).toEqual([
    [0, 3],
    [1, 3],
    [2, 3],
  ]);
  expect(new URL(data.permalink).searchParams.getAll('m')[0]).toBe(`${BASE}@${data.models[0].sha}`);
  expect(data.transfer.requests).toBeGreaterThan(0);

  const roleRe = {
    input: /^model\.layers\.(\d+)\.input_layernorm\.weight$/,
    post: /^model\.layers\.(\d+)\.post_attention_layernorm\.weight$/,
  };
  let checked = 0;
  for (const pair of data.pairs as {
    a: number;
    b: number;
    norm: 'input' | 'post';
    cosine: number[][];
    pearson: number[][];
  }[]) {
    const ma = data.models[pair.a];
    const mb = data.models[pair.b];
    const va = readNormVectors('public/demo-hub', ma.repo, ma.sha, roleRe[pair.norm]);
    const vb = readNormVectors('public/demo-hub', mb.repo, mb.sha, roleRe[pair.norm]);
    expect(pair.cosine).toHaveLength(ma.layers);
    expect(pair.cosine[0]).toHaveLength(mb.layers);
    for (let i = 0; i < ma.layers; i += 3) {
      for (let j = 0; j < mb.layers; j += 4) {
        expect(Math.abs(pair.cosine[i]![j]! - cosine64(va.get(i)!, vb.get(j)!))).toBeLessThan(1e-5);
        expect(Math.abs(pair.pearson[i]![j]! - pearson64(va.get(i)!, vb.get(j)!))).toBeLessThan(1e-5);
        checked++;
      }
    }
  }
  expect(checked).toBeGreaterThan(500);

  // figure fields, against float64 computations from the files on disk
  const input0 = readNormVectors('public/demo-hub', BASE, data.models[0].sha, roleRe.input);
  const input1 = readNormVectors('public/demo-hub', SFT, data.models[1].sha, roleRe.input);
  const post0 = readNormVectors('public/demo-hub', BASE, data.models[0].sha, roleRe.post);
  const post1 = readNormVectors('public/demo-hub', SFT, data.models[1].sha, roleRe.post);
  const stats = data.stats.find((x: { model: number; norm: string }) => x.model === 0 && x.norm === 'input');
  for (const layer of [0, 7, 45]) {
    const v = input0.get(layer)!;
    const mean = v.reduce((a, x) => a + x, 0) / v.length;
    const std = Math.sqrt(v.reduce((a, x) => a + (x - mean) ** 2, 0) / v.length);
    expect(stats.mean[layer]).toBeCloseTo(mean, 9);
    expect(stats.std[layer]).toBeCloseTo(std, 9);
    expect(stats.l2[layer]).toBeCloseTo(Math.sqrt(v.reduce((a, x) => a + x * x, 0)), 7);
    expect(stats.min[layer]).toBe(Math.min(...v));
    expect(stats.max[layer]).toBe(Math.max(...v));
  }
  const diff = data.diff.find(
    (x: { a: number; b: number; norm: string }) => x.a === 0 && x.b === 1 && x.norm === 'input',
  );
  for (const layer of [0, 20, 45]) {
    const a = input0.get(layer)!;
    const b = input1.get(layer)!;
    // bf16 values are exact in float64, so a stored-bit change is a value change here
    const changed = a.filter((x, k) => x !== b[k]).length / a.length;
    expect(diff.changedFraction[layer]).toBeCloseTo(changed, 12);
    expect(diff.meanAbsDiff[layer]).toBeCloseTo(a.reduce((s, x, k) => s + Math.abs(x - b[k]!), 0) / a.length, 12);
  }
  // update size per layer: finite, inside its interval; where the update dwarfs the BF16 grid (first layers),
  // it agrees with an independent estimate, the RMS of Δ less Sheppard's grid correction ulp²/12
  diff.updateScale.forEach((sigma: number, layer: number) => {
    const [low, high] = diff.updateScaleInterval[layer] as [number, number];
    expect(Number.isFinite(sigma) && sigma >= 0).toBe(true);
    expect(low).toBeLessThanOrEqual(sigma);
    expect(high).toBeGreaterThan(sigma);
  });
  for (const layer of [0, 1, 2]) {
    const a = input0.get(layer)!;
    const b = input1.get(layer)!;
    const sheppard = Math.sqrt(a.reduce((s, x, k) => s + (b[k]! - x) ** 2 - bf16Ulp(x) ** 2 / 12, 0) / a.length);
    expect(Math.abs(diff.updateScale[layer] / sheppard - 1)).toBeLessThan(0.01);
  }
  expect(typeof diff.uniformExplains).toBe('boolean');
  expect(diff.uniformExplains).toBe(false); // the demo's update is 2.5× larger at layer 0 than in deep layers
  expect(diff.uniformPValue).toBeGreaterThanOrEqual(0);
  expect(diff.uniformPValue).toBeLessThan(0.01);
  const within = data.withinLayer.find((x: { a: number; b: number }) => x.a === 0 && x.b === 1);
  for (const layer of [3, 30]) {
    const da = input0.get(layer)!.map((x, k) => x - post0.get(layer)![k]!);
    const db = input1.get(layer)!.map((x, k) => x - post1.get(layer)![k]!);
    expect(within.pearson[layer]).toBeCloseTo(pearson64(da, db), 6);
  }
  expect(data.pca.points.length).toBe(46 + 46 + 48);
  const evr = data.pca.explainedVarianceRatio as number[];
  expect(evr[0]).toBeGreaterThanOrEqual(evr[1]!);
  expect(evr.reduce((a, x) => a + x, 0)).toBeLessThanOrEqual(1 + 1e-9);
  // the verdict of every pair is in the export
  const verdictOf = (a: number, b: number) =>
    data.pairs.find((p: { a: number; b: number; norm: string }) => p.a === a && p.b === b && p.norm === 'input')
      .evidence;
  expect(verdictOf(0, 1).verdict).toBe('shared-ancestry');
  expect(verdictOf(0, 1).alignment[0]).toEqual([0, 0]);
  expect(verdictOf(0, 2).verdict).not.toBe('shared-ancestry');
  expect(verdictOf(0, 2).alignment).toBeNull();
});

test('reopening a comparison fetches no tensor bytes', async ({ page }) => {
  const url = permalink([BASE, SFT]);
  await page.goto(url);
  await waitForSlots(page, 2);
  await waitForAnalysis(page);
  expect((await hubStats()).tensorBytes).toBeGreaterThan(0);
  await resetHub();
  await page.reload();
  expect(await waitForSlots(page, 2)).toEqual(['ready', 'ready']);
  await waitForAnalysis(page);
  expect((await hubStats()).tensorBytes).toBe(0);
  await expect(page.getByTestId('slot-detail-0')).toContainText('from cache');
});

test('a missing repo gets a clear message and the other model still loads', async ({ page }) => {
  await page.goto(permalink([BASE, 'normscope-test/does-not-exist']));
  expect(await waitForSlots(page, 2)).toEqual(['ready', 'error']);
  await expect(page.getByTestId('slot-error-1')).toHaveAttribute('data-kind', 'repo-not-found');
  await expect(page.getByTestId('slot-error-1')).toContainText('normscope-test/does-not-exist');
  // the loaded model is not held back: it exports, and the failed one is listed with its reason
  await waitForAnalysis(page);
  await expect(page.getByTestId('retry-1')).toBeVisible();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export JSON' }).click(),
  ]);
  const data = JSON.parse(readFileSync((await download.path())!, 'utf8')) as {
    models: { index: number; repo: string }[];
    failed: { index: number; repo: string; file: string | null; reason: string }[];
  };
  expect(data.models.map((m) => [m.index, m.repo])).toEqual([[0, BASE]]);
  expect(data.failed).toEqual([
    { index: 1, repo: 'normscope-test/does-not-exist', file: null, reason: expect.stringContaining('does-not-exist') },
  ]);
  await shot(page, 'error-missing-repo');
});

test('a gated repo asks for a token, and loads with one', async ({ page }) => {
  await page.goto(permalink([BASE, 'normscope-test/gated-model']));
  expect(await waitForSlots(page, 2)).toEqual(['ready', 'error']);
  await expect(page.getByTestId('slot-error-1')).toHaveAttribute('data-kind', 'gated');
  await shot(page, 'error-gated');

  await page.getByText('Hub and access token').click();
  await page.getByLabel('Access token (gated or private repos)').fill('hf_e2e_granted');
  await page
    .getByRole('form', { name: 'Models to compare' })
    .getByRole('button', { name: 'Compare', exact: true })
    .click();
  expect(await waitForSlots(page, 2)).toEqual(['ready', 'ready']);
  // the token never reaches the URL
  expect(page.url()).not.toContain('hf_e2e_granted');
});

test('a server that ignores Range is reported, and no large shard is downloaded', async ({ page }) => {
  await setFaults({ ignoreRange: true });
  await page.goto(permalink(['normscope-test/big-shards', BASE]));
  expect(await waitForSlots(page, 2)).toEqual(['error', 'ready']);
  await expect(page.getByTestId('slot-error-0')).toHaveAttribute('data-kind', 'range-unsupported');
  await expect(page.getByTestId('slot-error-0')).toContainText('does not support range requests');
  // the small demo shards may be read whole, and the user is told so
  await expect(page.getByTestId('slot-1').locator('.warning').first()).toContainText('ignored range requests');
  // each 25 MB shard's body was cancelled at once: no response carried more than a fraction of its
  // file (what did leave the server is what loopback socket buffers took before the cancel landed)
  const stats = await hubStats();
  const bigShardResponses = stats.log.filter(
    (e) => e.url.includes('big-shards') && e.url.includes('.safetensors') && e.status === 200,
  );
  expect(bigShardResponses.length).toBeGreaterThan(0);
  for (const e of bigShardResponses) expect(e.bytes).toBeLessThan(12_500_000);
  await shot(page, 'error-no-range');
});

test('bad permalink parameters give a message, never a crash or injected HTML', async ({ page }) => {
  await page.goto(`/?m=${encodeURIComponent('<img src=x onerror=alert(1)>')}&norm=sideways&cell=a,b`);
  await expect(page.getByTestId('query-errors')).toBeVisible();
  await expect(page.locator('img[src="x"]')).toHaveCount(0);
  await expect(page.getByTestId('model-picker')).toBeVisible();
  await shot(page, 'error-bad-permalink');
});

test('a damaged cache is ignored with a warning, and the data comes from the network', async ({ page }) => {
  await page.goto(permalink([BASE, SFT]));
  await waitForSlots(page, 2);
  await waitForAnalysis(page);
  // overwrite every cached entry with garbage of the wrong type
  const damaged = await page.evaluate(`new Promise((resolve, reject) => {
    const open = indexedDB.open('normscope-cache');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const tx = open.result.transaction('entries', 'readwrite');
      const store = tx.objectStore('entries');
      let n = 0;
      const cursor = store.openCursor();
      cursor.onsuccess = () => {
        const c = cursor.result;
        if (!c) return;
        c.update('damaged');
        n++;
        c.continue();
      };
      tx.oncomplete = () => resolve(n);
    };
  })`);
  expect(damaged).toBeGreaterThan(0);
  await resetHub();
  await page.reload();
  expect(await waitForSlots(page, 2)).toEqual(['ready', 'ready']);
  await expect(page.getByTestId('slot-0').locator('.warning').first()).toContainText('cache');
  expect((await hubStats()).tensorBytes).toBeGreaterThan(0);
  await waitForAnalysis(page);
});
