// The one frame every view sits in: a heading naming the view and the seed figure it reproduces, the
// figure's downloads (PNG, SVG where it is a 2-D chart, CSV where the view gives its numbers), a note
// on how to read it, the view's controls, then the view itself.
import type { ReactNode, RefObject } from 'react';
import { FigureActions } from './FigureActions';

export interface ViewFrameProps {
  /** the view's id: names the downloads (`normscope-<id>.png`) and, by default, the test id */
  id: string;
  title: string;
  /** e.g. "seed Figure 3-1" */
  figure?: string;
  note?: ReactNode;
  /** the element the PNG/SVG downloads draw; no downloads without it */
  figureRef?: RefObject<Element | null>;
  /** SVG download beside PNG (2-D charts); 3-D views draw into a canvas */
  svg?: boolean;
  /** the numbers shown, as CSV text, for a CSV button beside PNG and SVG */
  csv?: () => string;
  /** beside the title, before the downloads (e.g. a data toggle) */
  header?: ReactNode;
  controls?: ReactNode;
  /** the section's class (layout of the view's body) */
  className?: string;
  /** the section's test id, when the browser suite knows it by another name than `view-<id>` */
  testId?: string;
  children: ReactNode;
}

export function ViewFrame(p: ViewFrameProps) {
  return (
    <section
      className={p.className ?? 'f2d'}
      data-testid={p.testId ?? `view-${p.id}`}
      aria-labelledby={`view-${p.id}-title`}
    >
      <div className="view-header">
        <h2 id={`view-${p.id}-title`}>{p.title}</h2>
        {p.figure && <span className="view-figure">{p.figure}</span>}
        {p.header}
        {p.figureRef && <FigureActions target={p.figureRef} name={`normscope-${p.id}`} svg={p.svg} csv={p.csv} />}
      </div>
      {p.note && <p className="view-note">{p.note}</p>}
      {p.controls && <div className="controls view-controls">{p.controls}</div>}
      {p.children}
    </section>
  );
}
