// `npx tsx scripts/bench/timeline.ts [glm|small]`: one cold run of the app (floor first), printed as a timeline
// from navigation: when each stage's requests arrive at the stand-in and end, when the heatmap shows, and the
// page's longest tasks. A diagnostic for issue 17's ratios; writes nothing to BENCHMARKS.md.
import { readFileSync } from 'node:fs';
import { coldRun, withAppAndBrowser, withHub } from './network.ts';
import type { TraceEvent } from './mainThread.ts';
import { GLM_SIZED, SOLAR_SIZED } from './netRepos.ts';

const SMALL = ['normscope-demo/glm-like-base', 'normscope-demo/glm-like-sft', 'normscope-demo/solar-like'];

type Entry = { url: string; range?: string; at: number; doneAt: number; bytes: number; origin: string };

function stageOf(e: Entry): string {
  if (e.url.startsWith('/api/')) return 'api';
  if (e.url.includes('.index.json')) return 'index';
  if (e.url.endsWith('.json') || e.url.includes('.json?')) return 'json';
  if (e.origin === 'hub' && e.url.includes('/resolve/')) return 'resolve';
  if (e.range?.startsWith('bytes=0-')) return 'cdn-head';
  return 'cdn-body';
}

async function main() {
  const which = process.argv[2] ?? 'glm';
  const models = which === 'small' ? SMALL : [GLM_SIZED, SOLAR_SIZED];
  const dumpDir = '.reports';
  process.env.NS_BENCH_DUMP = '1';
  process.env.NS_BENCH_TRACE = `${dumpDir}/trace-${which}.json`;
  await withAppAndBrowser((browser) =>
    withHub({}, async (hub) => {
      const before = Date.now();
      // Node's performance.now() plus this is the monotonic clock (ms), which Chromium's trace uses too
      const monotonicOffset = Number(process.hrtime.bigint()) / 1e6 - performance.now();
      const r = await coldRun(browser, hub, models);
      await r.context.close();
      const log = hub.stats().log as Entry[];
      const trace = JSON.parse(readFileSync(process.env.NS_BENCH_TRACE!, 'utf8')) as {
        traceEvents: (TraceEvent & { args?: { data?: { url?: string } } })[];
      };
      const threads = new Map<string, string>();
      for (const e of trace.traceEvents)
        if (e.name === 'thread_name') threads.set(`${e.pid}:${e.tid}`, e.args?.name ?? '');
      // the app's renderer only (the trace also holds Chromium's WebUI renderers)
      const pagePids = new Set(trace.traceEvents.filter((e) => e.name === 'normscope:load-start').map((e) => e.pid));
      const nav = trace.traceEvents.find(
        (e) => e.name === 'navigationStart' || e.name === 'NavigationBodyLoader::StartLoadingBody',
      );
      const base = nav?.ts ?? Math.min(...trace.traceEvents.filter((e) => e.ts > 0).map((e) => e.ts));
      // the trace's clock and the stand-in's are both the monotonic clock: times below are from navigation
      const t0 = base / 1000 - monotonicOffset;
      const stages = new Map<string, Entry[]>();
      for (const e of log) (stages.get(stageOf(e)) ?? stages.set(stageOf(e), []).get(stageOf(e))!).push(e);
      console.log(`floor ${r.floor?.ms.toFixed(0)} ms (stages ${r.floor?.stages.map(Math.round).join(' / ')})`);
      console.log(`app heatmap ${r.ms} ms, verdicts ${r.verdictsMs} ms from navigation (${Date.now() - before})`);
      console.log(`stand-in: when requests arrive and end, ms from navigation`);
      const byModel = new Map<string, Entry[]>();
      for (const e of log) {
        const m = models.find((x) => e.url.includes(`/${x}/`) || e.url.includes(encodeURIComponent(x))) ?? 'cdn?';
        (byModel.get(m) ?? byModel.set(m, []).get(m)!).push(e);
      }
      for (const [m, es] of byModel) {
        const st = new Map<string, Entry[]>();
        for (const e of es) (st.get(stageOf(e)) ?? st.set(stageOf(e), []).get(stageOf(e))!).push(e);
        for (const [s, xs] of st)
          console.log(
            `  ${m.slice(-24).padEnd(24)} ${s.padEnd(9)} n=${xs.length} ${(Math.min(...xs.map((e) => e.at)) - t0).toFixed(0)}–${(Math.max(...xs.map((e) => e.at)) - t0).toFixed(0)} done ${(Math.max(...xs.map((e) => e.doneAt)) - t0).toFixed(0)}`,
          );
      }
      for (const [s, es] of stages) {
        const fa = Math.min(...es.map((e) => e.at)) - t0;
        const la = Math.max(...es.map((e) => e.at)) - t0;
        const ld = Math.max(...es.map((e) => e.doneAt)) - t0;
        console.log(
          `${s.padEnd(9)} n=${String(es.length).padStart(4)} first arrives ${fa.toFixed(0).padStart(5)} last arrives ${la.toFixed(0).padStart(5)} last done ${ld.toFixed(0).padStart(5)} bytes ${es.reduce((a, e) => a + e.bytes, 0)}`,
        );
      }
      const tasks = trace.traceEvents
        .filter((e) => e.name === 'RunTask' && e.ph === 'X' && (e.dur ?? 0) > 15000 && pagePids.has(e.pid))
        .map((e) => ({
          thread: threads.get(`${e.pid}:${e.tid}`),
          at: (e.ts - base) / 1000,
          wall: (e.dur ?? 0) / 1000,
          cpu: (e.tdur ?? 0) / 1000,
          e,
        }));
      for (const t of tasks) {
        const inside = trace.traceEvents
          .filter(
            (x) =>
              x.pid === t.e.pid &&
              x.tid === t.e.tid &&
              x.ts >= t.e.ts &&
              x.ts <= t.e.ts + (t.e.dur ?? 0) &&
              x.ph === 'X' &&
              x.name !== 'RunTask' &&
              (x.dur ?? 0) > 5000,
          )
          .slice(0, 4)
          .map(
            (x) =>
              `${x.name}${x.args?.data?.url ? ' ' + x.args.data.url.split('/').pop() : ''} ${((x.dur ?? 0) / 1000).toFixed(0)}`,
          );
        console.log(
          `task ${t.thread} at ${t.at.toFixed(0)} wall ${t.wall.toFixed(0)} cpu ${t.cpu.toFixed(0)}: ${inside.join('; ')}`,
        );
      }
      const marks = trace.traceEvents.filter((e) => e.name.startsWith('normscope:'));
      for (const m of marks.sort((x, y) => x.ts - y.ts))
        console.log(
          `mark ${m.name.padEnd(28)} ${String(threads.get(`${m.pid}:${m.tid}`)).slice(0, 12)}:${m.tid} at ${((m.ts - base) / 1000).toFixed(0)}`,
        );
    }),
  );
}

await main();
