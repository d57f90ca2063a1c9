// Ranges a load has already received whole and checked, kept while that load may be retried: a
// Retry after a failure reads only what is missing. URLs are pinned to a commit sha, so the bytes
// at a URL and range never change.
import type { RangeResult } from './rangeResult.ts';

/** Most bytes one failed load keeps for its Retry (a norm load reads well under this). */
export const VERIFIED_RANGES_CAP = 64 * 1024 * 1024;

export class VerifiedRanges {
  private readonly ranges = new Map<string, RangeResult>();
  private held = 0;
  /** ranges answered from here (for tests and the transfer line) */
  hits = 0;

  constructor(private readonly cap = VERIFIED_RANGES_CAP) {}

  private static key(url: string, start: number, end: number): string {
    return `${url} ${start}-${end}`;
  }

  get(url: string, start: number, end: number): RangeResult | undefined {
    const hit = this.ranges.get(VerifiedRanges.key(url, start, end));
    if (hit) this.hits++;
    return hit;
  }

  put(url: string, start: number, end: number, result: RangeResult): void {
    const size = result.bytes.byteLength + (result.whole?.byteLength ?? 0);
    if (this.held + size > this.cap) return;
    const key = VerifiedRanges.key(url, start, end);
    if (this.ranges.has(key)) return;
    this.ranges.set(key, result);
    this.held += size;
  }

  get bytes(): number {
    return this.held;
  }
}
