import { test, expect } from '@playwright/test';
import { permalink, resetHub, shot, waitForAnalysis, waitForSlots } from './helpers';

const BASE = 'normscope-demo/glm-like-base';
const SFT = 'normscope-demo/glm-like-sft';
const SOLAR = 'normscope-demo/solar-like';

test.beforeEach(async () => {
  await resetHub();
});

test('the verdict card says shared ancestry for the fine-tune and draws the alignment path', async ({ page }) => {
  await page.goto(permalink([BASE, SFT], { sig: '1' }));
  await waitForSlots(page, 2);
  const card = page.getByTestId('verdict-card');
  await expect(card).toHaveAttribute('data-verdict', 'shared-ancestry', { timeout: 120_000 });
  await expect(page.getByTestId('verdict-headline')).toHaveText('Shared ancestry');
  expect(Number(await page.getByTestId('verdict-r').textContent())).toBeGreaterThan(0.99);
  await expect(page.getByTestId('verdict-segments')).toContainText('0–45');
  // the path runs along the diagonal of the Pearson heatmap
  await expect(page.getByTestId('heatmap-pearson').getByTestId('alignment-path')).toHaveCount(1);
  await expect(page.getByTestId('heatmap-pearson').locator('rect.sig-cell').first()).toBeAttached();
  await waitForAnalysis(page);
  await shot(page, 'verdict-shared');
});

test('the verdict card finds no evidence for an unrelated model, and explains raw cosine', async ({ page }) => {
  await page.goto(permalink([BASE, SOLAR], { cell: '27,27' }));
  await waitForSlots(page, 2);
  const card = page.getByTestId('verdict-card');
  await expect(card).toHaveAttribute('data-verdict', 'no-evidence', { timeout: 120_000 });
  await expect(page.getByTestId('verdict-headline')).toHaveText('No evidence of shared ancestry in norm weights');
  await expect(card).not.toContainText('independent models');
  await expect(page.getByTestId('alignment-path')).toHaveCount(0);
  expect(Math.abs(Number(await page.getByTestId('verdict-r').textContent()))).toBeLessThan(0.05);

  // the pinned cell: cosine = part from the means + part from the pattern, and the r = 0 cosine is close
  const cos = Number(await page.getByTestId('cell-cosine').textContent());
  const r0 = Number(await page.getByTestId('cell-cos-r0').textContent());
  const parts = (await page.getByTestId('cos-decomposition').locator('b').allTextContents()).map(Number);
  expect(parts[0]! + parts[1]!).toBeCloseTo(cos, 3);
  expect(Math.abs(cos - r0)).toBeLessThan(0.01);
  expect(cos).toBeGreaterThan(0.9);
  // the pair's own null, from the worker: analytic sd 1/√(d−1) at d = 4096, Spearman beside Pearson
  await expect(page.getByTestId('cell-null')).toContainText('0.0156');
  const p = await page.getByTestId('cell-p').textContent();
  expect(p).toMatch(/^(< )?0\.\d+$/);
  expect(Math.abs(Number(await page.getByTestId('cell-spearman').textContent()))).toBeLessThan(0.1);
  await waitForAnalysis(page);
  await shot(page, 'verdict-no-evidence');
});
