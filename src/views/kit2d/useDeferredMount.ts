// Parts of a view that can wait: drawn in a transition after the rest, which React renders in
// slices between frames, so the first render with new data stays a short task.
import { startTransition, useEffect, useState } from 'react';

/** False on the render where `active` turns true, true once the deferred render has run; resets when `active` turns false. */
export function useDeferredMount(active: boolean): boolean {
  const [ready, setReady] = useState(false);
  useEffect(() => {
    if (!active) setReady(false);
    else startTransition(() => setReady(true));
  }, [active]);
  return active && ready;
}
