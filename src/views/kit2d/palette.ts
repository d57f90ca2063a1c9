// One colour and marker per model position, the same in every view (2-D charts, ridges, the PCA). The
// first two follow the app's series colours (purple, grey), as the seed draws Solar purple and GLM grey;
// the rest are Okabe–Ito / Tol hues picked so that any two stay ΔE2000 ≥ 10 apart with normal vision and
// with simulated protanopia, deuteranopia and tritanopia (colourVision.test.ts checks it).

export type MarkerShape = 'circle' | 'square' | 'triangle' | 'diamond';

export const MODEL_COLORS = [
  '#6a3fb5',
  '#5f6368',
  '#e69f00',
  '#56b4e9',
  '#228833',
  '#ee6677',
  '#cc79a7',
  '#543005',
] as const;
const MARKERS: readonly MarkerShape[] = ['circle', 'square', 'triangle', 'diamond'];

export function modelColor(index: number): string {
  return MODEL_COLORS[((index % MODEL_COLORS.length) + MODEL_COLORS.length) % MODEL_COLORS.length]!;
}

export function modelMarker(index: number): MarkerShape {
  return MARKERS[((index % MARKERS.length) + MARKERS.length) % MARKERS.length]!;
}

/** The seed's red dashed line for γ's initial value 1.0, and its red layer marker. */
export const INIT_COLOR = '#d92d20';

/** How opaque the ridge fills are: enough that two overlaid models stay apart for colour-blind readers. */
export const RIDGE_FILL_OPACITY = 0.6;
