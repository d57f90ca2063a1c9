// On each model's slot line: what its card declares, and "+ add base" when that base is not loaded.
import { useApp, useAppStore } from '../../state/storeContext';
import { addDeclaredBases } from '../../state/lineageActions';
import { describeClaim } from '../../core/lineage/declared';

export function ClaimLine({ index }: { index: number }) {
  const store = useAppStore();
  const declared = useApp((s) => s.slots[index]?.model?.declared);
  const missing = useApp((s) =>
    (s.slots[index]?.model?.declared?.bases ?? [])
      .filter((b) => !s.query.models.some((m) => !m.local && m.repo.toLowerCase() === b.toLowerCase()))
      .join(','),
  );
  if (declared === undefined) return null;
  return (
    <span className="claim small" data-testid={`claim-line-${index}`}>
      {describeClaim(declared)}
      {missing && (
        <button
          className="small"
          data-testid={`add-base-${index}`}
          onClick={() => addDeclaredBases(store, index)}
          title="load the declared base model(s) and compare"
        >
          + add base{missing.includes(',') ? 's' : ''}
        </button>
      )}
    </span>
  );
}
