// "find relatives" on a model line (Hub, local or GGUF): searches the Hub for its kin.
import { useRelativesActions } from '../../state/relativesContext';

export function FindRelativesButton({ index }: { index: number }) {
  const actions = useRelativesActions();
  if (!actions) return null;
  return (
    <button
      className="small"
      data-testid={`find-relatives-${index}`}
      title="search the Hub for this model's relatives: its declared chain, its declared children and the most downloaded roots of its width"
      onClick={() => void actions.findForSlot(index)}
    >
      find relatives
    </button>
  );
}
