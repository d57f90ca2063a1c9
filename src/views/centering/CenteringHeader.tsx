// The centering view's header (title, data toggle, figure actions) and its explanatory note.
import type { RefObject } from 'react';
import { FigureActions } from '../FigureActions';
import type { CenteringMode } from './centeringModel';
import { COLOR_ONES } from './sceneShared';

interface Props {
  mode: CenteringMode;
  setMode: (mode: CenteringMode) => void;
  figureRef: RefObject<HTMLDivElement | null>;
}

export function CenteringHeader({ mode, setMode, figureRef }: Props) {
  return (
    <>
      <div className="view-header">
        <h2>Why raw cosine is inflated</h2>
        <span className="muted">the seed’s Figure 0, live</span>
        <div className="segmented" role="group" aria-label="Data">
          {(['toy', 'real'] as const).map((m) => (
            <button key={m} aria-pressed={mode === m} data-testid={`mode-${m}`} onClick={() => setMode(m)}>
              {m === 'toy' ? 'toy vectors in 3-D' : 'real layer pair'}
            </button>
          ))}
        </div>
        <FigureActions target={figureRef} name="centering" svg={false} />
      </div>
      <p className="view-note">
        Removing each vector’s mean, <i>w = v − α·mean(v)·1</i>, slides it along the all-ones direction{' '}
        <b style={{ color: COLOR_ONES }}>1</b> onto the plane ⟂ 1 (blue). At α = 0 the cosine is the raw cosine; at α =
        1 it is Pearson r. Positive vectors share the direction 1, so their raw cosine is high whatever their patterns.{' '}
        {mode === 'toy'
          ? 'Drag the tips (or type coordinates) to try other vectors; drag elsewhere to turn, wheel to zoom.'
          : ''}
      </p>
    </>
  );
}
