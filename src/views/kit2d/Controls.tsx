// Controls shared by the 2-D views; every one writes its state into the URL.
import { useApp, useAppStore } from '../../app/storeContext';
import { setQuery } from '../../state/actions';
import type { NormRole } from '../../core/types';
import { shortName } from '../modelNames';
import { modelColor } from './palette';
import type { Indexed } from './pairChoice';

export const ROLE_NAMES: Record<NormRole, string> = {
  input: 'input_layernorm (before attention)',
  post: 'post_attention_layernorm (before the FFN)',
  attn_out: 'attention-output norm',
  ffn_out: 'FFN-output norm',
  q: 'query norm',
  k: 'key norm',
  q_a: 'MLA query low-rank norm',
  kv_a: 'MLA key-value low-rank norm',
};

/** input / post, kept in the query's `norm`. */
export function RoleToggle({ available }: { available?: readonly NormRole[] }) {
  const store = useAppStore();
  const norm = useApp((s) => s.query.norm);
  return (
    <div className="segmented" role="group" aria-label="Norm role">
      {(['input', 'post'] as const).map((role) => (
        <button
          key={role}
          aria-pressed={norm === role}
          disabled={available !== undefined && !available.includes(role)}
          data-testid={`f2d-norm-${role}`}
          onClick={() => setQuery(store, { norm: role })}
        >
          {role === 'input' ? 'input norm' : 'post-attention norm'}
        </button>
      ))}
    </div>
  );
}

/** Choose two models among the candidate pairs (query `pair`). */
export function PairSelect({ pairs, value, models, label = 'pair' }: { pairs: [number, number][]; value: [number, number]; models: Indexed[]; label?: string }) {
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
export function ModelToggles({ models, shown, onToggle }: { models: Indexed[]; shown: number[]; onToggle: (index: number) => void }) {
  return (
    <div className="f2d-toggles" role="group" aria-label="Models shown">
      {models.map(({ index, model }) => (
        <label key={index} className="inline" style={{ color: modelColor(index) }}>
          <input type="checkbox" data-testid={`f2d-model-${index}`} checked={shown.includes(index)} onChange={() => onToggle(index)} />
          {shortName(model.repo)}
        </label>
      ))}
    </div>
  );
}
