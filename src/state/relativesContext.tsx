// The app's one relatives-actions instance (made in main.tsx with the worker dependencies), for the
// components that start, cancel and show the search.
import { createContext, useContext, type ReactNode } from 'react';
import type { RelativesActions } from './relativesActions';

const RelativesContext = createContext<RelativesActions | null>(null);

export function RelativesProvider({ actions, children }: { actions: RelativesActions; children: ReactNode }) {
  return <RelativesContext.Provider value={actions}>{children}</RelativesContext.Provider>;
}

/** null outside the provider (component tests): the search buttons then do not show. */
export function useRelativesActions(): RelativesActions | null {
  return useContext(RelativesContext);
}
