import { describe, expect, it } from 'vitest';
import { longestByPhase, longestTask } from './mainThread';

describe('longestByPhase', () => {
  it('takes the renderer main thread only and splits its tasks at the load marks', () => {
    const meta = (tid: number, name: string) => ({ name: 'thread_name', ph: 'M', ts: 0, pid: 1, tid, args: { name } });
    const task = (tid: number, ts: number, ms: number) => ({
      name: 'RunTask',
      ph: 'X',
      ts,
      dur: ms * 1000,
      pid: 1,
      tid,
    });
    const mark = (name: string, ts: number) => ({ name, ph: 'R', ts, pid: 1, tid: 1, cat: 'blink.user_timing' });
    const events = [
      meta(1, 'CrRendererMain'),
      meta(2, 'Compositor'),
      task(1, 100, 30),
      mark('normscope:load-start', 1000),
      task(1, 2000, 12),
      task(2, 2000, 400),
      mark('normscope:load-end', 5000),
      task(1, 6000, 44),
      task(1, 7000, 8),
    ];
    expect(longestByPhase(events)).toEqual({ startup: 30, during: 12, after: 44 });
  });

  it("leaves out Chromium's own renderers: only the process that marked the load is the page", () => {
    const meta = (pid: number) => ({
      name: 'thread_name',
      ph: 'M',
      ts: 0,
      pid,
      tid: pid,
      args: { name: 'CrRendererMain' },
    });
    const task = (pid: number, ts: number, ms: number, cpu: number) => ({
      name: 'RunTask',
      ph: 'X',
      ts,
      dur: ms * 1000,
      tdur: cpu * 1000,
      pid,
      tid: pid,
    });
    const mark = { name: 'normscope:load-start', ph: 'R', ts: 500, pid: 7, tid: 7, cat: 'blink.user_timing' };
    // pid 9 is a WebUI renderer evaluating its modules; pid 7 is the app
    const end = { ...mark, name: 'normscope:load-end', ts: 2000 };
    const events = [meta(7), meta(9), task(9, 100, 900, 150), task(7, 200, 40, 30), mark, task(7, 900, 25, 20), end];
    const t = longestTask(events);
    expect([t.ms, t.cpuMs, t.longestCpuMs]).toEqual([40, 30, 30]);
    expect(t.fromLoadStart).toEqual({ ms: 25, cpuMs: 20 });
    expect(longestByPhase(events)).toEqual({ startup: 40, during: 25, after: 0 });
  });
});
