// The longest main-thread tasks of a load, exact (from a Chromium trace: every task, not only those
// the Long Tasks API reports from 50 ms), by phase: start-up (script + first render), during the
// network load, after it (results rendered, figures, verdicts). Cold and cached, at the machine's
// speed and with the CPU slowed 4× (as a slower laptop would run it).
import type { Browser, Page } from '@playwright/test';

export interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  /** thread (CPU) time of the event: what the renderer ran, without the time the OS gave others */
  tdur?: number;
  pid: number;
  tid: number;
  cat?: string;
  args?: { name?: string };
}

export interface PhaseTasks {
  startup: number;
  during: number;
  after: number;
}

const MARKS = ['normscope:load-start', 'normscope:load-end'] as const;

/**
 * The page's main thread: the CrRendererMain of the process that marked the load's start. A trace
 * also holds Chromium's own renderers (its WebUI pages run long module evaluations of their own),
 * which are not the page's tasks.
 */
function pageMainThreads(events: TraceEvent[]): Set<string> {
  const all = events.filter((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  const marked = new Set(events.filter((e) => e.name === MARKS[0]).map((e) => e.pid));
  const page = all.filter((e) => marked.has(e.pid));
  return new Set((page.length > 0 ? page : all).map((e) => `${e.pid}:${e.tid}`));
}

/** Longest task per phase in a trace of one page load (ms). */
export function longestByPhase(events: TraceEvent[]): PhaseTasks {
  const main = pageMainThreads(events);
  const onMain = events.filter((e) => main.has(`${e.pid}:${e.tid}`));
  const mark = (name: string) => onMain.find((e) => e.name === name && e.cat?.includes('user_timing'))?.ts ?? NaN;
  const [start, end] = MARKS.map(mark) as [number, number];
  const tasks = onMain.filter((e) => e.name === 'RunTask' && e.ph === 'X' && e.dur !== undefined);
  const longest = (keep: (ts: number) => boolean) =>
    Math.max(0, ...tasks.filter((t) => keep(t.ts)).map((t) => t.dur! / 1000));
  return {
    startup: longest((ts) => !(ts >= start)),
    during: longest((ts) => ts >= start && ts < end),
    after: longest((ts) => ts >= end),
  };
}

export interface LongestTask {
  /** wall time (ms) */
  ms: number;
  /** the same task's thread time (ms): on a shared, loaded machine wall time also counts waiting for a core */
  cpuMs: number;
  /** the longest task by thread time (ms) */
  longestCpuMs: number;
  /** what ran inside the longest task by thread time: its largest child events */
  inside: string;
  /** the same from the load's start (the `normscope:load-start` mark): the app's own work, start-up excluded */
  fromLoadStart: { ms: number; cpuMs: number };
}

/** The longest main-thread task of a whole trace, by wall time and by thread time. */
export function longestTask(events: TraceEvent[]): LongestTask {
  const main = pageMainThreads(events);
  const onMain = events.filter((e) => main.has(`${e.pid}:${e.tid}`) && e.ph === 'X' && e.dur !== undefined);
  const tasks = onMain.filter((e) => e.name === 'RunTask');
  const byWall = tasks.reduce<TraceEvent | null>((m, t) => (m && m.dur! >= t.dur! ? m : t), null);
  const byCpu = tasks.reduce<TraceEvent | null>((m, t) => (m && (m.tdur ?? 0) >= (t.tdur ?? 0) ? m : t), null);
  const inside = byCpu
    ? onMain
        .filter((e) => e !== byCpu && e.ts >= byCpu.ts && e.ts + e.dur! <= byCpu.ts + byCpu.dur! && e.dur! >= 2000)
        .sort((a, b) => b.dur! - a.dur!)
        .slice(0, 6)
        .map((e) => `${e.name} ${(e.dur! / 1000).toFixed(0)}`)
        .join(', ')
    : '';
  const start =
    events.find(
      (e) => main.has(`${e.pid}:${e.tid}`) && e.name === 'normscope:load-start' && e.cat?.includes('user_timing'),
    )?.ts ?? Infinity;
  const later = tasks.filter((t) => t.ts >= start);
  return {
    ms: (byWall?.dur ?? 0) / 1000,
    cpuMs: (byWall?.tdur ?? 0) / 1000,
    longestCpuMs: (byCpu?.tdur ?? 0) / 1000,
    inside,
    fromLoadStart: {
      ms: Math.max(0, ...later.map((t) => t.dur! / 1000)),
      cpuMs: Math.max(0, ...later.map((t) => (t.tdur ?? 0) / 1000)),
    },
  };
}

async function traced(browser: Browser, page: Page, run: () => Promise<void>): Promise<PhaseTasks> {
  await browser.startTracing(page, {
    categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'blink.user_timing'],
  });
  await run();
  const trace = JSON.parse((await browser.stopTracing()).toString()) as { traceEvents: TraceEvent[] };
  return longestByPhase(trace.traceEvents);
}

/** Cold load then cached reopen of `url`, each until every verdict is in, at CPU slowdown `rate`. */
export async function mainThreadTasks(
  browser: Browser,
  url: string,
  rate: number,
): Promise<{ cold: PhaseTasks; cached: PhaseTasks }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    const cdp = await context.newCDPSession(page);
    if (rate > 1) await cdp.send('Emulation.setCPUThrottlingRate', { rate });
    // polled on a timer: the default requestAnimationFrame polling would add tasks of its own
    const complete = () =>
      page
        .waitForFunction(`!document.querySelector('[data-testid=export-json]')?.disabled`, null, {
          timeout: 300_000,
          polling: 250,
        })
        .then(() => page.waitForTimeout(500));
    const cold = await traced(browser, page, async () => {
      await page.goto(url);
      await complete();
    });
    const cached = await traced(browser, page, async () => {
      await page.reload();
      await complete();
    });
    return { cold, cached };
  } finally {
    await context.close();
  }
}

const fmt = (t: PhaseTasks) => `${t.startup.toFixed(0)} / ${t.during.toFixed(0)} / ${t.after.toFixed(0)}`;

/** Rows for BENCHMARKS.md: longest task (ms) start-up / during the load / after it. */
export async function benchMainThread(browser: Browser, url: string): Promise<Record<string, string>[]> {
  const rows: Record<string, string>[] = [];
  for (const rate of [1, 4]) {
    const r = await mainThreadTasks(browser, url, rate);
    rows.push({
      CPU: rate === 1 ? 'as is' : `${rate}× slower`,
      'cold: start-up / during / after (ms)': fmt(r.cold),
      'cached: start-up / during / after (ms)': fmt(r.cached),
    });
  }
  return rows;
}
