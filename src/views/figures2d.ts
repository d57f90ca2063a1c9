// 2-D figure views (registered in src/app/views.ts): every figure of the seed analysis, live for
// any loaded models. Each lives in src/views/<id>/ as a pure *Model.ts and a thin component.
import type { ViewDef } from './viewTypes';
import { IntuitionView } from './intuition/IntuitionView';
import { DiffView } from './diff/DiffView';
import { PairsView } from './pairs/PairsView';
import { StatsView } from './stats/StatsView';
import { RidgeView } from './ridge/RidgeView';
import { WithinView } from './within/WithinView';
import { PrecisionView } from './precision/PrecisionView';

export const FIGURE_VIEWS_2D: ViewDef[] = [
  { id: 'intuition', label: 'Cosine vs r', figure: 'Figures 1, 3, 4', Component: IntuitionView },
  { id: 'pairs', label: 'All pairs', figure: 'Figure 5, Appendix E', Component: PairsView },
  { id: 'diff', label: 'Fine-tune diff', figure: 'Figure 3-1', Component: DiffView },
  { id: 'stats', label: 'Layer stats', figure: 'Figure 8', Component: StatsView },
  { id: 'ridge', label: 'Ridges', figure: 'Figure 9', Component: RidgeView },
  { id: 'within', label: 'Input − post', figure: 'Figure 10', Component: WithinView },
  { id: 'precision', label: 'Precision', figure: 'future work', Component: PrecisionView },
];
