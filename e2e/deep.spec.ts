// The deep check (issue 14) as a new user meets it, on stand-in models it has never seen
// (scripts/demo/deepRepos.ts, real llama layout and BF16 matrices): deep=1 runs every pair; the
// foundation against its fine-tune, its disguised derivative (norms folded to 1.0, hidden dims and
// MLP units permuted) and its vocabulary-extended derivative is shared ancestry from the matrices at
// p ≤ 0.01 with the right hidden map; unrelated models of the same recipe never are; each pair reads
// under 40% of the files.
import { test, expect, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { HUB, hubStats, permalink, resetHub, shot, waitForAnalysis, waitForSlots } from './helpers';

const ORG = 'normscope-deep';
const BASE = `${ORG}/base`;

interface DeepEntryView {
  phase: string;
  verdict?: string;
  pValue?: number;
  hiddenMap?: string;
  bytes?: [number, number];
  message?: string;
}

test.beforeEach(async () => {
  await resetHub();
});

/** The deep check of every pair, from the app's store (read-only test handle). */
async function deepEntries(page: Page): Promise<Record<string, DeepEntryView>> {
  return page.evaluate(() => {
    interface Entry {
      phase: string;
      message?: string;
      result: {
        evidence: { verdict: string; pValue: number; hiddenMap: string };
        transfer: { rowBytes: number; tokenizerBytes: number }[];
      };
    }
    const h = (window as unknown as { __normscope: { store: { getState(): { deepChecks: Record<string, Entry> } } } })
      .__normscope;
    const out: Record<string, unknown> = {};
    for (const [k, e] of Object.entries(h.store.getState().deepChecks)) {
      out[k] =
        e.phase === 'done'
          ? {
              phase: e.phase,
              verdict: e.result.evidence.verdict,
              pValue: e.result.evidence.pValue,
              hiddenMap: e.result.evidence.hiddenMap,
              bytes: e.result.transfer.map((t) => t.rowBytes + t.tokenizerBytes),
            }
          : { phase: e.phase, message: e.message };
    }
    return out as Record<string, DeepEntryView>;
  });
}

async function waitForDeep(page: Page, pairs: number): Promise<Record<string, DeepEntryView>> {
  await expect
    .poll(
      async () => {
        const e = await deepEntries(page);
        const settled = Object.values(e).filter((x) => x.phase === 'done' || x.phase === 'error').length;
        return settled;
      },
      { timeout: 150_000 },
    )
    .toBe(pairs);
  return deepEntries(page);
}

/** Sum of the file sizes of a repo's commit, from the stand-in's tree API. */
async function repoBytes(repo: string): Promise<number> {
  const res = await fetch(`${HUB}/api/models/${repo}/tree/main?recursive=true`);
  const tree = (await res.json()) as { type: string; size: number }[];
  return tree.filter((f) => f.type === 'file').reduce((s, f) => s + f.size, 0);
}

test('deep=1: the foundation against its fine-tune, disguised and vocabulary-extended derivatives', async ({
  page,
}) => {
  const models = [BASE, `${ORG}/finetune`, `${ORG}/disguised`, `${ORG}/vocab-ext`];
  await page.goto(permalink(models, { deep: '1', pair: '0,2' }));
  expect(await waitForSlots(page, 4)).toEqual(['ready', 'ready', 'ready', 'ready']);
  const deep = await waitForDeep(page, 6);
  const sizes = await Promise.all(models.map(repoBytes));
  const want: [string, string][] = [
    ['0,1', 'identity'],
    ['0,2', 'permuted'],
    ['0,3', 'identity'],
  ];
  for (const [key, map] of want) {
    const e = deep[key]!;
    expect(e.message ?? '', key).toBe('');
    expect(e.verdict, key).toBe('shared-ancestry');
    expect(e.pValue!, key).toBeLessThanOrEqual(0.01);
    expect(e.hiddenMap, key).toBe(map);
    const [a, b] = key.split(',').map(Number) as [number, number];
    expect(e.bytes![0], key).toBeLessThan(0.4 * sizes[a]!);
    expect(e.bytes![1], key).toBeLessThan(0.4 * sizes[b]!);
  }
  // the pair on screen: the disguised derivative, its panel and the one verdict from all the evidence
  const panel = page.getByTestId('deep-result');
  await expect(panel).toHaveAttribute('data-verdict', 'shared-ancestry');
  await expect(panel).toHaveAttribute('data-hidden-map', 'permuted');
  await expect(page.getByTestId('deep-null')).toContainText(/independent/i);
  const card = page.getByTestId('ancestry-card');
  await expect(card).toHaveAttribute('data-verdict', 'shared-ancestry');
  // the disguised model's norms are all 1.0: no information, never "no evidence"
  await expect(card.locator('[data-basis="norm-input"]')).toHaveAttribute('data-verdict', 'no-information');
  await expect(card.locator('[data-basis="matrices"]')).toHaveAttribute('data-verdict', 'shared-ancestry');
  await page.getByTestId('deep-check').scrollIntoViewIfNeeded();
  await shot(page, 'deep-disguised');
  // recipe statistics: both std curves, their correlation, marked not evidence, with the counterexample
  const curves = page.getByTestId('deep-std-curves');
  await expect(curves).toContainText('not evidence');
  // one panel per role, each with both curves (one line per role, never a zig-zag across roles)
  const rolePanels = curves.locator('svg g[data-role]');
  expect(await rolePanels.count()).toBeGreaterThanOrEqual(2);
  for (const role of await rolePanels.all()) {
    await expect(role.locator('path.curve-a')).toHaveAttribute('d', /^M[\d.]+,[\d.]+(L[\d.]+,[\d.]+)+$/);
    await expect(role.locator('path.curve-b')).toHaveAttribute('d', /^M[\d.]+,[\d.]+(L[\d.]+,[\d.]+)+$/);
  }
  await expect(curves.locator('svg title')).toHaveText(/std curves/);
  // the fixed-point count of the unit matching is a whole number
  if (/fixed points/.test((await panel.locator('dt').nth(1).textContent()) ?? ''))
    await expect(page.getByTestId('deep-statistic')).toHaveText(/^\d+$/);
  await expect(page.getByTestId('deep-std-caveat')).toContainText('0.91');
  await expect(page.getByTestId('deep-std-caveat')).toContainText('0.927');
  await expect(page.getByTestId('deep-std-correlation')).toContainText(/correlation -?\d\.\d{3}/);
  await curves.scrollIntoViewIfNeeded();
  await shot(page, 'deep-std-curves');
  await page.getByTestId('ancestry-card').scrollIntoViewIfNeeded();
  await shot(page, 'deep-ancestry-card');
  // the export: one ancestry entry per pair, the matrices' evidence with the bytes of both models
  await waitForAnalysis(page);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-json').click()]);
  const data = JSON.parse(readFileSync((await download.path())!, 'utf8')) as {
    ancestry: {
      a: number;
      b: number;
      verdict: string;
      norms: { verdict: string };
      matrices: { verdict: string; pValue: number; hiddenMap: string; tensors: string[]; bytesRead: number } | null;
      stdProfile?: { labels: string[]; stdA: number[]; stdB: number[]; correlation: number; caveat: string };
    }[];
  };
  expect(data.ancestry).toHaveLength(6);
  const disguised = data.ancestry.find((x) => x.a === 0 && x.b === 2)!;
  expect(disguised.verdict).toBe('shared-ancestry');
  expect(disguised.matrices!.hiddenMap).toBe('permuted');
  expect(disguised.matrices!.pValue).toBeLessThanOrEqual(0.01);
  expect(disguised.matrices!.tensors.length).toBeGreaterThan(0);
  expect(disguised.matrices!.bytesRead).toBeGreaterThan(0);
  expect(disguised.matrices!.bytesRead).toBeLessThan(0.4 * (sizes[0]! + sizes[2]!));
  // the std profile travels with its caveat; the curves and their r agree with each other
  const sp = disguised.stdProfile!;
  expect(sp.stdA).toHaveLength(sp.labels.length);
  expect(sp.stdB).toHaveLength(sp.labels.length);
  expect(sp.labels.length).toBeGreaterThanOrEqual(3);
  expect(sp.correlation).toBeCloseTo(pearsonOf(sp.stdA, sp.stdB), 9);
  expect(sp.caveat).toMatch(/not evidence/i);
  // the keyboard reads the curves point by point, announced, with the exported numbers
  const chart = page.getByRole('application', { name: /^Recipe std curves/ });
  await chart.focus();
  const reading = curves.getByText(/^L\d+.* std \/ role mean/);
  await page.keyboard.press('ArrowRight');
  await expect(reading).toHaveText(new RegExp(`^${sp.labels[1]}: std / role mean ${sp.stdA[1]!.toFixed(3)} for `));
  await expect(reading).toHaveAttribute('aria-live', 'polite');
  await page.keyboard.press('End');
  const last = sp.labels.length - 1;
  await expect(reading).toContainText(`${sp.labels[last]}: std / role mean ${sp.stdA[last]!.toFixed(3)}`);
  await expect(reading).toContainText(`${sp.stdB[last]!.toFixed(3)} for`);
  // the lineage view uses the same verdict: the disguised model declares nothing, yet shares ancestry with base
  await page.getByRole('button', { name: 'Lineage', exact: true }).click();
  await expect(page.getByTestId('lineage-view')).toBeVisible();
  const row = page.locator(
    `[data-testid="lineage-row"][data-child="${ORG}/disguised"], [data-testid="lineage-row"][data-base="${ORG}/disguised"]`,
  );
  await expect(row.first()).toBeVisible();
  await expect(row.first()).toContainText('shared ancestry');
  await shot(page, 'deep-lineage');
});

test('deep=1: unrelated models of one recipe, and another tokenizer, are never shared ancestry', async ({ page }) => {
  const models = [BASE, `${ORG}/unrelated-a`, `${ORG}/unrelated-b`, `${ORG}/other-tok`];
  await page.goto(permalink(models, { deep: '1' }));
  expect(await waitForSlots(page, 4)).toEqual(['ready', 'ready', 'ready', 'ready']);
  const deep = await waitForDeep(page, 6);
  for (const [key, e] of Object.entries(deep)) {
    expect(e.verdict ?? e.phase, `${key}: ${e.message ?? ''}`).not.toBe('shared-ancestry');
    if (e.phase === 'done') expect(e.verdict, key).not.toBe('shared-ancestry');
  }
  await page.getByTestId('deep-check').scrollIntoViewIfNeeded();
  await shot(page, 'deep-unrelated');
});

test('without deep=1 the cost comes first; the run starts from the keyboard and reads under 40% of the files', async ({
  page,
}) => {
  const models = [BASE, `${ORG}/finetune`];
  await page.goto(permalink(models));
  await waitForSlots(page, 2);
  const cost = page.getByTestId('deep-cost');
  await expect(cost).toContainText(/Will read at most .* about \d+ s/, { timeout: 60_000 });
  await expect(cost).toContainText('q/k/v/o/gate/up/down × 6 layers');
  // the time says what it rests on: each model's norm load (or why not) and the compute per row
  await expect(page.getByTestId('deep-time-basis')).toContainText(/Based on: .*normscope-deep\/base at .*MB\/s/);
  await expect(page.getByTestId('deep-time-basis')).toContainText(/rows × \d+\.\d\d ms compute per row/);
  await cost.scrollIntoViewIfNeeded();
  await shot(page, 'deep-cost');
  await resetHub();
  const run = page.getByRole('button', { name: 'Run the deep check of this pair' });
  await run.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('deep-result')).toHaveAttribute('data-verdict', 'shared-ancestry', {
    timeout: 120_000,
  });
  // independent of the app's own count: every byte the stand-in served during the run
  const served = (await hubStats()).bytes;
  const files = (await repoBytes(models[0]!)) + (await repoBytes(models[1]!));
  expect(served).toBeLessThan(0.4 * files);
  await shot(page, 'deep-finetune');
});

/** Pearson r, written out here (independent of the app's metrics). */
function pearsonOf(x: number[], y: number[]): number {
  const n = x.length;
  const mx = x.reduce((s, v) => s + v, 0) / n;
  const my = y.reduce((s, v) => s + v, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i]! - mx) * (y[i]! - my);
    sxx += (x[i]! - mx) ** 2;
    syy += (y[i]! - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}
