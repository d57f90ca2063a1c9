// The readout of one hovered layer of seed Figure 3-1.
import type { FineTuneDiff } from '../../core/diff';
import { percent, sci } from '../kit2d/format';
import { movedWords } from './diffModel';

export function LayerReadout({ shown, layer: h }: { shown: FineTuneDiff; layer: number }) {
  const needed = shown.updateScale[h]! > 0;
  return (
    <span data-testid="diff-readout-layer">
      layer <b>{h}</b>: <b data-testid="diff-hover-changed">{percent(shown.changedFraction[h]!, 2)}</b> of stored values
      differ (rounding alone predicts{' '}
      <b data-testid="diff-hover-predicted">{percent(shown.predictedChangedFraction[h]!, 2)}</b>), mean |Δ|{' '}
      <b data-testid="diff-hover-abs">{sci(shown.meanAbsDiff[h]!, 4)}</b>, update size{' '}
      <b data-testid="diff-hover-scale">{needed ? `σ = ${sci(shown.updateScale[h]!)}` : 'none needed'}</b> (95%:{' '}
      {needed ? `${sci(shown.updateScaleInterval[h]![0])}–` : 'below '}
      {sci(shown.updateScaleInterval[h]![1])}){movedWords(shown, h)}
    </span>
  );
}
