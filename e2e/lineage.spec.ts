// Declared lineage against the weights (issue #10), as a new user meets it on repos it has not
// seen: claims on each slot, "+ add base", every claim judged (true and false), the undeclared
// parent found, the family scan from family=, the api budget, the lineage map, the export.
import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { HUB, permalink, shot, waitForAnalysis, waitForSlots } from './helpers';

const B = 'normscope-lineage/base-1b';
const CHAT = `${B}-chat`;
const FALSE_CLAIM = 'othercorp/fresh-1b';
const NARROW = `${B}-distill`;
const SCRATCH = 'stealth-lab/scratch-1b';

const rowStatus = (page: Page, child: string, base = B) =>
  page.locator(`[data-testid="lineage-row"][data-child="${child}"][data-base="${base}"]`).getAttribute('data-status');

test('claims on each slot, + add base, and every claim among the loaded models judged; the undeclared parent found', async ({
  page,
}) => {
  await page.goto(permalink([CHAT, FALSE_CLAIM, NARROW, SCRATCH], { view: 'lineage' }));
  expect(await waitForSlots(page, 4)).toEqual(['ready', 'ready', 'ready', 'ready']);
  await expect(page.getByTestId('claim-line-0')).toHaveText(/declares: fine-tune of normscope-lineage\/base-1b/);
  await expect(page.getByTestId('claim-line-3')).toContainText('declares no base model');
  await expect(page.getByTestId('add-base-3')).toHaveCount(0);
  // one click adds the declared base to the comparison
  await page.getByTestId('add-base-0').click();
  expect(await waitForSlots(page, 5)).toEqual(['ready', 'ready', 'ready', 'ready', 'ready']);
  await expect(page.getByTestId('add-base-1')).toHaveCount(0);
  await waitForAnalysis(page);
  await expect(page.getByTestId('lineage-view')).toBeVisible();
  expect(await rowStatus(page, CHAT)).toBe('confirmed');
  expect(await rowStatus(page, FALSE_CLAIM)).toBe('contradicted');
  expect(await rowStatus(page, NARROW)).toBe('not-comparable');
  expect(await rowStatus(page, SCRATCH)).toBe('undeclared');
  await expect(page.locator(`[data-testid="lineage-row"][data-child="${NARROW}"]`)).toContainText('width');
  await expect(page.locator(`[data-testid="lineage-row"][data-child="${SCRATCH}"]`)).toContainText('likely parent');
  await expect(page.locator(`[data-testid="lineage-row"][data-child="${FALSE_CLAIM}"]`)).toContainText(
    'no shared ancestry',
  );
  // the map: solid measured edges, dashed declared ones, the contradiction highlighted
  const map = page.getByTestId('lineage-map');
  await expect(map.locator('g.edge.contradicted')).toHaveCount(1);
  await expect(map.locator('g.edge.undeclared')).toHaveCount(1);
  expect(await map.locator('g.edge.measured').count()).toBeGreaterThanOrEqual(2);
  await shot(page, 'lineage-loaded');

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-json').click()]);
  const data = JSON.parse(readFileSync((await download.path())!, 'utf8')) as {
    lineage: { child: string; base: string; declared: string | null; verdict: string | null; status: string }[];
  };
  expect(data.lineage).toContainEqual({
    child: FALSE_CLAIM,
    base: B,
    declared: 'finetune',
    verdict: 'no-evidence',
    status: 'contradicted',
  });
  expect(data.lineage).toContainEqual({
    child: SCRATCH,
    base: B,
    declared: null,
    verdict: 'shared-ancestry',
    status: 'undeclared',
  });
  expect(data.lineage).toContainEqual({
    child: NARROW,
    base: B,
    declared: 'finetune',
    verdict: null,
    status: 'not-comparable',
  });

  // click the contradicted edge: that pair opens in the compare view
  await map.locator('g.edge.contradicted line.hit').click({ force: true });
  await expect(page.getByTestId('compare-view')).toBeVisible();
  await expect(page).toHaveURL(/pair=\d,\d/);
});

test('family=ORG/NAME lists the declared children by downloads, loads each, judges each claim; a failing child is reported', async ({
  page,
}) => {
  await page.goto(`/?hub=${encodeURIComponent(HUB)}&family=${encodeURIComponent(B)}&limit=20`);
  await expect(page.getByTestId('lineage-view')).toBeVisible();
  await expect(page.getByTestId('scan-status')).toHaveAttribute('data-status', 'done', { timeout: 120_000 });
  const rows = page.getByTestId('scan-row');
  await expect(rows).toHaveCount(7);
  const children = await rows.evaluateAll((els) =>
    els.map((e) => [e.getAttribute('data-child'), e.getAttribute('data-status')]),
  );
  expect(children.map((c) => c[0])).toEqual([
    CHAT,
    `${B}-GGUF`,
    `${B}-code`,
    FALSE_CLAIM,
    `${B}-merge`,
    `${B}-gated`,
    NARROW,
  ]); // by downloads
  expect(Object.fromEntries(children)).toEqual({
    [CHAT]: 'confirmed',
    [`${B}-GGUF`]: 'confirmed',
    [`${B}-code`]: 'confirmed',
    [FALSE_CLAIM]: 'contradicted',
    [`${B}-merge`]: 'confirmed',
    [`${B}-gated`]: 'error',
    [NARROW]: 'not-comparable',
  });
  await expect(
    page.locator(`[data-testid="scan-row"][data-child="${B}-gated"] [data-testid="scan-error"]`),
  ).toHaveAttribute('data-kind', 'gated');
  await expect(page.locator(`[data-testid="scan-row"][data-child="${B}-GGUF"]`)).toContainText('quantization');
  const budget = page.getByTestId('scan-budget');
  await expect(budget).toContainText(/this scan used \d+ of 500 api calls per 5 min/);
  const firstCalls = Number(await budget.getAttribute('data-calls'));
  expect(firstCalls).toBe(9); // 1 list page + the base + 7 children
  await expect(page.getByTestId('scan-map').locator('g.edge.contradicted')).toHaveCount(1);
  await shot(page, 'lineage-family-scan');
  // the scan alone exports its judged claims
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-json').click()]);
  const exported = JSON.parse(readFileSync((await download.path())!, 'utf8')) as {
    models: unknown[];
    lineage: { child: string; status: string }[];
  };
  expect(exported.models).toEqual([]);
  expect(exported.lineage.map((r) => [r.child, r.status])).toContainEqual([FALSE_CLAIM, 'contradicted']);
  expect(exported.lineage.map((r) => [r.child, r.status])).toContainEqual([`${B}-GGUF`, 'confirmed']);
  expect(exported.lineage).toHaveLength(6); // the gated child was not judged

  // again: the list comes from the 5-minute cache and the children from the cache by sha
  await page.getByTestId('scan-start').click();
  await expect(page.getByTestId('scan-status')).toHaveAttribute('data-status', 'done', { timeout: 120_000 });
  // the base is named by branch (its sha is asked again) and the gated child fails again; the rest is cached
  expect(Number(await budget.getAttribute('data-calls'))).toBe(2);
  await expect(budget).toContainText('came from that cache');

  // a row opens that pair in the compare view
  await page.locator(`[data-testid="scan-row"][data-child="${FALSE_CLAIM}"]`).click();
  await expect(page.getByTestId('compare-view')).toBeVisible();
  expect(await waitForSlots(page, 2)).toEqual(['ready', 'ready']);
  await expect(page).not.toHaveURL(/family=/);
  await expect(page.getByTestId('claim-line-1')).toContainText('declares: fine-tune of normscope-lineage/base-1b');
});
