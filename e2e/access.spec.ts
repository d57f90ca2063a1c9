// Keyboard and screen readers, as a new user would try them on a three-model comparison: Tab reaches a
// heatmap, the arrows move the inspected cell, Enter pins it (the permalink's cell=), Escape unpins; and
// axe-core finds no serious or critical violation on any view.
import { test, expect } from '@playwright/test';
import type { Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { permalink, resetHub, shot, waitForAnalysis, waitForSlots } from './helpers';
import { readFileSync } from 'node:fs';
import { DEMO, ROLE_PATTERN, demoSha, pearson64, readNormVectors } from './reference';

const MODELS = [DEMO.base, DEMO.sft, DEMO.solar];
/** [view id, its tab's name] */
const VIEWS: [string, string][] = [
  ['compare', 'Compare'],
  ['intuition', 'Cosine vs r'],
  ['pairs', 'All pairs'],
  ['diff', 'Fine-tune diff'],
  ['stats', 'Layer stats'],
  ['ridge', 'Ridges'],
  ['within', 'Input − post'],
  ['precision', 'Precision'],
  ['centering', 'Centering (3-D)'],
  ['surface', 'Surface (3-D)'],
  ['pca', 'PCA (3-D)'],
  ['lineage', 'Lineage'],
];

test.beforeEach(async () => {
  await resetHub();
});

/** Presses Tab until the focused element matches `name` (an accessible name), at most `max` times. */
async function tabTo(page: Page, name: RegExp, max = 80): Promise<number> {
  for (let presses = 1; presses <= max; presses++) {
    await page.keyboard.press('Tab');
    const label = await page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? '');
    if (name.test(label)) return presses;
  }
  throw new Error(`Tab did not reach ${name} in ${max} presses`);
}

/** Waits until the compare view shows the requested pair: another may show while its matrices are computed. */
async function waitForBaseSft(page: Page): Promise<void> {
  await expect(page.getByText(/rows are layers of glm-like-base \(46\), columns layers of glm-like-sft/)).toBeVisible({
    timeout: 60_000,
  });
}

test('Tab reaches the heatmap; arrows move the inspected cell, Enter pins it, Escape unpins', async ({ page }) => {
  await page.goto(permalink(MODELS, { pair: '0,1' }));
  await waitForSlots(page, 3);
  const heatmap = page.getByRole('application', { name: /Pearson r .*heatmap|Pearson r \(mean-centred\)/ });
  await expect(heatmap).toBeVisible();
  await page.locator('body').click({ position: { x: 2, y: 2 } });
  const presses = await tabTo(page, /^Pearson r/);
  expect(presses).toBeLessThan(80);
  await expect(heatmap).toBeFocused();

  // focus shows the top-left cell; arrows move it and the inspector (and its live region) follow
  const announce = page.getByTestId('cell-announce');
  await expect(announce).toHaveAttribute('aria-live', 'polite');
  await expect(announce).toContainText('layer 0 ×');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowDown');
  await expect(announce).toContainText(/layer 1 × .* layer 2: raw cosine [\d.]+, Pearson r [-\d.]+/);
  await expect(page.getByRole('complementary').getByRole('heading')).toContainText('L1 ×');
  await shot(page, 'access-keyboard-moved');

  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/[?&]cell=1(,|%2C)2(&|$)/);
  await expect(announce).toContainText('pinned');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Escape');
  await expect(page).not.toHaveURL(/[?&]cell=/);
  await shot(page, 'access-keyboard-unpinned');
});

test('every view: no serious or critical axe-core violation', async ({ page }) => {
  test.setTimeout(240_000);
  await page.goto(permalink(MODELS, { pair: '0,1' }));
  await waitForSlots(page, 3);
  await waitForAnalysis(page);
  const found: string[] = [];
  for (const [view, tab] of VIEWS) {
    await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: tab, exact: true }).click();
    await expect(
      page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: tab, exact: true }),
    ).toHaveAttribute('aria-pressed', 'true');
    await expect(page.locator(`[data-testid="view-${view}"], [data-testid="${view}-view"]`).first()).toBeVisible({
      timeout: 30_000,
    });
    await page.waitForTimeout(300);
    const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    for (const v of result.violations) {
      if (v.impact === 'serious' || v.impact === 'critical') {
        found.push(
          `${view}: ${v.id} (${v.impact}) ${v.nodes
            .map((n) => n.target.join(' '))
            .slice(0, 3)
            .join(' | ')}`,
        );
      }
    }
  }
  expect(found, found.join('\n')).toEqual([]);
});

/** The rows of a CSV file the page downloaded (no quoted fields in these files). */
async function downloadedCsv(page: Page, click: () => Promise<void>): Promise<string[][]> {
  const [download] = await Promise.all([page.waitForEvent('download'), click()]);
  const text = readFileSync((await download.path())!, 'utf8').replace(/^\ufeff/, '');
  return text
    .trimEnd()
    .split('\r\n')
    .map((line) => line.split(','));
}

test('the shown matrix and the verdict table download as CSV', async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto(permalink(MODELS, { pair: '0,1' }));
  await waitForSlots(page, 3);
  await waitForBaseSft(page);
  const rows = await downloadedCsv(page, () =>
    page.getByRole('button', { name: 'Download the Pearson r (mean-centred) matrix as CSV' }).click(),
  );
  // 46 decoder layers each way, a header row and an index column; values against a float64 computation
  expect(rows.length).toBe(47);
  expect(rows[0]!.length).toBe(47);
  const a = readNormVectors('public/demo-hub', DEMO.base, demoSha(DEMO.base), ROLE_PATTERN.input);
  const b = readNormVectors('public/demo-hub', DEMO.sft, demoSha(DEMO.sft), ROLE_PATTERN.input);
  for (const [i, j] of [
    [0, 0],
    [1, 2],
    [45, 7],
  ] as const) {
    expect(Number(rows[i + 1]![j + 1])).toBeCloseTo(pearson64(a.get(i)!, b.get(j)!), 5);
  }

  await waitForAnalysis(page);
  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'All pairs', exact: true }).click();
  const table = await downloadedCsv(page, () => page.getByRole('button', { name: 'CSV', exact: true }).click());
  expect(table[0]).toEqual([
    'model A',
    'model B',
    'norm',
    'mean diagonal raw cosine',
    'mean diagonal Pearson r',
    'relation',
  ]);
  // three pairs × two norms, each with a verdict
  expect(table.length).toBe(7);
  const baseSft = table.find((r) => r[0] === 'glm-like-base' && r[1] === 'glm-like-sft' && r[2] === 'input')!;
  expect(baseSft[5]).toBe('Shared ancestry');
  let diag = 0;
  for (let l = 0; l < 46; l++) diag += pearson64(a.get(l)!, b.get(l)!);
  expect(Number(baseSft[4])).toBeCloseTo(diag / 46, 5);
});

test('prefers-reduced-motion: the centering animation does not autoplay until Play', async ({ page }) => {
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await page.goto(permalink(MODELS, { view: 'centering' }));
  await waitForSlots(page, 3);
  const play = page.getByRole('button', { name: /^(▶ play|❚❚ pause)$/ });
  await expect(play).toHaveText(/play/i);
  await play.click();
  await expect(page).toHaveURL(/alpha=play/);
  await expect(play).toHaveText(/pause/i);
});

/** the mean of a float64 vector, naively */
const mean64 = (v: Float64Array) => v.reduce((s, x) => s + x, 0) / v.length;

test('Tab reaches a line chart: the arrows move the layer read out, the reading is announced and matches the files', async ({
  page,
}) => {
  await page.goto(permalink(MODELS, { view: 'stats' }));
  await waitForSlots(page, 3);
  const chart = page.getByRole('application', { name: /^Layer statistics of every shown model/ });
  await expect(chart).toBeVisible({ timeout: 30_000 });
  await page.locator('body').click({ position: { x: 2, y: 2 } });
  expect(await tabTo(page, /^Layer statistics of every shown model/)).toBeLessThan(80);
  await expect(chart).toBeFocused();

  const reading = page.getByRole('status', { name: 'Reading' });
  await expect(reading).toHaveAttribute('aria-live', 'polite');
  await expect(reading.getByRole('table')).toContainText('Layer 0');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowLeft');
  await expect(reading.getByRole('table')).toContainText('Layer 2');
  const base = readNormVectors('public/demo-hub', DEMO.base, demoSha(DEMO.base), ROLE_PATTERN.input);
  const solar = readNormVectors('public/demo-hub', DEMO.solar, demoSha(DEMO.solar), ROLE_PATTERN.input);
  const meanCell = async (model: string) =>
    Number(
      await reading
        .getByRole('row')
        .filter({ hasText: model })
        .filter({ has: page.getByRole('cell', { name: 'input', exact: true }) })
        .getByRole('cell')
        .nth(2)
        .textContent(),
    );
  expect(await meanCell('glm-like-base')).toBeCloseTo(mean64(base.get(2)!), 5);
  expect(await meanCell('solar-like')).toBeCloseTo(mean64(solar.get(2)!), 5);
  await page.keyboard.press('End');
  // the x axis runs to the deepest model's last layer: solar-like has 48, the GLM-like ones 46
  await expect(reading.getByRole('table')).toContainText('Layer 47');
  expect(await meanCell('solar-like')).toBeCloseTo(mean64(solar.get(47)!), 5);
  await expect(reading.getByRole('row').filter({ hasText: 'glm-like-base' })).toHaveCount(0);
  await shot(page, 'access-line-chart');

  // Escape leaves: the reading clears and the chart no longer has focus
  await page.keyboard.press('Escape');
  await expect(chart).not.toBeFocused();
  await expect(reading.getByRole('table')).toHaveCount(0);
});

test('Tab reaches a ridge plot: up/down move between layers, left/right along γ; the announced share matches the files', async ({
  page,
}) => {
  await page.goto(permalink([DEMO.base, DEMO.solar], { view: 'ridge' }));
  await waitForSlots(page, 2);
  const ridge = page.getByRole('application', { name: /^pre-MLP norm γ distributions by layer/ });
  await expect(ridge).toBeVisible({ timeout: 30_000 });
  await page.locator('body').click({ position: { x: 2, y: 2 } });
  expect(await tabTo(page, /^pre-MLP norm γ distributions by layer/)).toBeLessThan(80);
  await expect(ridge).toBeFocused();

  const reading = page.getByRole('status', { name: 'Reading' });
  await expect(reading).toContainText(/layer 0 · γ in \[/);
  const post = readNormVectors('public/demo-hub', DEMO.base, demoSha(DEMO.base), ROLE_PATTERN.post);
  /** the announced share of the base model's values in the bin, against a count over the file's values */
  const checkShare = async (layer: number) => {
    await expect(reading).toContainText(`layer ${layer} · γ in [`);
    const range = reading.locator('[data-lo]');
    const lo = Number(await range.getAttribute('data-lo')),
      hi = Number(await range.getAttribute('data-hi'));
    const v = post.get(layer)!;
    const share = v.filter((x) => x >= lo && x < hi).length / v.length;
    await expect(reading).toContainText(`glm-like-base density`);
    const text = (await reading.textContent())!;
    const shown = Number(/glm-like-base density [\d.]+ \(([\d.]+)% of its values\)/.exec(text)![1]);
    expect(shown).toBeCloseTo(share * 100, 1);
    return text;
  };
  const first = await checkShare(0);
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowUp');
  const up = await checkShare(6); // every third layer by default: 0, 3, 6
  expect(up).not.toBe(first);
  // left along γ until the bin holds a good share of the base model's values (the start bin, γ = 1, may hold none)
  const baseShare = (text: string) => Number(/glm-like-base density [\d.]+ \(([\d.]+)%/.exec(text)![1]);
  let right = up;
  for (let k = 0; k < 60 && baseShare(right) < 1; k++) {
    await page.keyboard.press('ArrowLeft');
    await expect(reading).not.toHaveText(right);
    right = (await reading.textContent())!;
  }
  expect(baseShare(right)).toBeGreaterThanOrEqual(1);
  expect(await checkShare(6)).toBe(right);
  await shot(page, 'access-ridge');
  await page.keyboard.press('Escape');
  await expect(ridge).not.toBeFocused();
  await expect(reading).not.toContainText('layer 6');
});

test('the compare view’s diagonal chart reads one layer per arrow key, announced', async ({ page }) => {
  await page.goto(permalink(MODELS, { pair: '0,1' }));
  await waitForSlots(page, 3);
  await waitForBaseSft(page);
  const chart = page.getByRole('application', { name: /^Same-index layers, raw cosine and Pearson r/ });
  await chart.focus();
  const reading = page.getByRole('figure', { name: /Same-index layers/ }).getByText(/^layer \d+:/);
  await expect(reading).toHaveText(/^layer 0: raw cosine [\d.]+, Pearson r [-\d.]+$/);
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('PageUp');
  await expect(reading).toHaveText(/^layer 11:/);
  const a = readNormVectors('public/demo-hub', DEMO.base, demoSha(DEMO.base), ROLE_PATTERN.input);
  const b = readNormVectors('public/demo-hub', DEMO.sft, demoSha(DEMO.sft), ROLE_PATTERN.input);
  const r = Number(/Pearson r ([-\d.]+)/.exec((await reading.textContent())!)![1]);
  expect(r).toBeCloseTo(pearson64(a.get(11)!, b.get(11)!), 4);
  await expect(reading).toHaveAttribute('aria-live', 'polite');
});
