// Bounded concurrency: how many requests a load keeps in flight. The bound can change while tasks
// wait (a load learns whether the server multiplexes only after its first answer).

export type Limiter = <T>(task: () => Promise<T>) => Promise<T>;

export interface AdjustableLimiter extends Limiter {
  /** a new bound; waiting tasks start at once when it grew */
  setLimit(limit: number): void;
  readonly limit: number;
}

/** Run tasks FIFO with at most `limit` running at once. */
export function createLimiter(limit: number): AdjustableLimiter {
  let max = Math.max(1, Math.floor(limit));
  let running = 0;
  const queue: (() => void)[] = [];
  const next = () => {
    while (running < max) {
      const start = queue.shift();
      if (!start) return;
      running++;
      start();
    }
  };
  const run = <T>(task: () => Promise<T>) =>
    new Promise<T>((resolve, reject) => {
      queue.push(() => {
        task()
          .then(resolve, reject)
          .finally(() => {
            running--;
            next();
          });
      });
      next();
    });
  const limiter = run as AdjustableLimiter;
  Object.defineProperty(limiter, 'limit', { get: () => max });
  limiter.setLimit = (n: number) => {
    max = Math.max(1, Math.floor(n));
    next();
  };
  return limiter;
}
