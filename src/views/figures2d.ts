// 2-D figure views (registered in src/app/views.ts): every figure of the seed analysis, live for
// any loaded models. Each lives in src/views/<id>/ as a pure *Model.ts and a thin component.
import { lazy } from 'react';
import type { ViewDef } from './viewTypes';

// Views load on first use, so the comparison opens without their code.

export const FIGURE_VIEWS_2D: ViewDef[] = [
  {
    id: 'intuition',
    label: 'Cosine vs r',
    figure: 'Figures 1, 3, 4',
    Component: lazy(() => import('./intuition/IntuitionView').then((m) => ({ default: m.IntuitionView }))),
  },
  {
    id: 'pairs',
    label: 'All pairs',
    figure: 'Figure 5, Appendix E',
    Component: lazy(() => import('./pairs/PairsView').then((m) => ({ default: m.PairsView }))),
  },
  {
    id: 'diff',
    label: 'Fine-tune diff',
    figure: 'Figure 3-1',
    Component: lazy(() => import('./diff/DiffView').then((m) => ({ default: m.DiffView }))),
  },
  {
    id: 'stats',
    label: 'Layer stats',
    figure: 'Figure 8',
    Component: lazy(() => import('./stats/StatsView').then((m) => ({ default: m.StatsView }))),
  },
  {
    id: 'ridge',
    label: 'Ridges',
    figure: 'Figure 9',
    Component: lazy(() => import('./ridge/RidgeView').then((m) => ({ default: m.RidgeView }))),
  },
  {
    id: 'within',
    label: 'Input − post',
    figure: 'Figure 10',
    Component: lazy(() => import('./within/WithinView').then((m) => ({ default: m.WithinView }))),
  },
  {
    id: 'precision',
    label: 'Precision',
    figure: 'future work',
    Component: lazy(() => import('./precision/PrecisionView').then((m) => ({ default: m.PrecisionView }))),
  },
];
