import { describe, expect, it } from 'vitest';
import { FrameRing, frameProbe, summarize } from './frameStats';

describe('frame ring', () => {
  it('keeps the newest values, oldest first', () => {
    const ring = new FrameRing(3);
    [1, 2, 3, 4, 5].forEach((x) => ring.push(x));
    expect(ring.values()).toEqual([3, 4, 5]);
    ring.push(NaN);
    ring.push(-1);
    expect(ring.values()).toEqual([3, 4, 5]);
    ring.clear();
    expect(ring.values()).toEqual([]);
  });
  it('summarises intervals as mean, percentiles and fps', () => {
    const s = summarize([10, 20, 20, 30, 100]);
    expect(s).toMatchObject({ count: 5, meanMs: 36, p50Ms: 20, p95Ms: 100, maxMs: 100 });
    expect(s.fps).toBeCloseTo(1000 / 36, 12);
    expect(summarize([]).count).toBe(0);
  });
  it('publishes one probe per page on globalThis', () => {
    const probe = frameProbe();
    expect(frameProbe()).toBe(probe);
    expect((globalThis as unknown as { __normscopeFrames: FrameRing }).__normscopeFrames).toBe(probe);
  });
});
