// The recipe statistics of a deep check (issue 14, item 6): the per-layer std curves of the sampled
// matrix blocks of both models and their correlation, shown as what they are — not evidence, with the
// published counterexample. A static SVG; its title and description say the same in words.
import type { StdProfile } from '../../core/deep/api';

const W = 420;
const H = 150;
const PAD = { l: 40, r: 10, t: 10, b: 34 };

function path(values: readonly number[], x: (i: number) => number, y: (v: number) => number): string {
  return values
    .map((v, i) => {
      if (!Number.isFinite(v)) return '';
      const move = i === 0 || !Number.isFinite(values[i - 1]!);
      return `${move ? 'M' : 'L'}${x(i).toFixed(1)},${y(v).toFixed(1)}`;
    })
    .join('');
}

export function StdCurves({ p, nameA, nameB }: { p: StdProfile; nameA: string; nameB: string }) {
  const n = p.labels.length;
  if (n === 0) return null;
  const all = [...p.stdA, ...p.stdB].filter(Number.isFinite);
  const lo = Math.min(...all, 1);
  const hi = Math.max(...all, 1);
  const span = hi - lo || 1;
  const x = (i: number) => PAD.l + (n === 1 ? 0.5 : i / (n - 1)) * (W - PAD.l - PAD.r);
  const y = (v: number) => PAD.t + (1 - (v - lo) / span) * (H - PAD.t - PAD.b);
  const r = Number.isFinite(p.correlation) ? p.correlation.toFixed(3) : 'n/a (fewer than 3 points)';
  const step = Math.max(1, Math.ceil(n / 8));
  return (
    <section className="std-curves" data-testid="deep-std-curves" data-correlation={p.correlation}>
      <h4>
        Recipe statistics <span className="badge not-evidence">not evidence</span>
      </h4>
      <svg viewBox={`0 0 ${W} ${H}`} width={W} height={H} role="img" aria-labelledby="std-curves-title std-curves-desc">
        <title id="std-curves-title">Per-layer std curves of the sampled matrices</title>
        <desc id="std-curves-desc">
          {`Std of each sampled block (${n} points, each role divided by its mean over the sampled layers) for ${nameA} and ${nameB}; correlation ${r}. Not evidence of ancestry.`}
        </desc>
        <line x1={PAD.l} x2={W - PAD.r} y1={y(1)} y2={y(1)} className="axis-ref" />
        <text x={PAD.l - 4} y={y(hi) + 4} textAnchor="end" className="tick">
          {hi.toFixed(2)}
        </text>
        <text x={PAD.l - 4} y={y(lo)} textAnchor="end" className="tick">
          {lo.toFixed(2)}
        </text>
        {p.labels.map((l, i) =>
          i % step === 0 ? (
            <text key={l} x={x(i)} y={H - PAD.b + 14} textAnchor="middle" className="tick">
              {l}
            </text>
          ) : null,
        )}
        <path d={path(p.stdA, x, y)} className="curve-a" fill="none" />
        <path d={path(p.stdB, x, y)} className="curve-b" fill="none" strokeDasharray="5 3" />
        <text x={PAD.l} y={H - 4} className="legend-a">
          — {nameA}
        </text>
        <text x={W / 2 + 10} y={H - 4} className="legend-b">
          - - {nameB}
        </text>
      </svg>
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
