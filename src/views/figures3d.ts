// 3-D figure views (three.js through @react-three/fiber; registered in src/app/views.ts).
import { lazy } from 'react';
import type { ViewDef } from './viewTypes';
import './figures3d.css';

// three.js loads only when a 3-D view is opened.

export const FIGURE_VIEWS_3D: ViewDef[] = [
  {
    id: 'centering',
    label: 'Centering (3-D)',
    figure: 'Figure 0',
    Component: lazy(() => import('./centering/CenteringView').then((m) => ({ default: m.CenteringView }))),
  },
  {
    id: 'surface',
    label: 'Surface (3-D)',
    figure: 'Figure 6',
    Component: lazy(() => import('./surface/SurfaceView').then((m) => ({ default: m.SurfaceView }))),
  },
  {
    id: 'pca',
    label: 'PCA (3-D)',
    figure: 'Figure 7',
    Component: lazy(() => import('./pca/PcaView').then((m) => ({ default: m.PcaView }))),
  },
];
