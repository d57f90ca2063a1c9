// One colour and marker per model position, the same in every 2-D view. The first two follow
// the app's series colours (purple, grey), as the seed draws Solar purple and GLM grey.

export type MarkerShape = 'circle' | 'square' | 'triangle' | 'diamond';

const COLORS = ['#6a3fb5', '#5f6368', '#2e9e5b', '#d9822b', '#1f77b4', '#c2185b', '#8c6d31', '#17a2b8'] as const;
const MARKERS: readonly MarkerShape[] = ['circle', 'square', 'triangle', 'diamond'];

export function modelColor(index: number): string {
  return COLORS[((index % COLORS.length) + COLORS.length) % COLORS.length]!;
}

export function modelMarker(index: number): MarkerShape {
  return MARKERS[((index % MARKERS.length) + MARKERS.length) % MARKERS.length]!;
}

/** The seed's red dashed line for γ's initial value 1.0, and its red layer marker. */
export const INIT_COLOR = '#d92d20';
