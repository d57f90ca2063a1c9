// The recipe std curves as small multiples: the profile lists its points role by role ("L3 gate"), so
// one line through them all would jump between roles; each role gets its own panel over depth instead.
import type { StdProfile } from '../../core/deep/api';

export interface StdPoint {
  /** position in the profile's arrays */
  index: number;
  /** the layer part of the label, e.g. "L3" or "L3/5" (A's layer / B's layer) */
  layer: string;
  a: number;
  b: number;
}

export interface StdRolePanel {
  role: string;
  points: StdPoint[];
}

/** The profile's points grouped by role, in the profile's order. */
export function stdRolePanels(p: StdProfile): StdRolePanel[] {
  const panels: StdRolePanel[] = [];
  p.labels.forEach((label, index) => {
    const cut = label.lastIndexOf(' ');
    const role = cut < 0 ? '' : label.slice(cut + 1);
    const layer = cut < 0 ? label : label.slice(0, cut);
    let panel = panels.find((x) => x.role === role);
    if (!panel) panels.push((panel = { role, points: [] }));
    panel.points.push({ index, layer, a: p.stdA[index]!, b: p.stdB[index]! });
  });
  return panels;
}

/** An SVG path through finite values, broken where a value is missing. */
export function brokenPath(values: readonly number[], x: (i: number) => number, y: (v: number) => number): string {
  return values
    .map((v, i) => {
      if (!Number.isFinite(v)) return '';
      const move = i === 0 || !Number.isFinite(values[i - 1]!);
      return `${move ? 'M' : 'L'}${x(i).toFixed(1)},${y(v).toFixed(1)}`;
    })
    .join('');
}
