// 2-D figure views (registered in src/app/views.ts).
import type { ViewDef } from './viewTypes';

export const FIGURE_VIEWS_2D: ViewDef[] = [];
