import { describe, expect, it } from 'vitest';
import { longestByPhase } from './mainThread';

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
});
