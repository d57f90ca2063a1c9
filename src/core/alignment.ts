// Best layer correspondence between a child (rows) and a parent (cols) from a Pearson matrix:
// runs of consecutive layers (i→j, i+1→j+1, or reversed i→j, i+1→j−1) joined by jumps that
// may skip forward or go back, and "gap" rows matched to nothing. Depth up-scaling repeats a
// parent block, pruning skips one, so both are a few runs with jumps between them. A cell
// scores r − threshold, less a charge for falling short of the best r in its row or column.

/**
 * Cost of starting a run, in units of cell score (r above the threshold). A run must gain more
 * than this to exist, so noise cells just over the threshold never form one, while a 5-layer
 * run at r = threshold + 0.1 (a weak but real relation) already pays for itself.
 */
export const JUMP_PENALTY = 0.5;

/**
 * Weight of a cell's shortfall below the best r in its row or column. In a related pair every
 * cell is far above the null (layers of one model correlate 0.3–0.9), so r − threshold alone
 * would reward matching a dropped layer to a mere neighbour; with this weight a cell 0.1 below
 * the best of its row or column loses 0.4, and only near-best cells pay for a run.
 */
export const SHORTFALL_WEIGHT = 4;

export interface AlignmentSegment {
  childStart: number;
  childEnd: number;
  /** parentEnd < parentStart for a reversed run */
  parentStart: number;
  parentEnd: number;
  meanR: number;
}

export interface LayerAlignment {
  segments: AlignmentSegment[];
  /** matched cells [child layer, parent layer] in child order */
  path: [number, number][];
  /** mean r over the matched cells */
  meanR: number;
  /** Σ cell scores over matched cells − JUMP_PENALTY per run; > 0 by construction */
  score: number;
}

export interface AlignmentOptions {
  /** r a cell must exceed to count for a match: the null max-statistic threshold, or a baseline */
  threshold: number;
  jumpPenalty?: number;
  allowReverse?: boolean;
}

const GAP = 0;

/**
 * Dynamic programme over child rows with states gap / forward run at j / reversed run at j.
 * Entering a run from any state costs the penalty, continuing one is free, so each row costs
 * O(cols) after one max over the previous row: O(rows·cols) in all. Null when no run beats it.
 */
export function alignLayers(
  pearson: Float64Array,
  rows: number,
  cols: number,
  options: AlignmentOptions,
): LayerAlignment | null {
  if (rows === 0 || cols === 0) return null;
  const penalty = options.jumpPenalty ?? JUMP_PENALTY;
  const allowReverse = options.allowReverse ?? true;
  const states = 1 + 2 * cols; // 0 gap, 1+j forward at j, 1+cols+j reversed at j
  const forward = (j: number) => 1 + j,
    reversed = (j: number) => 1 + cols + j;
  const score = cellScores(pearson, rows, cols, options.threshold);
  let previous = new Float64Array(states),
    current = new Float64Array(states);
  const from = new Int32Array(rows * states).fill(-1);
  for (let i = 0; i < rows; i++) {
    let bestState = GAP,
      best = i === 0 ? 0 : (previous[GAP] as number);
    if (i > 0) {
      for (let s = 1; s < states; s++) {
        if ((previous[s] as number) > best) {
          best = previous[s] as number;
          bestState = s;
        }
      }
    }
    current[GAP] = best;
    from[i * states + GAP] = i === 0 ? -1 : bestState;
    const restart = best - penalty;
    const restartFrom = i === 0 ? -1 : bestState;
    for (let j = 0; j < cols; j++) {
      const cell = score[i * cols + j] as number;
      const continued = i > 0 && j > 0 ? (previous[forward(j - 1)] as number) : -Infinity;
      current[forward(j)] = cell + Math.max(continued, restart);
      from[i * states + forward(j)] = continued >= restart ? forward(j - 1) : restartFrom;
      const continuedBack = allowReverse && i > 0 && j + 1 < cols ? (previous[reversed(j + 1)] as number) : -Infinity;
      current[reversed(j)] = allowReverse ? cell + Math.max(continuedBack, restart) : -Infinity;
      from[i * states + reversed(j)] = continuedBack >= restart ? reversed(j + 1) : restartFrom;
    }
    [previous, current] = [current, previous];
  }
  let endState = GAP;
  for (let s = 1; s < states; s++) if ((previous[s] as number) > (previous[endState] as number)) endState = s;
  const total = previous[endState] as number;
  if (!(total > 0)) return null;

  const path: [number, number][] = [];
  const stateOfRow = new Int32Array(rows);
  for (let i = rows - 1, s = endState; i >= 0; i--) {
    stateOfRow[i] = s;
    s = from[i * states + s] as number;
  }
  for (let i = 0; i < rows; i++) {
    const s = stateOfRow[i] as number;
    if (s !== GAP) path.push([i, s <= cols ? s - 1 : s - 1 - cols]);
  }
  const segments = segmentsOf(path, stateOfRow, cols, pearson);
  if (segments.length === 0) return null;
  const meanR = path.reduce((total, [i, j]) => total + (pearson[i * cols + j] as number), 0) / path.length;
  return { segments, path, meanR, score: total };
}

/** (r − threshold) − SHORTFALL_WEIGHT·(best r of the cell's row or column − r); NaN cells cannot match. */
function cellScores(pearson: Float64Array, rows: number, cols: number, threshold: number): Float64Array {
  const rowBest = new Float64Array(rows).fill(-Infinity),
    colBest = new Float64Array(cols).fill(-Infinity);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const r = pearson[i * cols + j] as number;
      if (r > (rowBest[i] as number)) rowBest[i] = r; // NaN compares false
      if (r > (colBest[j] as number)) colBest[j] = r;
    }
  }
  return pearson.map((r, cell) => {
    if (Number.isNaN(r)) return -Infinity;
    const best = Math.max(rowBest[Math.floor(cell / cols)] as number, colBest[cell % cols] as number);
    return r - threshold - SHORTFALL_WEIGHT * (best - r);
  });
}

/** Runs are maximal stretches of consecutive child rows in one direction with matching parent steps. */
function segmentsOf(
  path: [number, number][],
  stateOfRow: Int32Array,
  cols: number,
  pearson: Float64Array,
): AlignmentSegment[] {
  const segments: AlignmentSegment[] = [];
  const sums: number[] = [];
  let step = 0;
  for (const [i, j] of path) {
    const direction = (stateOfRow[i] as number) <= cols ? 1 : -1;
    const r = pearson[i * cols + j] as number;
    const last = segments[segments.length - 1];
    if (last && direction === step && last.childEnd === i - 1 && last.parentEnd + step === j) {
      last.childEnd = i;
      last.parentEnd = j;
      sums[sums.length - 1]! += r;
    } else {
      segments.push({ childStart: i, childEnd: i, parentStart: j, parentEnd: j, meanR: NaN });
      sums.push(r);
      step = direction;
    }
  }
  segments.forEach((s, k) => {
    s.meanR = (sums[k] as number) / (s.childEnd - s.childStart + 1);
  });
  return segments;
}

/**
 * "child 0–19 ↔ parent 0–19, child 20–39 ↔ parent 10–29" (en dashes; a single layer as one number).
 * Pass labels to name the models, e.g. { child: 'B', parent: 'A' }.
 */
export function formatSegments(segments: AlignmentSegment[], labels = { child: 'child', parent: 'parent' }): string {
  const span = (start: number, end: number) => (start === end ? `${start}` : `${start}–${end}`);
  return segments
    .map(
      (s) => `${labels.child} ${span(s.childStart, s.childEnd)} ↔ ${labels.parent} ${span(s.parentStart, s.parentEnd)}`,
    )
    .join(', ');
}
