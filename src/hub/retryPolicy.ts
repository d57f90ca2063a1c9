// When a request is tried again, and when a range is given up: the one home of the retry policy.
//
// A transient failure (dropped connection, short or truncated body, 5xx, 429 after its
// Retry-After) is retried with exponential backoff and jitter. A range is abandoned only when it
// has failed at least `rangeMinTries` times AND no range from the same origin has arrived whole for
// `quietMs` (the network stopped delivering), or after `rangeMaxTries` failures whatever else
// succeeds (a server that truncates one range every time would otherwise be retried forever).
// README "Retries" states the same numbers.

export interface RetryOptions {
  /** tries of one request on 429/5xx/network errors before fetchWithRetry gives up */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** a range is never abandoned before this many failures */
  rangeMinTries: number;
  /** a range is always abandoned after this many failures */
  rangeMaxTries: number;
  /** a range past rangeMinTries is abandoned once its origin has delivered nothing for this long */
  quietMs: number;
  /** one request, body included, is abandoned (and counts as a transient failure) after this long */
  requestTimeoutMs: number;
  /** injectable for tests */
  random: () => number;
  now: () => number;
}

export const DEFAULT_RETRY: RetryOptions = {
  maxAttempts: 4,
  baseDelayMs: 400,
  maxDelayMs: 8000,
  rangeMinTries: 3,
  rangeMaxTries: 10,
  quietMs: 15_000,
  requestTimeoutMs: 60_000,
  random: Math.random,
  now: () => Date.now(),
};

export function retryOptions(partial?: Partial<RetryOptions>): RetryOptions {
  return { ...DEFAULT_RETRY, ...partial };
}

/** Exponential backoff with jitter before try `attempt + 1`: min(max, base·2^(attempt−1)) · [0.5, 1.5). */
export function backoffMs(attempt: number, retry: RetryOptions): number {
  return Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (attempt - 1)) * (0.5 + retry.random());
}

const originOf = (url: string): string => {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
};

/** When each origin last delivered a range whole: "is the network still delivering?" */
export class OriginHealth {
  private readonly last = new Map<string, number>();

  success(url: string, now: number): void {
    this.last.set(originOf(url), now);
  }

  lastSuccess(url: string): number | undefined {
    return this.last.get(originOf(url));
  }
}

/** Shared by every load in this thread (the loader worker), so a load sees the others' successes. */
export const sharedOriginHealth = new OriginHealth();

export interface RangeFailures {
  /** failures of this range so far */
  failures: number;
  /** when this range was first asked for */
  startedMs: number;
}

/** Give this range up now? (see the header comment) */
export function shouldAbandonRange(
  state: RangeFailures,
  url: string,
  health: OriginHealth,
  retry: RetryOptions,
): boolean {
  if (state.failures >= retry.rangeMaxTries) return true;
  if (state.failures < retry.rangeMinTries) return false;
  const lastDelivered = Math.max(health.lastSuccess(url) ?? -Infinity, state.startedMs);
  return retry.now() - lastDelivered >= retry.quietMs;
}
