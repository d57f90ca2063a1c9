// The browser half of the benchmark: Chromium against `vite preview` and the stand-in.
import { chromium, type Browser, type Page } from '@playwright/test';
import { existsSync } from 'node:fs';
import { spawn, execSync } from 'node:child_process';
import { startHubStandIn } from '../../src/testing/hubStandIn/server.ts';
import { benchMainThread } from './mainThread';

// moved by NS_BENCH_PORT / NS_DIST so that a bench can run beside another
const APP_PORT = Number(process.env.NS_BENCH_PORT ?? 4199);
const DIST = process.env.NS_DIST ?? 'dist';

export async function waitForHttp(url: string, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not come up`);
}

/** `vite preview` of the build (built first if missing) on `port`, and a Chromium; both closed after `fn`. */
export async function withPreviewAndBrowser<T>(
  port: number,
  fn: (browser: Browser) => Promise<T>,
  launchArgs: string[] = [],
): Promise<T> {
  if (!existsSync(`${DIST}/index.html`)) execSync(`npx vite build --outDir ${DIST}`, { stdio: 'inherit' });
  const preview = spawn(
    'npx',
    ['vite', 'preview', '--port', String(port), '--strictPort', '--host', '127.0.0.1', '--outDir', DIST],
    { stdio: 'ignore', detached: true },
  );
  const browser = await chromium.launch({
    executablePath: existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined,
    args: launchArgs,
  });
  try {
    await waitForHttp(`http://127.0.0.1:${port}/`);
    return await fn(browser);
  } finally {
    await browser.close();
    if (preview.pid) process.kill(-preview.pid);
  }
}

/** From the page's first script on, every main-thread task over 50 ms lands in `window.__longTasks`. */
export async function recordLongTasks(page: Page): Promise<void> {
  await page.addInitScript(`
    window.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__longTasks.push([e.startTime, e.duration]);
    }).observe({ type: 'longtask', buffered: true });
  `);
}

export async function benchBrowser(rttMs: number): Promise<Record<string, unknown>> {
  const hub = await startHubStandIn({ roots: ['public/demo-hub'], faults: { latencyMs: rttMs } });
  try {
    return await withPreviewAndBrowser(APP_PORT, (browser) => benchOnPage(browser, hub.hubUrl));
  } finally {
    await hub.close();
  }
}

async function benchOnPage(browser: Browser, hubUrl: string): Promise<Record<string, unknown>> {
  const page = await browser.newPage();
  // record every main-thread task over 50 ms, from the first script on
  await recordLongTasks(page);
  const models = ['normscope-demo/glm-like-base', 'normscope-demo/glm-like-sft', 'normscope-demo/solar-like'];
  const q = new URLSearchParams({ hub: hubUrl });
  for (const m of models) q.append('m', m);
  const t0 = Date.now();
  await page.goto(`http://127.0.0.1:${APP_PORT}/?${q}`);
  await page.getByTestId('heatmap-pearson').waitFor({ state: 'visible', timeout: 120_000 });
  const heatmapsMs = Date.now() - t0;
  const exportEnabled = `!document.querySelector('[data-testid=export-json]')?.disabled`;
  await page.waitForFunction(exportEnabled, null, { timeout: 180_000 });
  const coldMs = Date.now() - t0;
  const longTasks = (await page.evaluate('window.__longTasks')) as [number, number][];
  const [loadStart, loadEnd] = (await page.evaluate(
    `['normscope:load-start', 'normscope:load-end'].map((n) => performance.getEntriesByName(n)[0]?.startTime ?? NaN)`,
  )) as [number, number];
  // a task belongs to the phase it starts in (the start-up script itself begins the load)
  const during = longTasks.filter(([start]) => start >= loadStart && start < loadEnd).map(([, ms]) => ms);
  const before = longTasks.filter(([start]) => start < loadStart).map(([, ms]) => ms);
  const after = longTasks.filter(([start]) => start >= loadEnd).map(([, ms]) => ms);
  const worst = (xs: number[]) =>
    xs.length ? `${Math.max(...xs).toFixed(0)} ms (${xs.length} ≥ 50 ms)` : 'none ≥ 50 ms';
  const t1 = Date.now();
  await page.reload();
  await page.getByTestId('export-json').waitFor({ state: 'visible' });
  await page.waitForFunction(exportEnabled, null, { timeout: 180_000 });
  const cachedMs = Date.now() - t1;
  // plain-string scripts: tsx would wrap named functions in a helper the page does not have
  const benchInWorker = (layers: number, dim: number) =>
    page.evaluate(`window.__normscope.computeWorker().benchSimilarity(${layers}, ${dim}, 5)`) as Promise<number[]>;
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const worker = { small: median(await benchInWorker(48, 4096)), large: median(await benchInWorker(128, 16384)) };
  // every main-thread task, exact, cold and cached, at this machine's speed and 4× slower
  const mainThread = await benchMainThread(browser, `http://127.0.0.1:${APP_PORT}/?${q}`);
  // the centering animation (Figure 0) playing for 4 s: frame intervals from the view's probe
  await page.goto(`http://127.0.0.1:${APP_PORT}/?${q}&view=centering`);
  await page.locator('canvas').first().waitFor({ state: 'visible', timeout: 60_000 });
  await page.evaluate('window.__normscopeFrames && window.__normscopeFrames.clear()');
  await page.waitForTimeout(4000);
  const frames = (await page.evaluate('window.__normscopeFrames ? window.__normscopeFrames.summary() : null')) as {
    count: number;
    p50Ms: number;
    p95Ms: number;
    fps: number;
  } | null;
  return {
    'centering animation: frames, median / p95 frame (ms), fps': frames
      ? `${frames.count}, ${frames.p50Ms.toFixed(1)} / ${frames.p95Ms.toFixed(1)}, ${frames.fps.toFixed(0)}`
      : 'no frames recorded',
    'cold: 3 models to heatmaps (ms)': heatmapsMs,
    'cold: to every verdict (ms)': coldMs,
    'cached reopen, to every verdict (ms)': cachedMs,
    'main-thread long tasks: start-up (script + first render)': worst(before),
    'during the network load': worst(during),
    'after it (results rendered, figures, verdicts)': worst(after),
    'worker 48×48×4096 (ms)': worker.small.toFixed(1),
    'worker 128×128×16384 (ms)': worker.large.toFixed(1),
    mainThread,
  };
}
