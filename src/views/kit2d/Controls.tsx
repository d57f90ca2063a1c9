// Controls shared by the 2-D views; every one writes its state into the URL.
import { useApp, useAppStore } from '../../state/storeContext';
import { setQuery } from '../../state/actions';
import { useMemo } from 'react';
import { NORM_ROLES, type NormRole } from '../../core/types';
import { ROLE_LABELS } from '../../core/roles';
import { sharedRoles } from '../../core/pairs';
import { shortName } from '../modelNames';
import { modelColor } from './palette';
import type { Indexed } from './pairChoice';

export const ROLE_NAMES: Record<NormRole, string> = Object.fromEntries(
  Object.entries(ROLE_LABELS).map(([role, label]) => [role, label.long]),
) as Record<NormRole, string>;

/**
 * Every role the loaded models share (at equal width), kept in the query's `norm`. The current
 * role stays listed even when no model has it, so a permalink's choice is never silently dropped.
 */
export function RoleToggle({
  available,
  testIdPrefix = 'f2d-norm',
}: {
  available?: readonly NormRole[];
  testIdPrefix?: string;
}) {
  const store = useAppStore();
  const norm = useApp((s) => s.query.norm);
  const slots = useApp((s) => s.slots);
  const shared = useMemo(() => sharedRoles(slots.map((s) => s.model)), [slots]);
  const offered = NORM_ROLES.filter(
    (r) => shared.includes(r) || r === norm || (shared.length === 0 && (r === 'input' || r === 'post')),
  );
  return (
    <div className="segmented" role="group" aria-label="Norm role">
      {offered.map((role) => (
        <button
          key={role}
          aria-pressed={norm === role}
          disabled={available !== undefined && !available.includes(role)}
          data-testid={`${testIdPrefix}-${role}`}
          title={ROLE_LABELS[role].long}
          onClick={() => setQuery(store, { norm: role })}
        >
          {ROLE_LABELS[role].short}
        </button>
      ))}
    </div>
  );
}

/** Choose two models among the candidate pairs (query `pair`). */
export function PairSelect({
  pairs,
  value,
  models,
  label = 'pair',
}: {
  pairs: [number, number][];
  value: [number, number];
  models: Indexed[];
  label?: string;
}) {
  const store = useAppStore();
  const name = (i: number) => shortName(models.find((m) => m.index === i)?.model.repo ?? `model ${i}`);
  const key = `${value[0]},${value[1]}`;
  const options = pairs.some(([a, b]) => `${a},${b}` === key) ? pairs : [value, ...pairs];
  return (
    <label className="inline">
      {label}
      <select
        data-testid="f2d-pair-select"
        value={key}
        onChange={(e) => {
          const [a, b] = e.target.value.split(',').map(Number) as [number, number];
          setQuery(store, { pair: [a, b] });
        }}
      >
        {options.map(([a, b]) => (
          <option key={`${a},${b}`} value={`${a},${b}`}>
            {name(a)} × {name(b)}
          </option>
        ))}
      </select>
    </label>
  );
}

/** One checkbox per loaded model, for views that overlay several (URL `subset=`). */
export function ModelToggles({
  models,
  shown,
  onToggle,
}: {
  models: Indexed[];
  shown: number[];
  onToggle: (index: number) => void;
}) {
  return (
    <div className="f2d-toggles" role="group" aria-label="Models shown">
      {models.map(({ index, model }) => (
        <label key={index} className="inline">
          <input
            type="checkbox"
            data-testid={`f2d-model-${index}`}
            checked={shown.includes(index)}
            onChange={() => onToggle(index)}
          />
          {/* the series colour as a swatch: some series colours are too light for text (WCAG 4.5:1) */}
          <span className="f2d-swatch" style={{ background: modelColor(index) }} aria-hidden />
          {shortName(model.repo)}
        </label>
      ))}
    </div>
  );
}
