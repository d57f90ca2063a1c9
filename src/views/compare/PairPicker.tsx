import { useApp, useAppStore } from '../../state/storeContext';
import { setQuery } from '../../state/actions';
import { selectedPair } from './compareModel';
import { shortName } from '../modelNames';

/** Choose which pair of loaded models the heatmaps show (only when there are more than two). */
export function PairPicker() {
  const store = useAppStore();
  const pairs = useApp((s) => s.pairs);
  const slots = useApp((s) => s.slots);
  const requested = useApp((s) => s.query.pair);
  const sel = selectedPair(pairs, requested);
  const options = pairs.filter((p) => p.norm === 'input');
  if (options.length < 2 || !sel) return null;
  const name = (i: number) => shortName(slots[i]?.ref.repo ?? `model ${i}`);
  return (
    <label className="inline">
      pair
      <select
        data-testid="pair-select"
        value={`${sel[0]},${sel[1]}`}
        onChange={(e) => {
          const [a, b] = e.target.value.split(',').map(Number) as [number, number];
          setQuery(store, { pair: [a, b], cell: null });
        }}
      >
        {options.map((p) => (
          <option key={`${p.a},${p.b}`} value={`${p.a},${p.b}`}>
            {name(p.a)} × {name(p.b)}
          </option>
        ))}
      </select>
    </label>
  );
}
