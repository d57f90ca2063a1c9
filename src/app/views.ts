// Every view of the app, in tab order. `view=` in the URL picks one.
import type { ViewDef } from '../views/viewTypes';
// the default view is in the first bundle: tests and users read it as soon as the data is in
import { CompareView } from '../views/compare/CompareView';
import { FIGURE_VIEWS_2D } from '../views/figures2d';
import { FIGURE_VIEWS_3D } from '../views/figures3d';
import { lazy } from 'react';

export const VIEWS: ViewDef[] = [
  { id: 'compare', label: 'Compare', figure: 'Figures 1c, 2', Component: CompareView },
  ...FIGURE_VIEWS_2D,
  ...FIGURE_VIEWS_3D,
  {
    id: 'lineage',
    label: 'Lineage',
    figure: 'declared vs measured',
    Component: lazy(() => import('../views/lineage/LineageView').then((m) => ({ default: m.LineageView }))),
  },
];

export function findView(id: string): ViewDef | undefined {
  return VIEWS.find((v) => v.id === id);
}
