// Bounded concurrency: the Hub rate-limits resolvers per IP, and a browser opens ~6 connections
// per origin anyway, so a load never has more requests in flight than this.

export type Limiter = <T>(task: () => Promise<T>) => Promise<T>;

/** Run tasks FIFO with at most `limit` running at once. */
export function createLimiter(limit: number): Limiter {
  const max = Math.max(1, Math.floor(limit));
  let running = 0;
  const queue: (() => void)[] = [];
  const next = () => {
    if (running >= max) return;
    const start = queue.shift();
    if (start) {
      running++;
      start();
    }
  };
  return <T>(task: () => Promise<T>) =>
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
}
