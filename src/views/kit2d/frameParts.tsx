// Parts of the 2-D views' frame (the frame itself is ../ViewFrame): a plain empty state and the
// readout box, a named live region that announces what the pointer or the keyboard reads.
import type { ReactNode } from 'react';
import '../figures2d.css';

export function EmptyState({ id, children }: { id: string; children: ReactNode }) {
  return (
    <p className="f2d-empty" data-testid={`empty-${id}`}>
      {children}
    </p>
  );
}

/** Hover readout box: what is under the pointer, or a hint when nothing is. */
export function Readout({ id, hint, children }: { id: string; hint: string; children?: ReactNode }) {
  return (
    <div className="f2d-readout" data-testid={`readout-${id}`} role="status" aria-live="polite" aria-label="Reading">
      {children ?? <span className="muted">{hint}</span>}
    </div>
  );
}
