// Every 3-D view sits in this: a WebGL check first, then an error boundary; either failure
// explains itself and offers the 2-D views, which show the same data without WebGL.
import type { ReactNode } from 'react';
import { ErrorBoundary } from '../ErrorBoundary';
import { useAppStore } from '../../state/storeContext';
import { setQuery } from '../../state/actions';
import { FIGURE_VIEWS_2D } from '../figures2d';
import { webglAvailable } from './webgl';

function TwoDLinks({ reason }: { reason: string }) {
  const store = useAppStore();
  const views = [
    { id: 'compare', label: 'Compare (heatmaps, cell inspector)' },
    ...FIGURE_VIEWS_2D.map((v) => ({ id: v.id, label: v.label })),
  ];
  return (
    <div className="no-webgl" role="alert" data-testid="webgl-missing">
      <p>
        <b>This 3-D view needs WebGL</b>, and {reason}. Hardware acceleration may be off in the browser settings, or the
        graphics driver is blocked. The numbers behind it are in the 2-D views:
      </p>
      <p className="no-webgl-links">
        {views.map((v) => (
          <button
            key={v.id}
            className="small"
            data-testid={`fallback-${v.id}`}
            onClick={() => setQuery(store, { view: v.id })}
          >
            {v.label}
          </button>
        ))}
      </p>
    </div>
  );
}

export function Figure3D({ children }: { children: ReactNode }) {
  if (!webglAvailable()) return <TwoDLinks reason="this browser did not provide a WebGL context" />;
  return (
    <ErrorBoundary
      what="3-D view"
      fallback={(error) => <TwoDLinks reason={`drawing failed here (${error.message})`} />}
    >
      {children}
    </ErrorBoundary>
  );
}
