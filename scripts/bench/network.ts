// The network benchmark (issue #9): the real app in Chromium against the Hub stand-in over
// HTTP/2 + TLS with a fixed latency added to every response, counting what the issue counts:
//   latencies — the longest chain of responses on the critical path (a request that starts only
//               after another's answer ended adds one; parallel ones share it), from the stand-in's log
//   requests, resolves (hub /resolve/ hits), bytes vs the floor (headers 8+N + norm bytes + index)
// Scenarios: GLM-4.5-Air-sized vs Solar-Open-sized cold, the same over HTTP/1.1, three small
// models cold, reopening pinned and branch permalinks from the cache, and a "new user" against a
// Hub-like server this code was not tuned on (other latency, no small-file redirect, CDN on another host).
import type { Browser } from '@playwright/test';
import {
  startHubStandIn,
  type HubStandIn,
  type HubStats,
  type HubStandInOptions,
} from '../../src/testing/hubStandIn/server.ts';
import { BENCH_HUB_ROOT, GLM_SIZED, SOLAR_SIZED, writeBenchRepos } from './netRepos.ts';
import { withPreviewAndBrowser } from './browser.ts';
import { floorPlan, runFloor, type FloorRun } from './floor.ts';
import { longestTask, type LongestTask, type TraceEvent } from './mainThread.ts';

// moved by NS_BENCH_PORT / NS_DIST so that a bench can run beside another
const APP_PORT = Number(process.env.NS_BENCH_PORT ?? 4198);
export const NET_LATENCY_MS = 60;
const SMALL = ['normscope-demo/glm-like-base', 'normscope-demo/glm-like-sft', 'normscope-demo/solar-like'];

type LogEntry = HubStats['log'][number];

/** Model and file of a logged request (hub API, resolve, resolve-cache and CDN paths), or null. */
export function targetOf(url: string): { repo: string; file: string | null } | null {
  const path = url.split('?')[0]!;
  const api = /^\/api\/models\/([^/]+\/[^/]+)\/(?:revision|tree|paths-info)\//.exec(path);
  if (api) return { repo: api[1]!, file: null };
  const m =
    /^\/api\/resolve-cache\/models\/([^/]+\/[^/]+)\/[0-9a-f]{40}\/(.+)$/.exec(path) ??
    /^\/xet-bridge-us\/\d+\/([^/]+\/[^/]+)\/[0-9a-f]{40}\/(.+)$/.exec(path) ??
    /^\/([^/]+\/[^/]+)\/resolve\/[^/]+\/(.+)$/.exec(path);
  return m ? { repo: m[1]!, file: decodeURIComponent(m[2]!) } : null;
}

/**
 * Response latencies on the critical path, counted as the issue counts them: the longest chain of
 * answers a request had to wait for, where a request depends on the earlier answers about its
 * own file (redirect hop → CDN, header → remainder → norm ranges) and on its model's metadata
 * (revision API, config.json, the index). Parallel requests share a latency; models load side by
 * side, so a comparison counts its slowest model.
 */
export function criticalLatencies(log: readonly LogEntry[]): number {
  const rs = log.flatMap((e) => {
    const t = targetOf(e.url);
    return t ? [{ e, ...t, meta: t.file === null || t.file.endsWith('.json') }] : [];
  });
  rs.sort((a, b) => a.e.at - b.e.at);
  const depth: number[] = [];
  rs.forEach((r, i) => {
    let d = 1;
    for (let j = 0; j < i; j++) {
      const q = rs[j]!;
      const dependsOn = q.repo === r.repo && (q.meta || q.file === r.file);
      if (dependsOn && q.e.doneAt <= r.e.at) d = Math.max(d, depth[j]! + 1);
    }
    depth.push(d);
  });
  return Math.max(0, ...depth);
}

interface RunResult {
  /** the floor client on the same hub, just before the app's run (none on a faulty network) */
  floor: FloorRun | null;
  floorBytes: number;
  /** the app: navigation → every verdict in (export enabled) */
  verdictsMs: number;
  /**
   * the page's own clock (ms from navigation start) at the animation frame after the first heatmap was
   * drawn (mark normscope:heatmap-painted): on screen, without the test driver's polling; null in
   * builds without the mark
   */
  paintedMs: number | null;
  /** the longest main-thread task from navigation to the last verdict (Chromium trace) */
  longestTask: LongestTask;
  /** requests the stand-in logged after the heatmaps showed, until every verdict was in */
  lateRequests: string[];
  latencies: number;
  requests: number;
  resolves: number;
  bytes: number;
  indexBytes: number;
  ms: number;
  h2: boolean;
  perModelResolves: number[];
}

export async function coldRun(
  browser: Browser,
  hub: HubStandIn,
  models: string[],
  extra: Record<string, string> = {},
  withFloor = true,
): Promise<RunResult & { pinnedUrl: string; branchUrl: string; context: import('@playwright/test').BrowserContext }> {
  const plan = floorPlan(hub.hubUrl, [BENCH_HUB_ROOT, 'public/demo-hub'], models);
  hub.resetStats();
  const floor = withFloor ? await runFloor(browser, plan, `http://127.0.0.1:${APP_PORT}`) : null;
  const context = await browser.newContext({ ignoreHTTPSErrors: true });
  const page = await context.newPage();
  // every main-thread task from navigation to the last verdict
  await browser.startTracing(page, {
    categories: [
      'devtools.timeline',
      'disabled-by-default-devtools.timeline',
      'blink.user_timing',
      // NS_BENCH_PROFILE=1 adds JS sampling (scripts/bench/timeline.ts reads it; it slows the page)
      ...(process.env.NS_BENCH_PROFILE ? ['disabled-by-default-v8.cpu_profiler'] : []),
    ],
  });
  const q = new URLSearchParams({ hub: hub.hubUrl, ...extra });
  for (const m of models) q.append('m', m);
  const branchUrl = `http://127.0.0.1:${APP_PORT}/?${q}`;
  hub.resetStats();
  const t0 = Date.now();
  const s0 = performance.now();
  await page.goto(branchUrl);
  try {
    await page.getByTestId('heatmap-pearson').first().waitFor({ state: 'visible', timeout: 180_000 });
  } catch (e) {
    const slots = await page.evaluate(
      `JSON.stringify(window.__normscope.store.getState().slots.map((s) => [s.status, s.error && s.error.message]))`,
    );
    throw new Error(`${models.join(' vs ')} did not load: ${String(slots)}`, { cause: e });
  }
  const until = performance.now();
  const ms = Date.now() - t0;
  const paintedMs = (await page.evaluate(
    `performance.getEntriesByName('normscope:heatmap-painted')[0]?.startTime ?? null`,
  )) as number | null;
  const stats = hub.stats();
  const log = stats.log.filter((e) => e.at >= s0 && e.at <= until);
  const transfers = (await page.evaluate(
    `window.__normscope.store.getState().slots.map((s) => s.model ? s.model.transfer : null)`,
  )) as ({ minimumBytes: number } | null)[];
  const indexBytes = log.filter((e) => e.url.includes('.index.json')).reduce((s, e) => s + e.bytes, 0);
  const bytes = log.filter((e) => e.url.includes('.safetensors')).reduce((s, e) => s + e.bytes, 0);
  void transfers;
  const resolves = log.filter((e) => e.origin === 'hub' && e.url.includes('/resolve/'));
  const h2 = log.length > 0 && log.every((e) => e.httpVersion === '2.0');
  if (process.env.NS_BENCH_DUMP)
    (await import('node:fs')).writeFileSync(`.reports/netlog-${models.length}-${Date.now()}.json`, JSON.stringify(log));
  // every verdict in: the export is enabled (polled on a timer, not every frame)
  await page.waitForFunction(`!document.querySelector('[data-testid=export-json]')?.disabled`, null, {
    timeout: 240_000,
    polling: 20,
  });
  const verdictsMs = Date.now() - t0;
  const verdictsAt = performance.now();
  const traceText = (await browser.stopTracing()).toString();
  if (process.env.NS_BENCH_TRACE) (await import('node:fs')).writeFileSync(process.env.NS_BENCH_TRACE, traceText);
  const trace = JSON.parse(traceText) as { traceEvents: TraceEvent[] };
  const lateRequests = hub
    .stats()
    .log.filter((e) => e.at > until && e.at <= verdictsAt)
    .map((e) => `${e.url.split('?')[0]} ${e.range ?? ''} ${e.bytes} B at +${Math.round(e.at - until)} ms`);
  // the page pins every model to its commit once loaded: that is what Copy link gives
  await page.waitForFunction(
    `new URLSearchParams(location.search).getAll('m').every((m) => /@[0-9a-f]{40}/.test(m))`,
    null,
    { timeout: 60_000 },
  );
  const pinnedUrl = page.url();
  await page.close();
  return {
    latencies: criticalLatencies(log),
    requests: log.length,
    resolves: resolves.length,
    perModelResolves: models.map((m) => resolves.filter((e) => e.url.startsWith(`/${m}/`)).length),
    bytes,
    indexBytes,
    floor,
    floorBytes: plan.floorBytes,
    verdictsMs,
    paintedMs,
    longestTask: longestTask(trace.traceEvents),
    lateRequests,
    ms,
    h2,
    pinnedUrl,
    branchUrl,
    context,
  };
}

/** Reopen a permalink in the same browser profile (IndexedDB cache kept): requests until the heatmaps. */
async function reopen(
  context: import('@playwright/test').BrowserContext,
  hub: HubStandIn,
  url: string,
): Promise<{ requests: number; ms: number; apiCalls: number }> {
  const page = await context.newPage();
  hub.resetStats();
  const t0 = Date.now();
  await page.goto(url);
  await page.getByTestId('heatmap-pearson').first().waitFor({ state: 'visible', timeout: 120_000 });
  const ms = Date.now() - t0;
  // everything the page asks for once open (row-evidence plan included)
  await page.waitForTimeout(1500);
  const log = hub.stats().log;
  await page.close();
  return { requests: log.length, ms, apiCalls: log.filter((e) => e.url.startsWith('/api/models/')).length };
}

export async function withHub<T>(opts: Partial<HubStandInOptions>, fn: (hub: HubStandIn) => Promise<T>): Promise<T> {
  const hub = await startHubStandIn({
    roots: [BENCH_HUB_ROOT, 'public/demo-hub'],
    protocol: 'h2',
    cdnHost: 'localhost',
    faults: { latencyMs: NET_LATENCY_MS },
    ...opts,
  });
  try {
    return await fn(hub);
  } finally {
    await hub.close();
  }
}

export const times = (ms: number, floor: FloorRun | null) =>
  floor ? `${ms} (${(ms / floor.ms).toFixed(2)}×)` : String(ms);

export const row = (scenario: string, r: RunResult, extra: Record<string, unknown> = {}) => ({
  scenario,
  protocol: r.h2 ? 'h2' : 'http/1.1',
  latencies: r.latencies,
  requests: r.requests,
  resolves: r.resolves,
  'resolves per model': r.perModelResolves.join(' / '),
  'floor ms': r.floor ? Math.round(r.floor.ms) : undefined,
  'first heatmap ms (× floor)': times(r.ms, r.floor),
  'every verdict ms (× floor)': times(r.verdictsMs, r.floor),
  'bytes vs floor (headers + norms)': `${(r.bytes / 1e6).toFixed(2)} MB / ${(r.floorBytes / 1e6).toFixed(2)} MB = ${(r.bytes / Math.max(1, r.floorBytes)).toFixed(2)}×`,
  'index bytes': r.indexBytes,
  'floor requests / resolves': r.floor ? `${r.floor.requests} / ${r.floor.resolves}` : undefined,
  'longest main-thread task: wall (its CPU) / longest by CPU': `${Math.round(r.longestTask.ms)} (${Math.round(r.longestTask.cpuMs)}) / ${Math.round(r.longestTask.longestCpuMs)} ms`,
  'the same from the load start, wall / CPU': `${Math.round(r.longestTask.fromLoadStart.ms)} / ${Math.round(r.longestTask.fromLoadStart.cpuMs)} ms`,
  'requests after the heatmaps': r.lateRequests.length,
  ...extra,
});

/** `vite preview` of the build and a Chromium, for one bench session. */
export async function withAppAndBrowser<T>(fn: (browser: Browser) => Promise<T>): Promise<T> {
  writeBenchRepos();
  return withPreviewAndBrowser(APP_PORT, fn);
}

export async function benchNetwork(): Promise<Record<string, unknown>[]> {
  const rows: Record<string, unknown>[] = [];
  await withAppAndBrowser(async (browser) => {
    await withHub({}, async (hub) => {
      const cold = await coldRun(browser, hub, [GLM_SIZED, SOLAR_SIZED]);
      const pinned = await reopen(cold.context, hub, cold.pinnedUrl);
      const branch = await reopen(cold.context, hub, cold.branchUrl);
      await cold.context.close();
      rows.push(row(`cold: GLM-sized (47 shards) vs Solar-sized (42), ${NET_LATENCY_MS} ms`, cold));
      rows.push({ scenario: 'reopen, pinned permalink (cache)', requests: pinned.requests, ms: pinned.ms });
      rows.push({
        scenario: 'reopen, branch permalink (cache)',
        requests: `${branch.requests} (${branch.apiCalls} revision calls)`,
        ms: branch.ms,
      });
      const small = await coldRun(browser, hub, SMALL);
      await small.context.close();
      rows.push(row(`cold: three small demo models, ${NET_LATENCY_MS} ms`, small));
      // a flaky network: 1 in 5 ranged answers dropped halfway
      hub.setFaults({ dropEvery: 5 });
      const flaky = await coldRun(browser, hub, [GLM_SIZED, SOLAR_SIZED], {}, false);
      const dropped = hub.stats().dropped;
      await flaky.context.close();
      hub.setFaults({ dropEvery: 0 });
      rows.push(row('cold, 1 in 5 ranged answers dropped', flaky, { dropped }));
    });
    await withHub({ protocol: 'http1' }, async (hub) => {
      const cold = await coldRun(browser, hub, [GLM_SIZED, SOLAR_SIZED]);
      await cold.context.close();
      rows.push(row(`cold: GLM-sized vs Solar-sized over HTTP/1.1, ${NET_LATENCY_MS} ms`, cold));
    });
    // a new user against a Hub-like server the code was not tuned on
    await withHub(
      { faults: { latencyMs: 90 }, smallFilesRedirect: false, cdnHost: '127.0.0.2', treePageSize: 50 },
      async (hub) => {
        const cold = await coldRun(browser, hub, [GLM_SIZED, SOLAR_SIZED]);
        await cold.context.close();
        rows.push(row('new user: other HTTP/2 hub (90 ms, no small-file redirect, CDN on 127.0.0.2)', cold));
      },
    );
  });
  return rows;
}
