import { Suspense } from 'react';
import { useApp, useAppStore } from '../state/storeContext';
import { setQuery } from '../state/actions';
import { VIEWS, findView } from './views';
import { ModelPicker } from '../views/picker/ModelPicker';
import { ProgressList } from '../views/picker/ProgressList';
import { Toolbar } from './Toolbar';
import { ErrorBoundary, ViewFailed } from '../views/ErrorBoundary';
import { isDemoRepo } from './demo';
import { DropOverlay } from '../views/local/DropOverlay';

export function App() {
  const queryErrors = useApp((s) => s.queryErrors);
  const view = useApp((s) => s.query.view);
  const demo = useApp((s) => s.query.models.some((m) => !m.local && isDemoRepo(m.repo)));
  const notice = useApp((s) => s.notice);
  const store = useAppStore();
  const current = findView(view);
  return (
    <div className="app">
      <header>
        <h1>
          NormScope{' '}
          <span className="tagline">do two language models share ancestry? Their norm weights, compared honestly.</span>
        </h1>
        {demo && (
          <p className="demo-label" data-testid="demo-label">
            Built-in demo: these models are <b>synthetic</b>, generated to resemble GLM-4.5-Air, a fine-tune of it and
            Solar-Open-100B.
          </p>
        )}
      </header>
      <ModelPicker />
      <DropOverlay />
      {queryErrors.length > 0 && (
        <ul className="query-errors" role="alert" data-testid="query-errors">
          {queryErrors.map((e) => (
            <li key={e}>{e}</li>
          ))}
        </ul>
      )}
      {notice && <p className="notice">{notice}</p>}
      <ProgressList />
      <Toolbar />
      <nav className="tabs" aria-label="Views">
        {VIEWS.map((v) => (
          <button
            key={v.id}
            aria-pressed={v.id === view}
            data-testid={`view-tab-${v.id}`}
            title={v.figure ? `the seed analysis' ${v.figure}` : undefined}
            onClick={() => setQuery(store, { view: v.id })}
          >
            {v.label}
          </button>
        ))}
      </nav>
      <ErrorBoundary key={view} what="view" fallback={(error, retry) => <ViewFailed error={error} retry={retry} />}>
        {current ? (
          <Suspense fallback={<p className="muted">loading the view…</p>}>
            <current.Component />
          </Suspense>
        ) : (
          <p className="query-errors" role="alert">
            Unknown view “{view}”. Known views: {VIEWS.map((v) => v.id).join(', ')}.
          </p>
        )}
      </ErrorBoundary>
    </div>
  );
}
