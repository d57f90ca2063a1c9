// Shared helpers of the browser suite: the stand-in's control surface and waiting for loads.
import { expect } from '@playwright/test';
import type { Page } from '@playwright/test';

// HTTPS + HTTP/2 unless the suite runs with NS_HUB_HTTP1=1 (playwright.config.ts)
export const HUB = `${process.env.NS_HUB_HTTP1 === '1' ? 'http' : 'https'}://127.0.0.1:${process.env.NS_HUB_PORT ?? 5555}`;

export interface StandInStats {
  requests: number;
  bytes: number;
  tensorBytes: number;
  dropped: number;
  byRoute: Record<string, { requests: number; bytes: number }>;
  log: { method: string; url: string; status: number; bytes: number; origin: 'hub' | 'cdn'; httpVersion: string }[];
}

export async function hubStats(): Promise<StandInStats> {
  const res = await fetch(`${HUB}/__standin/stats`);
  return (await res.json()) as StandInStats;
}

export async function resetHub(): Promise<void> {
  await fetch(`${HUB}/__standin/reset`, { method: 'POST' });
  await setFaults({
    ignoreRange: false,
    latencyMs: 0,
    rateLimitNext: 0,
    serverErrorNext: 0,
    truncateBodies: false,
    failPreflight: false,
    dropEvery: 0,
    dropRandom: 0,
  });
}

export async function setFaults(faults: Record<string, unknown>): Promise<void> {
  await fetch(`${HUB}/__standin/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(faults),
  });
}

export function permalink(models: string[], params: Record<string, string> = {}, hub = HUB): string {
  const q = new URLSearchParams();
  q.set('hub', hub);
  for (const m of models) q.append('m', m);
  for (const [k, v] of Object.entries(params)) q.set(k, v);
  return `/?${q.toString()}`;
}

/** Waits until every model slot has settled, and returns their statuses. */
export async function waitForSlots(page: Page, count: number): Promise<string[]> {
  await expect(page.getByTestId('progress').locator('li.slot')).toHaveCount(count);
  await expect(page.locator('li.slot[data-status="loading"]')).toHaveCount(0, { timeout: 30_000 });
  return page.locator('li.slot').evaluateAll((els) => els.map((e) => e.getAttribute('data-status') ?? ''));
}

export async function waitForAnalysis(page: Page): Promise<void> {
  // the export waits for every verdict (permutation tests in a worker)
  await expect(page.getByRole('button', { name: 'Export JSON' })).toBeEnabled({ timeout: 120_000 });
}

export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `e2e/screenshots/${name}.png`, fullPage: true });
}
