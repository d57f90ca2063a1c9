// The diff view's words: what changed, and whether one update size, read through the storage grid,
// explains every layer (core/updateShape decides; this only says it). No share of a drop is
// computed: a per-layer update size is compared instead, so no sentence can exceed 100%.
import type { FineTuneDiff } from '../../core/diff';
import { UNIFORM_ALPHA, UNIFORM_BAND } from '../../core/updateShape';
import type { UpdateShape } from '../../core/updateShape';
import { percent, runs, sci } from '../kit2d/format';

export interface DiffSummary {
  layers: number;
  /** layers with values in both models */
  compared: number;
  allIdentical: boolean;
  identicalLayers: number[];
  early: [number, number] | null;
  deep: [number, number] | null;
  measuredEarly: number;
  measuredDeep: number;
  predictedEarly: number;
  predictedDeep: number;
  shape: UpdateShape | null;
  sentences: string[];
}

/** How the verdict is decided, shown under it. */
export const DIFF_RULE =
  `Each layer's update size σ_l is the maximum-likelihood σ of b = round(a + δ), δ ~ N(0, σ_l²), on b's storage grid, with a 95% ` +
  `profile-likelihood interval. One σ for every layer is tested against one per layer by a likelihood ratio (χ², layers − 1 degrees ` +
  `of freedom). One size explains every layer when that test does not reject it (p ≥ ${UNIFORM_ALPHA}) or when no layer's interval lies ` +
  `wholly outside ${UNIFORM_BAND}× of the one σ. Otherwise the first and last thirds of the layers, each fitted with one σ, give the ` +
  `direction: it falls (rises) with depth when their intervals do not overlap and they differ by ${UNIFORM_BAND}× or more; anything else ` +
  `varies irregularly.`;

const meanOf = (xs: number[]) => {
  const f = xs.filter(Number.isFinite);
  return f.length ? f.reduce((s, x) => s + x, 0) / f.length : NaN;
};
const span = (r: readonly [number, number] | null) => {
  if (!r) return '';
  return r[0] === r[1] ? `L${r[0]}` : `L${r[0]}–L${r[1]}`;
};
const pText = (p: number) => {
  if (p === 0) return 'p < 1e-300';
  return p < 1e-3 ? `p = ${sci(p, 2)}` : `p = ${p.toPrecision(2)}`;
};
const times = (r: number) => `${r >= 10 ? Math.round(r) : r.toPrecision(2)}×`;
const sigmaWithInterval = (s: { sigma: number; low: number; high: number }) =>
  s.sigma === 0 ? `no update (σ below ${sci(s.high)})` : `σ = ${sci(s.sigma)} (95%: ${sci(s.low)}–${sci(s.high)})`;

/** Plain-words reading of a diff; `sigmaSource` says whether the dashed prediction's σ was fitted or set by hand. */
export function summarizeDiff(shown: FineTuneDiff, sigmaSource: 'fit' | 'given', names: [string, string]): DiffSummary {
  const compared = shown.changedFraction.flatMap((f, l) => (Number.isFinite(f) ? [l] : []));
  const identicalLayers = compared.filter((l) => shown.identical[l]);
  const allIdentical = compared.length > 0 && identicalLayers.length === compared.length;
  const v = shown.verdict;
  const k = Math.max(1, Math.floor(compared.length / 3));
  const early = compared.slice(0, k),
    deep = compared.length >= 2 ? compared.slice(compared.length - k) : [];
  const at = (xs: number[], ls: number[]) => meanOf(ls.map((l) => xs[l]!));
  const measuredEarly = at(shown.changedFraction, early),
    measuredDeep = at(shown.changedFraction, deep);
  const predictedEarly = at(shown.predictedChangedFraction, early),
    predictedDeep = at(shown.predictedChangedFraction, deep);
  const range = (ls: number[]): [number, number] | null => (ls.length ? [ls[0]!, ls[ls.length - 1]!] : null);
  const [dtypeA, dtypeB] = shown.dtypes;
  const restored = dtypeA !== dtypeB;
  const gridName =
    shown.grid === 'F32'
      ? `float32 bits (${restored ? 'the dtypes differ' : 'values are off the 16-bit grid'})`
      : `${shown.grid} codes`;

  const sentences: string[] = [];
  const base = {
    layers: shown.changedFraction.length,
    compared: compared.length,
    allIdentical,
    identicalLayers,
    early: range(early),
    deep: range(deep),
    measuredEarly,
    measuredDeep,
    predictedEarly,
    predictedDeep,
    shape: v?.shape ?? null,
  };
  if (compared.length === 0 || !v) {
    sentences.push(`No layer has this norm in both ${names[0]} and ${names[1]}.`);
    return { ...base, sentences };
  }
  if (allIdentical) {
    sentences.push(
      `Identical: every stored value of this norm is the same in ${names[0]} and ${names[1]} (${compared.length} layers compared as ${gridName})` +
        (restored ? `; only the declared dtype differs (${dtypeA} → ${dtypeB}). ` : '. ') +
        'The weights were copied or frozen; nothing here was trained, and nothing can be learnt about where training changed them.',
    );
    return { ...base, sentences };
  }
  if (restored) {
    sentences.push(
      `${names[0]} stores this norm as ${dtypeA}, ${names[1]} as ${dtypeB}: values can differ only because they were re-stored. ` +
        `The update is read through ${names[1]}'s ${shown.updateGrid} grid, b = round(a + δ), so that rounding is part of the model.`,
    );
  }
  if (identicalLayers.length > 0) sentences.push(`Layers ${runs(identicalLayers)} are bit-for-bit identical.`);
  sentences.push(
    `Measured: ${percent(measuredEarly)} of stored values differ in the first third of the layers (${span(range(early))}), ` +
      `${percent(measuredDeep)} in the last third (${span(range(deep))}); compared as ${gridName}. ` +
      `Mean |Δ| is ${sci(at(shown.meanAbsDiff, early), 2)} and ${sci(at(shown.meanAbsDiff, deep), 2)}.`,
  );
  sentences.push(verdictSentence(shown, names, measuredEarly > measuredDeep + 0.05));
  if (!v.uniformExplains && (v.above.length || v.below.length)) {
    const who = (ls: number[]) => (ls.length === 1 ? `layer ${ls[0]} needs` : `layers ${runs(ls)} need`);
    const parts = [
      v.above.length ? `${who(v.above)} an update more than ${UNIFORM_BAND}× the one size` : '',
      v.below.length ? `${who(v.below)} less than the one size / ${UNIFORM_BAND}` : '',
    ].filter(Boolean);
    sentences.push(`Per layer (95% intervals): ${parts.join('; ')}.`);
  }
  if (shown.shiftedLayers.length) {
    const ls = shown.shiftedLayers,
      worst = ls.reduce((w, l) => (Math.abs(shown.meanShift[l]!) > Math.abs(shown.meanShift[w]!) ? l : w), ls[0]!);
    sentences.push(
      `${ls.length === 1 ? `Layer ${ls[0]} also moves` : `Layers ${runs(ls)} also move`} on average (mean Δ up to ${sci(shown.meanShift[worst]!, 2)} at L${worst}, over a quarter of σ_l): ` +
        'the update is modelled with mean 0, so there σ_l includes that shift.',
    );
  }
  if (v.shape !== 'none') {
    sentences.push(
      `The dashed line: one update of σ = ${sci(shown.deltaSigma)} (${sigmaSource === 'fit' ? 'the one size fitted to every layer' : 'set by hand'}), added to every value and rounded to the storage grid, ` +
        `would change ${percent(predictedEarly)} and ${percent(predictedDeep)} of the stored values: the grid is coarser where |γ| is larger, so the same update changes fewer of them there.`,
    );
  }
  return { ...base, sentences };
}

function verdictSentence(shown: FineTuneDiff, names: [string, string], changedFalls: boolean): string {
  const v = shown.verdict!,
    t = v.test,
    e = v.early!,
    d = v.deep;
  const test = `one σ for all ${t.df + 1} layers against one per layer: ${pText(t.pValue)}`;
  switch (v.shape) {
    case 'none':
      return (
        `No update is needed: every stored value of ${names[1]} is what ${names[0]}'s value becomes on the ${shown.updateGrid} grid. ` +
        `The differences are storage, not training (any update is below σ ≈ ${sci(Math.max(...shown.updateScaleInterval.map((i) => i[1]).filter(Number.isFinite)), 2)} in every layer).`
      );
    case 'uniform': {
      const pattern = changedFalls
        ? ' The fall of the changed share with depth is the storage grid, not where training focused.'
        : '';
      const within =
        t.pValue < UNIFORM_ALPHA
          ? `. The layers do differ (${test}), but no layer's σ lies more than ${UNIFORM_BAND}× from it.`
          : ` (${test}).`;
      return `One update size explains every layer: ${sigmaWithInterval(t.uniform)}${within}${pattern}`;
    }
    case 'falls':
    case 'rises': {
      const [big, small] = v.shape === 'falls' ? [e, d!] : [d!, e];
      const where = v.shape === 'falls' ? ['early', 'deep'] : ['deep', 'early'];
      const sizes = `${span([big.first, big.last])}: ${sigmaWithInterval(big.estimate)}; ${span([small.first, small.last])}: ${sigmaWithInterval(small.estimate)}`;
      const factor =
        small.estimate.sigma === 0
          ? `at least ${times(v.ratioAtLeast)}`
          : `${times(v.shape === 'falls' ? v.ratio : 1 / v.ratio)} (at least ${times(v.ratioAtLeast)})`;
      return `The update itself is ${factor} larger in the ${where[0]} layers than in the ${where[1]} ones, beyond what rounding explains (${sizes}; ${test}).`;
    }
    default:
      return (
        `The update size changes from layer to layer, but not steadily with depth (${span([e.first, e.last])}: ${sigmaWithInterval(e.estimate)}; ` +
        `${d ? `${span([d.first, d.last])}: ${sigmaWithInterval(d.estimate)}; ` : ''}${test}).`
      );
  }
}
