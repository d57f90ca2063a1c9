// Real-data mode: which layer pair is drawn, and its lengths and metrics at α = 0 and α = 1.
import { useMemo } from 'react';
import { useApp, useAppStore } from '../../state/storeContext';
import { setQuery } from '../../state/actions';
import { centeringBasis } from '../../core/centering';
import type { CenteringBasis } from '../../core/centering';
import type { NormRole } from '../../core/types';
import { findPair, fmt, selectedPair } from '../compare/compareModel';
import { PairPicker } from '../compare/PairPicker';
import { shortName } from '../modelNames';
import { useViewParam } from '../viewState';
import { realSummary, resolveRealCell } from './centeringModel';
import type { RealSummary } from './centeringModel';
import { RoleToggle } from '../kit2d/Controls';

export type RealPair =
  | {
      ok: true;
      basis: CenteringBasis;
      summary: RealSummary;
      cell: [number, number];
      source: 'layer' | 'cell' | 'default';
      names: [string, string];
      layers: [number, number];
    }
  | { ok: false; reason: string };

/** The layer pair real mode draws (same pair and cell rules as the compare view), with its exact basis. */
export function useRealPair(): RealPair {
  const pairs = useApp((s) => s.pairs);
  const slots = useApp((s) => s.slots);
  const query = useApp((s) => s.query);
  const [layerText] = useViewParam('layer', '');
  const sel = selectedPair(pairs, query.pair);
  const pm = sel ? findPair(pairs, sel[0], sel[1], query.norm) : null;
  const resolved = pm ? resolveRealCell(layerText, query.cell, pm) : null;
  const ma = sel ? slots[sel[0]]?.model : null;
  const mb = sel ? slots[sel[1]]?.model : null;
  const va = resolved ? ma?.layers[resolved.cell[0]]?.[query.norm] : undefined;
  const vb = resolved ? mb?.layers[resolved.cell[1]]?.[query.norm] : undefined;
  const basis = useMemo(() => (va && vb ? centeringBasis(va, vb) : null), [va, vb]);
  const summary = useMemo(() => (basis ? realSummary(basis) : null), [basis]);
  if (!pm || !ma || !mb) {
    const loading = slots.some((s) => s.status === 'loading') || (slots.length >= 2 && pairs.length === 0);
    return {
      ok: false,
      reason: loading
        ? 'Loading the models… real mode draws a layer pair of two loaded models of one width.'
        : 'Real mode needs two loaded models with the same hidden size.',
    };
  }
  if (!resolved || !basis || !summary)
    return { ok: false, reason: `That layer pair has no ${query.norm} norm in one of the models.` };
  return {
    ok: true,
    basis,
    summary,
    cell: resolved.cell,
    source: resolved.source,
    names: [shortName(ma.repo), shortName(mb.repo)],
    layers: [ma.layers.length, mb.layers.length],
  };
}

export function RealPanel({ real, norm }: { real: RealPair; norm: NormRole }) {
  const store = useAppStore();
  const extra = useApp((s) => s.query.extra);
  const pickCell = (cell: [number, number]) => {
    const { layer: _drop, ...rest } = extra;
    setQuery(store, { cell, extra: rest });
  };
  return (
    <div className="real-panel" data-testid="real-panel">
      <div className="controls">
        <PairPicker />
        <RoleToggle testIdPrefix="centering-norm" />
      </div>
      {real.ok && (
        <>
          <div className="controls">
            {([0, 1] as const).map((side) => (
              <label key={side} className="inline">
                {real.names[side]} layer
                <select
                  data-testid={`real-layer-${side === 0 ? 'a' : 'b'}`}
                  value={real.cell[side]}
                  onChange={(e) => {
                    const next: [number, number] = [...real.cell];
                    next[side] = Number(e.target.value);
                    pickCell(next);
                  }}
                >
                  {Array.from({ length: real.layers[side] }, (_, i) => (
                    <option key={i} value={i}>
                      {i}
                    </option>
                  ))}
                </select>
              </label>
            ))}
          </div>
          {real.source === 'default' && (
            <p className="hint">
              No cell chosen: showing the same-index layer with the highest raw cosine, as the seed did.
            </p>
          )}
          <table className="summary real-summary">
            <caption>
              A = {real.names[0]} L{real.cell[0]}, B = {real.names[1]} L{real.cell[1]}, {norm} norm, d ={' '}
              {real.summary.d}
            </caption>
            <thead>
              <tr>
                <th />
                <th>A</th>
                <th>B</th>
              </tr>
            </thead>
            <tbody>
              <tr>
                <th>mean γ</th>
                <td>{fmt(real.summary.meanA)}</td>
                <td>{fmt(real.summary.meanB)}</td>
              </tr>
              <tr>
                <th>length ‖v‖ (α = 0)</th>
                <td data-testid="real-len-a">{fmt(real.summary.lengthA, 3)}</td>
                <td data-testid="real-len-b">{fmt(real.summary.lengthB, 3)}</td>
              </tr>
              <tr>
                <th>centred length ‖v − v̄·1‖ (α = 1)</th>
                <td data-testid="real-clen-a">{fmt(real.summary.centredA, 3)}</td>
                <td data-testid="real-clen-b">{fmt(real.summary.centredB, 3)}</td>
              </tr>
              <tr>
                <th>pattern share of the length</th>
                <td>{(100 * real.summary.shareA).toFixed(1)}%</td>
                <td>{(100 * real.summary.shareB).toFixed(1)}%</td>
              </tr>
            </tbody>
          </table>
          <dl className="numbers real-metrics">
            <dt>α = 0: raw cosine</dt>
            <dd data-testid="real-cos0">{fmt(real.summary.cos0)}</dd>
            <dt>angle</dt>
            <dd>{real.summary.angle0.toFixed(1)}°</dd>
            <dt>α = 1: Pearson r</dt>
            <dd data-testid="real-r1">{fmt(real.summary.r1)}</dd>
            <dt>angle</dt>
            <dd>{real.summary.angle1.toFixed(1)}°</dd>
          </dl>
          <p className="hint">
            Drawn exactly: the basis is 1/√d and the two centred vectors, orthonormalised, so these three coordinates
            hold every length and angle of the {real.summary.d}-dimensional vectors. The up axis is the mean part
            (mean·√d); the floor is the plane ⟂ 1.
          </p>
          <button
            className="small"
            data-testid="open-in-compare"
            onClick={() => setQuery(store, { view: 'compare', cell: real.cell })}
          >
            this cell in the compare view
          </button>
        </>
      )}
    </div>
  );
}
