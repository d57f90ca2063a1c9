import { describe, expect, it } from 'vitest';
import { createLimiter } from './limit.ts';

describe('createLimiter', () => {
  it('never runs more than the limit at once, in FIFO order, and passes results and errors through', async () => {
    const limit = createLimiter(3);
    let running = 0;
    let peak = 0;
    const order: number[] = [];
    const task = (i: number) => async () => {
      running++;
      peak = Math.max(peak, running);
      order.push(i);
      await new Promise((r) => setTimeout(r, 5));
      running--;
      if (i === 4) throw new Error('task 4 failed');
      return i * 10;
    };
    const results = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => limit(task(i))));
    expect(peak).toBe(3);
    expect(order).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(results[2]).toEqual({ status: 'fulfilled', value: 20 });
    expect(results[4]).toMatchObject({ status: 'rejected' });
    expect(results[9]).toEqual({ status: 'fulfilled', value: 90 });
  });
});

describe('setLimit', () => {
  it('starts waiting tasks at once when the bound grows', async () => {
    const limit = createLimiter(1);
    let running = 0;
    let peak = 0;
    const task = async () => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, 5));
      running--;
    };
    const all = Promise.all(Array.from({ length: 6 }, () => limit(task)));
    limit.setLimit(4);
    expect(limit.limit).toBe(4);
    await all;
    expect(peak).toBe(4);
  });
});
