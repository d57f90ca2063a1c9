import type { ComponentType } from 'react';

/** One view of the app, reachable by `view=<id>` in the permalink. */
export interface ViewDef {
  id: string;
  /** short tab label */
  label: string;
  /** which figure of the seed analysis it makes live, e.g. "Figure 6" */
  figure?: string;
  Component: ComponentType;
}
