// Canvas heatmap: cells as one pixel each, scaled up without smoothing (128×128 stays smooth);
// axes, diagonal, hover and pin drawn in an SVG overlay.
import { useEffect, useMemo, useRef } from 'react';
import { heatmapPixels, layerTicks } from './heatmapModel';
import { MatrixHit } from './MatrixHit';
import { matrixCsv } from '../../core/csv';
import { saveCsv } from '../download';
import type { ColorScale } from './heatmapModel';
import { ColorLegend } from './ColorLegend';

export interface HeatmapProps {
  testId: string;
  title: string;
  values: Float64Array;
  rows: number;
  cols: number;
  scale: ColorScale;
  rowLabel: string;
  colLabel: string;
  hover: [number, number] | null;
  pinned: [number, number] | null;
  focused: boolean;
  size?: number;
  /** matched layer pairs [row, col] to draw as a path (runs joined; jumps break the line) */
  path?: [number, number][] | null;
  /** outline cells whose |value| exceeds this (family-wise significance) */
  significanceThreshold?: number | null;
  onHover: (cell: [number, number] | null) => void;
  onPin: (cell: [number, number]) => void;
  onUnpin?: () => void;
  /** file name (without .csv) of the matrix's CSV download; no button when absent */
  csvName?: string;
}

const MARGIN = { left: 44, top: 8, right: 8, bottom: 36 };

export function Heatmap(props: HeatmapProps) {
  const { values, rows, cols, scale, size = 380 } = props;
  const canvasRef = useRef<HTMLCanvasElement>(null);
  // square cells, but a tall matrix (46 layers against 6) narrows instead of running down the page
  const maxH = Math.round(size * 1.5);
  const naturalH = Math.round((size * rows) / Math.max(cols, 1));
  const plotH = Math.max(120, Math.min(maxH, naturalH));
  const plotW = naturalH > maxH ? Math.max(120, Math.round((maxH * cols) / Math.max(rows, 1))) : size;
  const pixels = useMemo(() => heatmapPixels(values, rows, cols, scale), [values, rows, cols, scale]);

  // one canvas pixel per cell, scaled up by CSS (image-rendering: pixelated): no resampling work
  useEffect(() => {
    const ctx = canvasRef.current?.getContext('2d');
    if (!ctx || rows === 0 || cols === 0) return;
    const image = new ImageData(cols, rows);
    image.data.set(pixels);
    ctx.putImageData(image, 0, 0);
    performance.mark('normscope:heatmap-drawn');
    // the frame that puts it on screen (the benchmark's "first heatmap painted")
    if (typeof requestAnimationFrame === 'function')
      requestAnimationFrame(() => performance.mark('normscope:heatmap-painted'));
  }, [pixels, rows, cols]);

  const cw = plotW / cols;
  const ch = plotH / rows;
  const marker = (cell: [number, number] | null, cls: string) =>
    cell && cell[0] < rows && cell[1] < cols ? (
      <rect className={cls} x={cell[1] * cw} y={cell[0] * ch} width={Math.max(cw, 3)} height={Math.max(ch, 3)} />
    ) : null;
  const diagonal = Math.min(rows, cols);
  const runs = pathRuns(props.path ?? null);
  const threshold = props.significanceThreshold;
  const significant: [number, number][] = [];
  if (threshold !== undefined && threshold !== null && Number.isFinite(threshold)) {
    for (let i = 0; i < rows; i++)
      for (let j = 0; j < cols; j++) if (Math.abs(values[i * cols + j]!) > threshold) significant.push([i, j]);
  }

  return (
    <figure className={`heatmap${props.focused ? ' focused' : ''}`} data-testid={props.testId}>
      <figcaption>
        {props.title} {props.csvName && <MatrixCsvButton {...props} csvName={props.csvName} />}
      </figcaption>
      <div className="heatmap-body">
        <div
          className="heatmap-plot"
          style={{ width: plotW + MARGIN.left + MARGIN.right, height: plotH + MARGIN.top + MARGIN.bottom }}
        >
          <canvas
            ref={canvasRef}
            width={Math.max(cols, 1)}
            height={Math.max(rows, 1)}
            style={{ left: MARGIN.left, top: MARGIN.top, width: plotW, height: plotH }}
          />
          <svg width={plotW + MARGIN.left + MARGIN.right} height={plotH + MARGIN.top + MARGIN.bottom}>
            <g transform={`translate(${MARGIN.left},${MARGIN.top})`}>
              <line className="diagonal" x1={0} y1={0} x2={diagonal * cw} y2={diagonal * ch} />
              {layerTicks(cols).map((t) => (
                <g key={`x${t}`} transform={`translate(${(t + 0.5) * cw},${plotH})`}>
                  <line y2={4} className="tick" />
                  <text y={15} textAnchor="middle">
                    {t}
                  </text>
                </g>
              ))}
              {layerTicks(rows).map((t) => (
                <g key={`y${t}`} transform={`translate(0,${(t + 0.5) * ch})`}>
                  <line x2={-4} className="tick" />
                  <text x={-7} dy="0.32em" textAnchor="end">
                    {t}
                  </text>
                </g>
              ))}
              <text className="axis-label" x={plotW / 2} y={plotH + 31} textAnchor="middle">
                {props.colLabel}
              </text>
              <text className="axis-label" transform={`translate(${-33},${plotH / 2}) rotate(-90)`} textAnchor="middle">
                {props.rowLabel}
              </text>
              {significant.map(([i, j]) => (
                <rect
                  key={`s${i},${j}`}
                  className="sig-cell"
                  x={j * cw + 0.5}
                  y={i * ch + 0.5}
                  width={Math.max(cw - 1, 1)}
                  height={Math.max(ch - 1, 1)}
                />
              ))}
              {runs.map((run, k) => (
                <polyline
                  key={k}
                  className="align-path"
                  data-testid="alignment-path"
                  points={run.map(([i, j]) => `${(j + 0.5) * cw},${(i + 0.5) * ch}`).join(' ')}
                />
              ))}
              {marker(props.hover, 'hover-cell')}
              {marker(props.pinned, 'pinned-cell')}
              <MatrixHit
                className="hit"
                plot={{ x: 0, y: 0, width: plotW, height: plotH }}
                rows={rows}
                cols={cols}
                label={`${props.title}, ${props.rowLabel} by ${props.colLabel}`}
                hover={props.hover}
                pinned={props.pinned}
                onHover={props.onHover}
                onPick={props.onPin}
                onUnpin={props.onUnpin}
              />
            </g>
          </svg>
        </div>
        <ColorLegend scale={scale} height={plotH} />
      </div>
    </figure>
  );
}

/** Downloads the heatmap's matrix as CSV (full precision, layer indices as headers). */
function MatrixCsvButton(p: HeatmapProps & { csvName: string }) {
  return (
    <button
      className="small"
      data-testid={`csv-${p.csvName}`}
      aria-label={`Download the ${p.title} matrix as CSV`}
      onClick={() => saveCsv(matrixCsv(p.values, p.rows, p.cols, p.rowLabel, p.colLabel), `${p.csvName}.csv`)}
    >
      CSV
    </button>
  );
}

/** Splits a path into runs of consecutive steps (i+1, j+1); a jump starts a new run. */
export function pathRuns(path: [number, number][] | null): [number, number][][] {
  if (!path || path.length === 0) return [];
  const runs: [number, number][][] = [[path[0]!]];
  for (let k = 1; k < path.length; k++) {
    const [pi, pj] = path[k - 1]!;
    const [i, j] = path[k]!;
    if (i === pi + 1 && j === pj + 1) runs[runs.length - 1]!.push([i, j]);
    else runs.push([[i, j]]);
  }
  // a single-cell run still shows: draw it as a short tick
  return runs.map((r) => (r.length === 1 ? [r[0]!, [r[0]![0] + 0.01, r[0]![1] + 0.01] as [number, number]] : r));
}
