import { describe, expect, it } from 'vitest';
import { fineTuneDiff } from '../../core/diff';
import { depthGrowingGammas, geometric, normModel, toBf16, updated } from '../../core/testing/fineTuneCases';
import { summarizeDiff } from './diffWording';

const L = 30,
  D = 2048;
const names: [string, string] = ['base', 'child'];

function words(base: Float32Array[], child: Float32Array[], dtypes: [string, string] = ['BF16', 'BF16']) {
  const diff = fineTuneDiff(
    [normModel('org/base', base, dtypes[0]), normModel('org/child', child, dtypes[1])],
    0,
    1,
    'input',
  );
  const s = summarizeDiff(diff, 'fit', names);
  const text = s.sentences.join(' ');
  // never a share above 100%, never the old share-of-a-drop wording
  for (const m of text.matchAll(/([\d.]+)%/g)) expect(Number(m[1])).toBeLessThanOrEqual(100);
  expect(text).not.toMatch(/accounts for/);
  return { s, text, diff };
}

describe('summarizeDiff on constructed fine-tunes', () => {
  const base = depthGrowingGammas(L, D, 3);

  it('a uniform update: one size explains every layer, and the early-layer pattern is the grid', () => {
    const { s, text } = words(
      base,
      updated(base, () => 1e-3, 4),
    );
    expect(s.measuredEarly).toBeGreaterThan(s.measuredDeep + 0.3);
    expect(s.shape).toBe('uniform');
    expect(text).toMatch(/One update size explains every layer: σ = (9\.9\de-4|1(\.00\d?)?e-3) \(95%: /);
    expect(text).toMatch(/The fall of the changed share with depth is the storage grid, not where training focused\./);
    expect(text).not.toMatch(/update itself|need an update more/);
  });

  it('an update falling with depth is never called rounding', () => {
    const { s, text } = words(base, updated(base, geometric(3e-3, 3e-5, L), 5));
    expect(s.shape).toBe('falls');
    expect(text).toMatch(
      /The update itself is (at least )?[\d.]+× larger in the early layers than in the deep ones, beyond what rounding explains \(L0–L9: σ = /,
    );
    expect(text).toMatch(/one σ for all 30 layers against one per layer: p < 1e-300/);
    expect(text).toMatch(/Per layer \(95% intervals\): layers 0–\d+ need an update more than 1\.5× the one size/);
    expect(text).not.toMatch(/is the storage grid|explains every layer/);
  });

  it('an update rising with depth', () => {
    const { s, text } = words(base, updated(base, geometric(1e-4, 1e-2, L), 6));
    expect(s.shape).toBe('rises');
    expect(text).toMatch(
      /The update itself is [\d.]+× \(at least [\d.]+×\) larger in the deep layers than in the early ones/,
    );
    expect(text).not.toMatch(/is the storage grid|explains every layer/);
  });

  it('a mean shift is noted, not hidden', () => {
    const shifted = base.map((v, l) => (l < 5 ? Float32Array.from(v, (x) => x + 2e-3) : v));
    const { text } = words(
      base,
      updated(shifted, () => 1e-3, 8),
    );
    expect(text).toMatch(
      /Layers 0–4 also move on average \(mean Δ up to 2(\.0)?e-3 at L\d, over a quarter of σ_l\): the update is modelled with mean 0, so there σ_l includes that shift\./,
    );
  });

  it('an identical copy', () => {
    const { s } = words(base, base);
    expect(s.sentences).toHaveLength(1);
    expect(s.sentences[0]).toMatch(
      /^Identical: every stored value of this norm is the same in base and child \(30 layers compared as BF16 codes\)\. The weights/,
    );
  });

  it('the same weights re-stored in another dtype: storage, not training', () => {
    const wider = words(
      base,
      base.map((v) => Float32Array.from(v)),
      ['BF16', 'F32'],
    );
    expect(wider.s.sentences[0]).toMatch(/^Identical: .*; only the declared dtype differs \(BF16 → F32\)\./);
    const f32 = depthGrowingGammas(L, D, 7, 'F32');
    const narrower = words(f32, f32.map(toBf16), ['F32', 'BF16']);
    expect(narrower.s.measuredEarly).toBeGreaterThan(0.9);
    expect(narrower.text).toMatch(
      /^base stores this norm as F32, child as BF16: values can differ only because they were re-stored\./,
    );
    expect(narrower.text).toMatch(
      /No update is needed: every stored value of child is what base's value becomes on the BF16 grid\. The differences are storage, not training/,
    );
    expect(narrower.text).not.toMatch(/update itself|explains every layer|The dashed line/);
  });

  it('a role neither model has', () => {
    const m = [normModel('a', []), normModel('b', [])];
    m[0]!.layers.push({ index: 0, extra: false, label: '0', post: base[0] });
    m[1]!.layers.push({ index: 0, extra: false, label: '0', post: base[0] });
    const s = summarizeDiff(fineTuneDiff(m, 0, 1, 'input'), 'fit', names);
    expect(s.compared).toBe(0);
    expect(s.sentences[0]).toMatch(/No layer has this norm/);
  });
});
