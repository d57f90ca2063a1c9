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
  const play = page.getByTestId('play-pause');
  await expect(play).toHaveText(/play/i);
  await play.click();
  await expect(page).toHaveURL(/alpha=play/);
  await expect(play).toHaveText(/pause/i);
});
