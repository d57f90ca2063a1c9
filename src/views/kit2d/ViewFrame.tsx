// The frame every 2-D view shares: title naming the seed figure, a note on how to read it,
// PNG/SVG download of the figure, controls, and a plain empty state.
import type { ReactNode, RefObject } from 'react';
import { FigureActions } from '../FigureActions';
import '../figures2d.css';

export interface ViewFrameProps {
  id: string;
  title: string;
  /** e.g. "seed Figure 3-1" */
  figure: string;
  note: ReactNode;
  figureRef: RefObject<Element | null>;
  controls?: ReactNode;
  /** the numbers shown, as CSV text, for a CSV button beside PNG and SVG */
  csv?: () => string;
  children: ReactNode;
}

export function ViewFrame({ id, title, figure, note, figureRef, controls, csv, children }: ViewFrameProps) {
  return (
    <section className="f2d" data-testid={`view-${id}`}>
      <div className="view-header">
        <h2>{title}</h2>
        <span className="f2d-figure">{figure}</span>
        <FigureActions target={figureRef} name={`normscope-${id}`} csv={csv} />
      </div>
      <p className="view-note">{note}</p>
      {controls && <div className="controls f2d-controls">{controls}</div>}
      {children}
    </section>
  );
}

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
