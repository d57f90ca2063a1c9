// 3-D figure views (three.js through @react-three/fiber; registered in src/app/views.ts).
import type { ViewDef } from './viewTypes';

export const FIGURE_VIEWS_3D: ViewDef[] = [];
