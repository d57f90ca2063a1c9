// Frame-time probe: a ring buffer of frame intervals (ms) filled while an animation plays,
// published as `window.__normscopeFrames` so the bench and the browser suite can read it.

export interface FrameSummary {
  count: number;
  meanMs: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  /** mean frames per second over the recorded intervals */
  fps: number;
}

export const FRAME_RING_SIZE = 1200;

export class FrameRing {
  private buf: Float64Array;
  private next = 0;
  private filled = 0;
  constructor(readonly capacity = FRAME_RING_SIZE) {
    this.buf = new Float64Array(capacity);
  }
  push(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) return;
    this.buf[this.next] = ms;
    this.next = (this.next + 1) % this.capacity;
    this.filled = Math.min(this.capacity, this.filled + 1);
  }
  clear(): void {
    this.next = 0;
    this.filled = 0;
  }
  /** oldest first */
  values(): number[] {
    const start = this.filled < this.capacity ? 0 : this.next;
    return Array.from({ length: this.filled }, (_, i) => this.buf[(start + i) % this.capacity]!);
  }
  summary(): FrameSummary {
    return summarize(this.values());
  }
}

export function summarize(values: number[]): FrameSummary {
  if (values.length === 0) return { count: 0, meanMs: NaN, p50Ms: NaN, p95Ms: NaN, maxMs: NaN, fps: NaN };
  const sorted = [...values].sort((x, y) => x - y);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  const mean = values.reduce((s, x) => s + x, 0) / values.length;
  return {
    count: values.length,
    meanMs: mean,
    p50Ms: at(0.5),
    p95Ms: at(0.95),
    maxMs: sorted[sorted.length - 1]!,
    fps: 1000 / mean,
  };
}

/** The page-wide probe (one per page; created on first use). */
export function frameProbe(): FrameRing {
  const w = globalThis as unknown as { __normscopeFrames?: FrameRing };
  w.__normscopeFrames ??= new FrameRing();
  return w.__normscopeFrames;
}
