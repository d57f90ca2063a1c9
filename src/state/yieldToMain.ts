// Lets the browser paint and handle input between two store updates, so that each update's
// render is a task of its own rather than one long task.
type Scheduler = { yield?: () => Promise<void> };

export function yieldToMain(): Promise<void> {
  const scheduler = (globalThis as { scheduler?: Scheduler }).scheduler;
  if (scheduler?.yield) return scheduler.yield();
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** The longest a verdict waits for the heatmaps' paint (a hidden tab gets no animation frames). */
const PAINT_WAIT_MS = 100;

/**
 * Resolves once the browser has painted what the last store update rendered (a frame, then a task),
 * or after PAINT_WAIT_MS. The verdicts take both compute workers, that is every core of a small
 * machine: started before the paint, they would hold the heatmaps back from the screen.
 */
export function afterPaint(): Promise<void> {
  const raf = (globalThis as { requestAnimationFrame?: (cb: () => void) => number }).requestAnimationFrame;
  if (typeof raf !== 'function') return yieldToMain();
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, PAINT_WAIT_MS);
    raf(() =>
      setTimeout(() => {
        clearTimeout(timer);
        resolve();
      }, 0),
    );
  });
}
