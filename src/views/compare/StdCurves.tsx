// The recipe statistics of a deep check (issue 14, item 6): the per-layer std curves of the sampled
// matrix blocks of both models and their correlation, shown as what they are — not evidence, with the
// published counterexample. One small panel per role (q, k, gate, up, down) over depth, on one y scale;
// its title and description say the same in words. Tab to it and use the arrows to read one point.
import { useState } from 'react';
import type { StdProfile } from '../../core/deep/api';
import { KeyHit } from '../kit2d/KeyHit';
import { stepKeyAction } from '../kit2d/chartKeys';
import { svgPoint } from '../kit2d/svgPoint';
import { brokenPath, stdRolePanels } from './stdCurvesModel';
import { fmt } from './compareModel';
import type { StdRolePanel } from './stdCurvesModel';

const PANEL_W = 150;
const GAP = 28;
const H = 170;
const PAD = { l: 40, r: 10, t: 22, b: 40 };

interface Scale {
  y: (v: number) => number;
  hi: number;
  lo: number;
}

function RolePanel({
  panel,
  left,
  scale,
  read,
}: {
  panel: StdRolePanel;
  left: number;
  scale: Scale;
  read: number | null;
}) {
  const n = panel.points.length;
  const x = (i: number) => left + (n === 1 ? 0.5 : i / (n - 1)) * PANEL_W;
  const { y } = scale;
  const step = Math.max(1, Math.ceil(n / 4));
  const readAt = panel.points.findIndex((p) => p.index === read);
  return (
    <g data-role={panel.role}>
      <text x={left + PANEL_W / 2} y={PAD.t - 8} textAnchor="middle" className="panel-title">
        {panel.role}
      </text>
      <rect x={left} y={PAD.t} width={PANEL_W} height={H - PAD.t - PAD.b} className="panel-frame" />
      <line x1={left} x2={left + PANEL_W} y1={y(1)} y2={y(1)} className="axis-ref" />
      {panel.points.map((p, i) =>
        i % step === 0 || i === n - 1 ? (
          <text key={p.index} x={x(i)} y={H - PAD.b + 13} textAnchor="middle" className="tick">
            {p.layer}
          </text>
        ) : null,
      )}
      <path
        d={brokenPath(
          panel.points.map((p) => p.a),
          x,
          y,
        )}
        className="curve-a"
        fill="none"
      />
      <path
        d={brokenPath(
          panel.points.map((p) => p.b),
          x,
          y,
        )}
        className="curve-b"
        fill="none"
        strokeDasharray="5 3"
      />
      {readAt >= 0 && <line className="read-line" x1={x(readAt)} x2={x(readAt)} y1={PAD.t} y2={H - PAD.b} />}
    </g>
  );
}

export function StdCurves({ p, nameA, nameB }: { p: StdProfile; nameA: string; nameB: string }) {
  const [read, setRead] = useState<number | null>(null);
  const n = p.labels.length;
  if (n === 0) return null;
  const panels = stdRolePanels(p);
  const all = [...p.stdA, ...p.stdB].filter(Number.isFinite);
  const lo = Math.min(...all, 1);
  const hi = Math.max(...all, 1);
  const span = hi - lo || 1;
  const scale: Scale = { lo, hi, y: (v) => PAD.t + (1 - (v - lo) / span) * (H - PAD.t - PAD.b) };
  const W = PAD.l + panels.length * PANEL_W + (panels.length - 1) * GAP + PAD.r;
  const left = (k: number) => PAD.l + k * (PANEL_W + GAP);
  const r = Number.isFinite(p.correlation) ? p.correlation.toFixed(3) : 'n/a (fewer than 3 points)';
  // the pointer reads the nearest point of the panel under it
  const pointAt = (px: number): number | null => {
    const k = Math.max(0, Math.min(panels.length - 1, Math.floor((px - PAD.l + GAP / 2) / (PANEL_W + GAP))));
    const pts = panels[k]!.points;
    const t = (px - left(k)) / PANEL_W;
    return pts[Math.max(0, Math.min(pts.length - 1, Math.round(t * (pts.length - 1))))]?.index ?? null;
  };
  const label = read !== null ? p.labels[read] : undefined;
  return (
    <section className="std-curves" data-testid="deep-std-curves" data-correlation={p.correlation}>
      <h4>
        Recipe statistics <span className="badge not-evidence">not evidence</span>
      </h4>
      <svg viewBox={`0 0 ${W} ${H}`} width={W} height={H} role="group" aria-labelledby="std-curves-title">
        <title id="std-curves-title">Per-layer std curves of the sampled matrices, one panel per role</title>
        <desc>
          {`Std of each sampled block (${n} points in ${panels.length} roles, each role divided by its mean over the sampled layers) for ${nameA} and ${nameB}; correlation ${r}. Not evidence of ancestry.`}
        </desc>
        <text x={PAD.l - 4} y={scale.y(hi) + 4} textAnchor="end" className="tick">
          {hi.toFixed(2)}
        </text>
        <text x={PAD.l - 4} y={scale.y(lo)} textAnchor="end" className="tick">
          {lo.toFixed(2)}
        </text>
        {panels.map((panel, k) => (
          <RolePanel key={panel.role} panel={panel} left={left(k)} scale={scale} read={read} />
        ))}
        <text x={PAD.l} y={H - 6} className="legend-a">
          — {nameA}
        </text>
        <text x={PAD.l + Math.max(180, W / 2 - PAD.l)} y={H - 6} className="legend-b">
          - - {nameB}
        </text>
        <KeyHit
          className="hit"
          rect={{ x: PAD.l, y: PAD.t, width: W - PAD.l - PAD.r, height: H - PAD.t - PAD.b }}
          roleDescription="line chart"
          label="Recipe std curves, one panel per role: left and right arrow keys move the point read out, Escape leaves"
          onEnter={() => setRead((x) => x ?? 0)}
          onLeave={() => setRead(null)}
          onKey={(key) => {
            const action = stepKeyAction(key, read, 0, n - 1);
            if (action?.kind !== 'move') return false;
            setRead(action.index);
            return true;
          }}
          onPointerMove={(e) => setRead(pointAt(svgPoint(e)[0]))}
          onPointerLeave={() => setRead(null)}
        />
      </svg>
      <p className="chart-reading" aria-live="polite" data-testid="deep-std-reading">
        {label !== undefined
          ? `${label}: std / role mean ${fmt(p.stdA[read!]!, 3)} for ${nameA}, ${fmt(p.stdB[read!]!, 3)} for ${nameB}`
          : 'Tab to the chart and use the arrow keys to read a point.'}
      </p>
      <p data-testid="deep-std-correlation">
        Std-curve correlation <b>{r}</b>; row-norm profile correlation{' '}
        {Number.isFinite(p.rowNormCorrelation) ? p.rowNormCorrelation.toFixed(3) : 'n/a'}.
      </p>
      <p className="hint" data-testid="deep-std-caveat">
        {p.caveat} These curves never enter the verdict above.
      </p>
    </section>
  );
}
