// The React tree of the app: imported by main.tsx once the comparison's loads are under way, so that
// React and the views are evaluated in a task of their own, while the first requests are in flight.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import type { AppStore } from '../state/store';
import type { RelativesActions } from '../state/relativesActions';
import { RelativesProvider } from '../state/relativesContext';
import { StoreProvider } from '../state/storeContext';
import { App } from './App';

export function mountApp(root: HTMLElement, store: AppStore, relatives: RelativesActions): void {
  createRoot(root).render(
    <StrictMode>
      <StoreProvider store={store}>
        <RelativesProvider actions={relatives}>
          <App />
        </RelativesProvider>
      </StoreProvider>
    </StrictMode>,
  );
}
