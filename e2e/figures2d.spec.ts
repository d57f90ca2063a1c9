// The 2-D figure views: each opened by permalink, hovered and changed, its numbers checked against a
// float64 computation from the demo files on disk, and a screenshot taken.
import { test, expect } from '@playwright/test';
import type { Locator, Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { permalink, resetHub, waitForSlots } from './helpers';
import { DEMO, ROLE_PATTERN, cosine64, demoSha, pearson64, readNormVectors } from './reference';
import { bf16Ulp } from '../src/core/dtypes';

const { base: BASE, sft: SFT, solar: SOLAR, other: OTHER } = DEMO;
const ROLE = ROLE_PATTERN;
const sha = demoSha;
/** decoder layers only (the GLM-like MTP block, layer 46, is not a decoder layer) */
function norms(repo: string, role: keyof typeof ROLE): Float64Array[] {
  const map = readNormVectors('public/demo-hub', repo, sha(repo), ROLE[role]);
  const layers = JSON.parse(readFileSync(`public/demo-hub/${repo}/resolve/${sha(repo)}/config.json`, 'utf8'))
    .num_hidden_layers as number;
  return Array.from({ length: layers }, (_, l) => map.get(l)!);
}
const mean = (v: Float64Array) => v.reduce((s, x) => s + x, 0) / v.length;
const std = (v: Float64Array) => {
  const m = mean(v);
  return Math.sqrt(v.reduce((s, x) => s + (x - m) ** 2, 0) / v.length);
};
const l2 = (v: Float64Array) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));
/** a printed number; "<0.01%" reads as 0 */
const num = async (l: Locator) => {
  const text = (await l.textContent())!.replace('%', '').trim();
  return text.startsWith('<') ? 0 : Number(text);
};

async function open(page: Page, models: string[], params: Record<string, string>, id: string): Promise<void> {
  await page.goto(permalink(models, { view: id, ...params }));
  await waitForSlots(page, models.length);
  await expect(page.getByTestId(`view-${id}`)).toBeVisible();
  await expect(page.getByTestId(`png-normscope-${id}`)).toBeVisible();
  await expect(page.getByTestId(`svg-normscope-${id}`)).toBeVisible();
}

/** Moves the pointer over layer `layer` of a line panel (its hit area carries the x domain). */
async function hoverLayer(page: Page, panel: Locator, layer: number, yFraction = 0.5): Promise<void> {
  const hit = panel.locator('rect.f2d-hit');
  await hit.scrollIntoViewIfNeeded(); // the mouse only reaches what is on screen
  const [x0, x1] = (await hit.getAttribute('data-domain'))!.split(',').map(Number) as [number, number];
  // the mouse only reaches what is inside the viewport: a panel below the fold is scrolled to first
  await hit.scrollIntoViewIfNeeded();
  const box = (await hit.boundingBox())!;
  await page.mouse.move(box.x + ((layer - x0) / (x1 - x0)) * box.width, box.y + box.height * yFraction);
}

const query = (page: Page) => new URL(page.url()).searchParams;

test.beforeEach(async () => {
  await resetHub();
});

test('intuition: the highest-cosine layer by default, cos and r over all dimensions, click and resample', async ({
  page,
}) => {
  await open(page, [BASE, SOLAR], {}, 'intuition');
  await expect(page.getByTestId('intuition-figure')).toBeVisible();
  const a = norms(BASE, 'input'),
    b = norms(SOLAR, 'input');
  const n = Math.min(a.length, b.length);
  const cos = Array.from({ length: n }, (_, l) => cosine64(a[l]!, b[l]!));
  const best = cos.indexOf(Math.max(...cos));
  await expect(page.getByTestId('intuition-summary')).toContainText(`Layer ${best}:`);
  expect(await num(page.getByTestId('intuition-cos'))).toBeCloseTo(cos[best]!, 4);
  expect(await num(page.getByTestId('intuition-r'))).toBeCloseTo(pearson64(a[best]!, b[best]!), 4);
  // 12 dimensions per quartile, two bars each, in (a) and (b)
  await expect(page.getByTestId('intuition-panel-a').locator('rect[fill]')).toHaveCount(96 + 2);
  await shot(page, 'intuition');

  // hover layer 10 in (c): the readout gives that layer's cos and r
  const perLayer = page.getByTestId('intuition-per-layer');
  await hoverLayer(page, perLayer, 10);
  expect(await num(page.getByTestId('intuition-hover-cos'))).toBeCloseTo(cos[10]!, 4);
  expect(await num(page.getByTestId('intuition-hover-r'))).toBeCloseTo(pearson64(a[10]!, b[10]!), 4);
  // click selects it: the permalink keeps it
  await perLayer.locator('rect.f2d-hit').click({
    position: await (async () => {
      const box = (await perLayer.locator('rect.f2d-hit').boundingBox())!;
      return { x: (10 / (n - 1)) * box.width, y: box.height / 2 };
    })(),
  });
  await expect.poll(() => query(page).get('layer')).toBe('10');
  await expect(page.getByTestId('intuition-summary')).toContainText('Layer 10:');
  expect(await num(page.getByTestId('intuition-cos'))).toBeCloseTo(cos[10]!, 4);
  // the permalink reopens the same layer
  await page.reload();
  await waitForSlots(page, 2);
  await expect(page.getByTestId('intuition-summary')).toContainText('Layer 10:');

  // a new sample of dimensions: seed in the URL, same cos
  const before = await page
    .getByTestId('intuition-panel-a')
    .locator('rect[fill]')
    .evaluateAll((els) => els.map((e) => e.getAttribute('height')).join());
  await page.getByRole('button', { name: /^Resample dimensions/ }).click();
  await expect.poll(() => query(page).get('seed')).toBe('2');
  const after = await page
    .getByTestId('intuition-panel-a')
    .locator('rect[fill]')
    .evaluateAll((els) => els.map((e) => e.getAttribute('height')).join());
  expect(after).not.toBe(before);

  // the derived pair: r ≈ 1 (seed Figure 3)
  await page.goto(permalink([BASE, SFT], { view: 'intuition' }));
  await waitForSlots(page, 2);
  expect(await num(page.getByTestId('intuition-r'))).toBeGreaterThan(0.99);
  await shot(page, 'intuition-derived');
});

test('diff: changed share and mean |Δ| per layer match the files; the σ slider moves the prediction', async ({
  page,
}) => {
  await open(page, [BASE, SFT], {}, 'diff');
  await expect(page.getByTestId('diff-figure')).toBeVisible({ timeout: 20_000 });
  const a = norms(BASE, 'input'),
    b = norms(SFT, 'input');
  for (const layer of [0, 20]) {
    await hoverLayer(page, page.getByTestId('diff-changed'), layer);
    const changed = a[layer]!.reduce((s, x, i) => s + (x !== b[layer]![i] ? 1 : 0), 0) / a[layer]!.length;
    const abs = a[layer]!.reduce((s, x, i) => s + Math.abs(b[layer]![i]! - x), 0) / a[layer]!.length;
    expect(await num(page.getByTestId('diff-hover-changed'))).toBeCloseTo(changed * 100, 1);
    // printed to 4 significant digits
    expect(Math.abs(Number(await page.getByTestId('diff-hover-abs').textContent()) / abs - 1)).toBeLessThan(5e-4);
  }
  // the demo's update is σ ≈ 1e-3 (more in the first layers); the fit lands near it
  const fitted = Number(await page.getByTestId('diff-sigma-value').textContent());
  expect(fitted).toBeGreaterThan(8e-4);
  expect(fitted).toBeLessThan(2e-3);
  // the demo's update is larger in the first layers (σ_l = 1e-3 · (1 + 1.5 e^(−l/5))): not explained away as rounding
  await expect(page.getByTestId('diff-summary')).toContainText(
    'larger in the early layers than in the deep ones, beyond what rounding explains',
  );
  await expect(page.getByTestId('diff-summary')).not.toContainText('storage grid, not where training focused');
  await expect(page.getByTestId('diff-summary')).not.toContainText('accounts for');
  await expect(page.getByTestId('diff-rule')).toContainText('How “one update size” is decided');
  // (c) σ_0 where the update dwarfs the grid: the Sheppard-corrected RMS of Δ is an independent estimate
  await hoverLayer(page, page.getByTestId('diff-scale'), 0);
  const a0 = a[0]!,
    b0 = b[0]!;
  const sheppard = Math.sqrt(a0.reduce((s, x, i) => s + (b0[i]! - x) ** 2 - bf16Ulp(x) ** 2 / 12, 0) / a0.length);
  const shownScale = Number((await page.getByTestId('diff-hover-scale').textContent())!.replace('σ = ', ''));
  expect(Math.abs(shownScale / sheppard - 1)).toBeLessThan(0.01);
  await expect(page.getByTestId('diff-scale').locator('line.f2d-whisker, line.f2d-whisker-bound')).not.toHaveCount(0);
  await shot(page, 'diff');

  await hoverLayer(page, page.getByTestId('diff-changed'), 30);
  const predictedBefore = await num(page.getByTestId('diff-hover-predicted'));
  await page.getByTestId('diff-sigma').fill('-4');
  await expect.poll(() => query(page).get('sigma')).toBe('0.0001');
  await expect(page.getByTestId('diff-summary')).toContainText('set by hand');
  await hoverLayer(page, page.getByTestId('diff-changed'), 30);
  await expect.poll(async () => num(page.getByTestId('diff-hover-predicted'))).toBeLessThan(predictedBefore / 2);
  await page.getByTestId('diff-sigma-reset').click();
  await expect.poll(() => query(page).get('sigma')).toBeNull();

  // the post-attention norm: deep layers barely change, so many σ_l have only an upper bound
  await page.goto(permalink([BASE, SFT], { view: 'diff', norm: 'post' }));
  await waitForSlots(page, 2);
  await expect(page.getByTestId('diff-summary')).toContainText('beyond what rounding explains', { timeout: 20_000 });
  await expect(page.getByTestId('diff-scale').locator('line.f2d-whisker-bound')).not.toHaveCount(0);
  await shot(page, 'diff-post');

  // a model against itself: identical, said plainly
  await page.goto(permalink([BASE, BASE], { view: 'diff' }));
  await waitForSlots(page, 2);
  await expect(page.getByTestId('diff-summary')).toContainText('Identical: every stored value', { timeout: 20_000 });
});

test('pairs: small multiples and the Appendix E table agree with the files; a click opens the explorer', async ({
  page,
}) => {
  test.setTimeout(180_000);
  await open(page, [BASE, SFT, SOLAR, OTHER], {}, 'pairs');
  await expect(page.getByTestId('pairs-figure')).toBeVisible({ timeout: 30_000 });
  await expect(page.locator('[data-testid^="pairs-multiple-"]')).toHaveCount(3);
  await expect(page.getByTestId('pairs-not-comparable').locator('li')).toHaveCount(3);

  const diagMean = (x: Float64Array[], y: Float64Array[], f: (p: Float64Array, q: Float64Array) => number) => {
    const n = Math.min(x.length, y.length);
    return Array.from({ length: n }, (_, l) => f(x[l]!, y[l]!)).reduce((s, v) => s + v, 0) / n;
  };
  const base = norms(BASE, 'input'),
    solar = norms(SOLAR, 'input'),
    sft = norms(SFT, 'input');
  expect(await num(page.getByTestId('pairs-r-0-2-input'))).toBeCloseTo(diagMean(base, solar, pearson64), 4);
  expect(await num(page.getByTestId('pairs-cos-0-2-input'))).toBeCloseTo(diagMean(base, solar, cosine64), 4);
  expect(await num(page.getByTestId('pairs-r-0-1-input'))).toBeCloseTo(diagMean(base, sft, pearson64), 4);
  await expect(page.getByTestId('pairs-subtitle-0-1')).toHaveText(
    `(diag: r = ${diagMean(base, sft, pearson64).toFixed(3)})`,
  );

  // hover cell (10, 20) of base × solar
  const hit = page.getByTestId('pairs-multiple-0-2').locator('rect.f2d-hit');
  await hit.scrollIntoViewIfNeeded();
  const box = (await hit.boundingBox())!;
  await page.mouse.move(box.x + (20.5 / 48) * box.width, box.y + (10.5 / 46) * box.height);
  expect(await num(page.getByTestId('pairs-hover-r'))).toBeCloseTo(pearson64(base[10]!, solar[20]!), 4);

  // the verdicts arrive from the permutation tests
  await expect(page.getByTestId('pairs-rel-0-1-input')).toHaveText('Shared ancestry', { timeout: 150_000 });
  await expect(page.getByTestId('pairs-rel-0-2-input')).toHaveText('No evidence of shared ancestry', {
    timeout: 150_000,
  });
  await shot(page, 'pairs');

  await page.mouse.click(box.x + (20.5 / 48) * box.width, box.y + (10.5 / 46) * box.height);
  await expect.poll(() => query(page).get('view')).toBeNull(); // compare is the default view
  expect(query(page).get('pair')).toBe('0,2');
  expect(query(page).get('cell')).toBe('10,20');
  await expect(page.getByTestId('compare-view')).toBeVisible();
});

test('stats: per-layer statistics of four models, hover readout from the files, models toggled', async ({ page }) => {
  await open(page, [BASE, SFT, SOLAR, OTHER], {}, 'stats');
  await expect(page.getByTestId('stats-figure')).toBeVisible({ timeout: 30_000 });
  await hoverLayer(page, page.getByTestId('stats-input-mean'), 20);
  await expect(page.getByRole('status', { name: 'Reading' }).getByRole('table')).toBeVisible();
  const solarPost = norms(SOLAR, 'post')[20]!,
    phiInput = norms(OTHER, 'input')[20]!;
  expect(await num(page.getByTestId('stats-value-2-post-mean'))).toBeCloseTo(mean(solarPost), 5);
  expect(await num(page.getByTestId('stats-value-2-post-std'))).toBeCloseTo(std(solarPost), 5);
  expect(await num(page.getByTestId('stats-value-2-post-l2'))).toBeCloseTo(l2(solarPost), 3);
  expect(await num(page.getByTestId('stats-value-3-input-max'))).toBeCloseTo(Math.max(...phiInput), 5);
  // √d lines for both widths
  await expect(page.getByTestId('stats-input-l2').locator('text', { hasText: '√4096 = 64.0' })).toHaveCount(1);
  await expect(page.getByTestId('stats-input-l2').locator('text', { hasText: '√3072 = 55.4' })).toHaveCount(1);
  await expect(page.getByTestId('stats-scale')).toContainText('glm-like-base, pre-MLP: ‖γ‖ from');
  await shot(page, 'stats');

  await page.getByRole('group', { name: 'Models shown' }).getByRole('checkbox', { name: 'glm-like-sft' }).uncheck();
  await expect.poll(() => query(page).get('subset')).toBe('0,2,3');
  await expect(page.getByTestId('stats-input-mean').locator('[data-series]')).toHaveCount(3);
});

test('ridge: every third layer by default, the step is a URL parameter, hover shares match the files', async ({
  page,
}) => {
  await open(page, [BASE, SOLAR], {}, 'ridge');
  await expect(page.getByTestId('ridge-figure')).toBeVisible({ timeout: 30_000 });
  const labels = page.getByTestId('ridge-panel-input').locator('text.f2d-tick', { hasText: /^L\d+$/ });
  await expect(labels).toHaveCount(16); // 0, 3, …, 45
  await shot(page, 'ridge');

  await page.getByRole('combobox', { name: /^show/ }).selectOption('5');
  await expect.poll(() => query(page).get('step')).toBe('5');
  await expect(labels).toHaveCount(10); // 0, 5, …, 45
  await page.reload();
  await waitForSlots(page, 2);
  await expect(labels).toHaveCount(10, { timeout: 20_000 });

  // hover the L20 ridge of the post panel near its peak and check the share of values in that bin
  const panel = page.getByTestId('ridge-panel-post');
  const label = panel.locator('text.f2d-tick', { hasText: /^L20$/ });
  await panel.scrollIntoViewIfNeeded();
  const lb = (await label.boundingBox())!;
  const hit = (await panel.locator('rect.f2d-hit').boundingBox())!;
  const post = norms(BASE, 'post')[20]!;
  const m = mean(post);
  const readout = page.getByTestId('ridge-readout');
  let found = false;
  // sweep along the row until the bin holds the base model's mean
  for (let f = 0.02; f < 1 && !found; f += 0.01) {
    await page.mouse.move(hit.x + f * hit.width, lb.y + lb.height - 2);
    if (!(await readout.isVisible())) continue;
    const lo = Number(await readout.getAttribute('data-lo')),
      hi = Number(await readout.getAttribute('data-hi'));
    if (m < lo || m >= hi) continue;
    found = true;
    await expect(page.getByTestId('ridge-hover-layer')).toHaveText('20');
    const shown = Number(await readout.locator('[data-model="0"]').getAttribute('data-share'));
    expect(shown).toBeCloseTo(post.filter((x) => x >= lo && x < hi).length / post.length, 6);
  }
  expect(found).toBe(true);
});

test('within: input − post compared per layer and over all layer pairs', async ({ page }) => {
  await open(page, [BASE, SOLAR, SFT], {}, 'within');
  await expect(page.getByTestId('within-figure')).toBeVisible({ timeout: 30_000 });
  const diff = (repo: string, l: number) => {
    const i = norms(repo, 'input')[l]!,
      p = norms(repo, 'post')[l]!;
    return i.map((x, k) => x - p[k]!);
  };
  await hoverLayer(page, page.getByTestId('within-pearson'), 12);
  expect(await num(page.getByTestId('within-hover-r'))).toBeCloseTo(pearson64(diff(BASE, 12), diff(SOLAR, 12)), 4);
  await page.getByTestId('within-heatmap').scrollIntoViewIfNeeded();
  const hit = (await page.getByTestId('within-heatmap').locator('rect.f2d-hit').boundingBox())!;
  await page.mouse.move(hit.x + (30.5 / 48) * hit.width, hit.y + (5.5 / 46) * hit.height);
  expect(await num(page.getByTestId('within-hover-cell-r'))).toBeCloseTo(pearson64(diff(BASE, 5), diff(SOLAR, 30)), 4);
  expect(Math.abs(await num(page.getByTestId('within-mean-r')))).toBeLessThan(0.05);
  await shot(page, 'within');

  await page
    .getByTestId('within-pearson')
    .locator('rect.f2d-hit')
    .click({ position: { x: 1, y: 50 } });
  await expect.poll(() => query(page).get('layer')).toBe('0');

  // the derived pair shares the pattern (seed: GLM vs INTELLECT would)
  await page.getByTestId('f2d-pair-select').selectOption('0,2');
  await expect.poll(() => query(page).get('pair')).toBe('0,2');
  await expect.poll(async () => num(page.getByTestId('within-mean-r'))).toBeGreaterThan(0.9);
});

test('precision: ‖γ‖ and the share lost to BF16 per layer match the files; the role is a URL parameter', async ({
  page,
}) => {
  await open(page, [BASE, SOLAR, OTHER], { norm: 'post' }, 'precision');
  await expect(page.getByTestId('precision-figure')).toBeVisible();
  await hoverLayer(page, page.getByTestId('precision-lost'), 40);
  const v = norms(BASE, 'post')[40]!;
  const m = mean(v),
    half = bf16Ulp(m) / 2;
  expect(await num(page.getByTestId('precision-l2-0'))).toBeCloseTo(l2(v), 2);
  expect(await num(page.getByTestId('precision-lost-0-bf16'))).toBeCloseTo(
    (v.filter((x) => Math.abs(x - m) < half).length / v.length) * 100,
    1,
  );
  await expect(page.getByTestId('precision-findings').locator('li')).toHaveCount(3);
  await shot(page, 'precision');
  await page.getByTestId('f2d-norm-input').click();
  await expect.poll(() => query(page).get('norm')).toBeNull(); // input is the default
});

test('every 2-D view survives a single model of another width, with a plain empty state where a pair is needed', async ({
  page,
}) => {
  await page.goto(permalink([OTHER], { view: 'intuition' }));
  await waitForSlots(page, 1);
  for (const id of ['intuition', 'diff', 'pairs', 'within']) {
    await page.getByTestId(`view-tab-${id}`).click();
    await expect(page.getByTestId(`empty-${id}`)).toContainText(/two models/);
  }
  for (const id of ['stats', 'ridge', 'precision']) {
    await page.getByTestId(`view-tab-${id}`).click();
    await expect(page.getByTestId(`${id}-figure`)).toBeVisible({ timeout: 20_000 });
  }
  // widths differ: no comparable pair, so the pair views stay empty rather than crash
  await page.goto(permalink([BASE, OTHER], { view: 'intuition', pair: '0,1' }));
  await waitForSlots(page, 2);
  await expect(page.getByTestId('empty-intuition')).toBeVisible();
  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Ridges', exact: true }).click();
  await expect(page.getByTestId('ridge-figure')).toBeVisible({ timeout: 20_000 });
  await expect(page.locator('.query-errors[role="alert"]')).toHaveCount(0);
});

test('figure downloads: the SVG stands alone and the PNG is an image', async ({ page }) => {
  await open(page, [BASE, SFT], {}, 'stats');
  await expect(page.getByTestId('stats-figure')).toBeVisible({ timeout: 30_000 });
  const [svg] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'SVG', exact: true }).click(),
  ]);
  expect(svg.suggestedFilename()).toBe('normscope-stats.svg');
  const text = readFileSync((await svg.path())!, 'utf8');
  expect(text).toMatch(/^<svg[^>]+xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  expect(text).toContain('Mean γ · input');
  const [png] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'PNG', exact: true }).click(),
  ]);
  const bytes = readFileSync((await png.path())!);
  expect(bytes.subarray(1, 4).toString()).toBe('PNG');
  expect(bytes.length).toBeGreaterThan(20_000);
});

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `e2e/screenshots/${name}.png`, fullPage: true });
}
