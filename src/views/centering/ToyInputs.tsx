// Numeric coordinates of the toy vectors: the keyboard way to move the tips.
import type { Vec3 } from '../scene3d/orbit';
import { clampToy, DEFAULT_TOY, TOY_MAX, TOY_MIN } from './centeringModel';
import { COLOR_A, COLOR_B } from './CenteringScene';

function VectorRow({
  name,
  color,
  v,
  onChange,
}: {
  name: 'A' | 'B';
  color: string;
  v: Vec3;
  onChange: (v: Vec3) => void;
}) {
  return (
    <div className="vector-row">
      <b style={{ color }}>{name}</b>
      {(['x', 'y', 'z'] as const).map((axis, k) => (
        <label key={axis} className="inline">
          {axis}
          <input
            type="number"
            min={TOY_MIN}
            max={TOY_MAX}
            step={0.05}
            value={v[k]}
            data-testid={`toy-${name.toLowerCase()}-${axis}`}
            onChange={(e) => {
              const x = Number(e.target.value);
              if (!Number.isFinite(x) || e.target.value === '') return;
              const next: Vec3 = [...v];
              next[k] = x;
              onChange(clampToy(next));
            }}
          />
        </label>
      ))}
    </div>
  );
}

export function ToyInputs({ a, b, onA, onB }: { a: Vec3; b: Vec3; onA: (v: Vec3) => void; onB: (v: Vec3) => void }) {
  return (
    <fieldset className="toy-inputs">
      <legend>toy vectors (positive, like γ)</legend>
      <VectorRow name="A" color={COLOR_A} v={a} onChange={onA} />
      <VectorRow name="B" color={COLOR_B} v={b} onChange={onB} />
      <button
        className="small"
        data-testid="toy-reset"
        onClick={() => {
          onA(DEFAULT_TOY.a);
          onB(DEFAULT_TOY.b);
        }}
      >
        reset to the seed’s pair
      </button>
    </fieldset>
  );
}
