// The centering view's data toggle (toy vectors or a real layer pair) and its explanatory note; the
// frame around them is the shared ViewFrame.
import type { CenteringMode } from './centeringModel';
import { COLOR_ONES } from './sceneShared';

export function DataToggle({ mode, setMode }: { mode: CenteringMode; setMode: (mode: CenteringMode) => void }) {
  return (
    <div className="segmented" role="group" aria-label="Data">
      {(['toy', 'real'] as const).map((m) => (
        <button key={m} aria-pressed={mode === m} data-testid={`mode-${m}`} onClick={() => setMode(m)}>
          {m === 'toy' ? 'toy vectors in 3-D' : 'real layer pair'}
        </button>
      ))}
    </div>
  );
}

export function CenteringNote({ mode }: { mode: CenteringMode }) {
  return (
    <>
      Removing each vector’s mean, <i>w = v − α·mean(v)·1</i>, slides it along the all-ones direction{' '}
      <b style={{ color: COLOR_ONES }}>1</b> onto the plane ⟂ 1 (blue). At α = 0 the cosine is the raw cosine; at α = 1
      it is Pearson r. Positive vectors share the direction 1, so their raw cosine is high whatever their patterns.{' '}
      {mode === 'toy'
        ? 'Drag the tips (or type coordinates) to try other vectors; drag elsewhere to turn, wheel to zoom.'
        : ''}
    </>
  );
}
