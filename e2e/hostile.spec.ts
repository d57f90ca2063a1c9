// Issue 16 done-when in the browser: about 20 hostile and awkward repos, each opened beside two
// healthy models. Each damaged file is named (model, file, fault in its own format), bounded and
// contained; the healthy comparison stays exact and exportable; awkward but legal files load and
// the page says what is odd.
import { test, expect, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { hubStats, permalink, resetHub, shot, waitForAnalysis, waitForSlots } from './helpers';
import { FIXTURE_ROOT } from './global-setup';

const ORG = 'normscope-hostile';
const BASE = `${ORG}/healthy-base`;
const TUNE = `${ORG}/healthy-tune`;
const BUDGET = 16 * 1024 * 1024;

interface Case {
  repo: string;
  file: string;
  kind: 'damaged' | 'awkward';
  says: string;
}
interface ExportData {
  models: { index: number; repo: string }[];
  failed: { index: number; repo: string; file: string | null; reason: string }[];
  pairs: {
    a: number;
    b: number;
    norm: string;
    cosine: (number | null)[][];
    pearson: (number | null)[][];
    evidence?: { verdict: string };
  }[];
}

const cases = (): Case[] => JSON.parse(readFileSync(`${FIXTURE_ROOT}/hostile-cases.json`, 'utf8')) as Case[];

async function exportOf(page: Page): Promise<ExportData> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-json').click()]);
  return JSON.parse(readFileSync((await download.path())!, 'utf8')) as ExportData;
}

const healthyPairs = (d: ExportData) =>
  d.pairs.filter((p) => p.a === 0 && p.b === 1).map(({ norm, cosine, pearson }) => ({ norm, cosine, pearson }));

let baseline: ReturnType<typeof healthyPairs> = [];

/** The two healthy models alone (computed once per worker: a failed test restarts the worker). */
async function ensureBaseline(page: Page): Promise<void> {
  if (baseline.length > 0) return;
  await page.goto(permalink([BASE, TUNE]));
  expect(await waitForSlots(page, 2)).toEqual(['ready', 'ready']);
  await waitForAnalysis(page);
  baseline = healthyPairs(await exportOf(page));
}

test.beforeEach(async () => {
  await resetHub();
});

test('the two healthy models alone: the baseline comparison', async ({ page }) => {
  await ensureBaseline(page);
  expect(baseline.length).toBeGreaterThanOrEqual(2);
});

test('each damaged file beside the healthy pair: named, bounded, contained; the healthy comparison exact and exportable', async ({
  page,
}) => {
  await ensureBaseline(page);
  const rows: string[] = [];
  for (const c of cases().filter((x) => x.kind === 'damaged')) {
    await resetHub();
    await page.goto(permalink([BASE, TUNE, c.repo]));
    expect(await waitForSlots(page, 3), c.repo).toEqual(['ready', 'ready', 'error']);
    const message = page.getByTestId('slot-error-2');
    await expect(message, c.repo).toContainText(c.repo);
    await expect(message, c.repo).toContainText(c.file);
    await expect(message, c.repo).toContainText(new RegExp(c.says));
    if (c.file.endsWith('.gguf')) await expect(message, c.repo).not.toContainText('valid safetensors');
    await expect(message, c.repo).not.toContainText('CORS');
    await expect(page.getByTestId('retry-2')).toBeVisible();
    await waitForAnalysis(page);
    const data = await exportOf(page);
    expect(data.models.map((m) => m.index)).toEqual([0, 1]);
    expect(data.failed).toEqual([
      { index: 2, repo: c.repo, file: expect.stringContaining(c.file), reason: expect.stringContaining(c.repo) },
    ]);
    expect(healthyPairs(data), c.repo).toEqual(baseline);
    const read = (await hubStats()).log.filter((e) => e.url.includes(`/${c.repo}/`)).reduce((s, e) => s + e.bytes, 0);
    expect(read, c.repo).toBeLessThanOrEqual(BUDGET);
    rows.push(`${c.repo}: ${read} B`);
    if (c.repo.endsWith('gguf-offsets-past-end') || c.repo.endsWith('index-traversal'))
      await shot(page, `hostile-${c.repo.split('/')[1]}`);
  }
  console.log(`[hostile in the browser] bytes read per damaged repo\n${rows.join('\n')}`);
});

test('awkward but legal files load beside the healthy pair, exact where sound, and the page says what is odd', async ({
  page,
}) => {
  await ensureBaseline(page);
  for (const c of cases().filter((x) => x.kind === 'awkward')) {
    await page.goto(permalink([BASE, TUNE, c.repo]));
    expect(await waitForSlots(page, 3), c.repo).toEqual(['ready', 'ready', 'ready']);
    await expect(page.getByTestId('slot-2'), c.repo).toContainText(new RegExp(c.says));
    await waitForAnalysis(page);
    const data = await exportOf(page);
    expect(data.failed).toEqual([]);
    expect(healthyPairs(data), c.repo).toEqual(baseline);
    const withIt = data.pairs.filter((p) => p.a === 0 && p.b === 2);
    expect(withIt.length, c.repo).toBeGreaterThan(0);
    const input = withIt.find((p) => p.norm === 'input')!;
    if (c.repo.endsWith('/constant')) {
      expect(withIt.every((p) => p.evidence?.verdict === 'no-information')).toBe(true);
      await shot(page, 'hostile-constant');
    }
    if (c.repo.endsWith('/missing-layer')) {
      // layer 3 keeps its index: an empty column, the others in place (8 columns)
      expect(input.pearson[0]!.length).toBe(8);
      expect(input.pearson.every((row) => row[3] === null)).toBe(true);
      expect(input.pearson[4]![4]).not.toBeNull();
      await shot(page, 'hostile-missing-layer');
    }
    if (c.repo.endsWith('/nan-layers')) {
      expect(input.pearson.every((row) => row[1] === null && row[4] === null && row[6] === null)).toBe(true);
      expect(input.pearson[0]![0]).not.toBeNull();
      await shot(page, 'hostile-nan-layers');
    }
  }
});

test('the cache shows its size and cap, and the cap can be set', async ({ page }) => {
  await page.goto(permalink([BASE, TUNE]));
  expect(await waitForSlots(page, 2)).toEqual(['ready', 'ready']);
  await page.getByText('Hub and access token').click();
  const line = page.getByTestId('cache-line');
  await expect(line).toContainText(/cache holds .* in \d+ entries/);
  await expect(page.getByTestId('cache-cap')).toHaveValue('256');
  await page.getByTestId('cache-cap').fill('128');
  await page.getByTestId('clear-cache').click();
  await expect(line).toContainText('in 0 entries');
  await shot(page, 'cache-line');
});
