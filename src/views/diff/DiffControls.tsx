// The controls of seed Figure 3-1: the pair, the norm, and the σ of the update (asked or fitted).
import type { FineTuneDiff } from '../../core/diff';
import { sameShape } from '../../core/diff';
import type { useLoadedModels } from '../viewState';
import { PairSelect, RoleToggle } from '../kit2d/Controls';
import { candidatePairs } from '../kit2d/pairChoice';
import { sci } from '../kit2d/format';
import { SIGMA_LOG_RANGE, sigmaInUse, sigmaParamOf, sliderLogSigma } from './diffModel';

/** "(fitted)" while the fitted σ is used, else the fitted σ beside the asked one. */
function fittedWords(sigma: number | null, fitted: FineTuneDiff | null): string {
  if (sigma === null) return '(fitted)';
  return `(fitted: ${fitted ? sci(fitted.deltaSigma) : '…'})`;
}

export function DiffControls({
  models,
  pair,
  sigma,
  fitted,
  pending,
  setSigma,
}: {
  models: ReturnType<typeof useLoadedModels>;
  pair: [number, number];
  sigma: number | null;
  fitted: FineTuneDiff | null;
  pending: boolean;
  setSigma: (value: string) => void;
}) {
  const sigmaUsed = sigmaInUse(sigma, fitted);
  return (
    <>
      <PairSelect pairs={candidatePairs(models, sameShape)} value={pair} models={models} label="base × model" />
      <RoleToggle />
      <label className="inline">
        σ of the update
        <input
          type="range"
          data-testid="diff-sigma"
          min={SIGMA_LOG_RANGE[0]}
          max={SIGMA_LOG_RANGE[1]}
          step={0.01}
          value={sliderLogSigma(sigmaUsed)}
          disabled={!fitted}
          onChange={(e) => setSigma(sigmaParamOf(e.target.value))}
        />
        <b data-testid="diff-sigma-value">{sci(sigmaUsed)}</b>
        <span className="muted">{fittedWords(sigma, fitted)}</span>
      </label>
      {sigma !== null && (
        <button className="small" data-testid="diff-sigma-reset" onClick={() => setSigma('')}>
          use the fitted σ
        </button>
      )}
      {pending && <span className="muted">computing…</span>}
    </>
  );
}
