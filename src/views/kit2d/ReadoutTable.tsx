// The readout table of the per-layer charts (stats, precision): one row per model at the layer read
// out, its colour as a swatch beside the name (series colours can be too light for text), a value per
// column.
import type { ReactNode } from 'react';
import { modelColor } from './palette';

export interface ReadoutRow {
  key: string;
  model: number;
  name: string;
  /** cells after the name: text, and a test id where the browser suite reads the number */
  cells: { key: string; text: ReactNode; testId?: string }[];
  testId?: string;
}

/** A model's name with its series colour as a swatch. */
export function ModelName({ model, name }: { model: number; name: string }) {
  return (
    <>
      <span className="f2d-swatch" style={{ background: modelColor(model) }} aria-hidden />{' '}
      <span className="f2d-model-name">{name}</span>
    </>
  );
}

export function ReadoutTable({
  layer,
  columns,
  rows,
  testId,
}: {
  layer: number;
  /** headers after "model" */
  columns: string[];
  rows: ReadoutRow[];
  testId?: string;
}) {
  return (
    <table className="f2d-table" data-testid={testId}>
      <caption>Layer {layer}</caption>
      <thead>
        <tr>
          <th>model</th>
          {columns.map((c, i) => (
            <th key={`${c}${i}`}>{c}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.key} data-testid={r.testId}>
            <td className="name">
              <ModelName model={r.model} name={r.name} />
            </td>
            {r.cells.map((c) => (
              <td key={c.key} data-testid={c.testId}>
                {c.text}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
