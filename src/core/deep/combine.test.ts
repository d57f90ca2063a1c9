import { describe, expect, it } from 'vitest';
import { combineAncestry } from './combine';
import type { MatrixEvidence, NormBasis } from './types';

const norm = (verdict: NormBasis['verdict'], role = 'input'): NormBasis => ({
  role,
  verdict,
  r: verdict === 'no-information' ? null : 0.5,
  pValue: verdict === 'no-information' ? null : 0.001,
  ...(verdict === 'no-information' ? { why: 'every γ is 1.0 (folded)' } : {}),
});
const matrices = (verdict: MatrixEvidence['verdict'], pValue = 0.001) =>
  ({ verdict, pValue, hiddenMap: 'permuted' }) as MatrixEvidence;

describe('combineAncestry', () => {
  it('folded norms are no information, and the matrices carry the verdict', () => {
    const r = combineAncestry([norm('no-information'), norm('no-information', 'post')], matrices('shared-ancestry'));
    expect(r.verdict).toBe('shared-ancestry');
    expect(r.carriedBy).toBe('matrices');
    expect(r.disagreement).toBeNull();
    expect(r.reasons.join(' ')).toMatch(/no information/);
  });
  it('never turns "no information" into "no evidence"', () => {
    expect(combineAncestry([norm('no-information')], null).verdict).toBe('inconclusive');
    expect(combineAncestry([norm('no-information')], null).carriedBy).toBe('none');
    expect(combineAncestry([], matrices('no-evidence', NaN)).verdict).toBe('inconclusive');
  });
  it('says so when the signals disagree, and which one carries', () => {
    const r = combineAncestry([norm('no-evidence')], matrices('shared-ancestry'));
    expect(r.verdict).toBe('shared-ancestry');
    expect(r.carriedBy).toBe('matrices');
    expect(r.disagreement).toMatch(/disagree.*matrices say shared-ancestry.*norms say no-evidence/);
    const s = combineAncestry([norm('shared-ancestry')], matrices('no-evidence', 0.6));
    expect(s.verdict).toBe('shared-ancestry');
    expect(s.carriedBy).toBe('norms');
    expect(s.disagreement).toMatch(/follows the norms/);
  });
  it('agreement and the weaker verdicts', () => {
    expect(combineAncestry([norm('shared-ancestry')], matrices('shared-ancestry')).carriedBy).toBe('both');
    const none = combineAncestry([norm('no-evidence')], matrices('no-evidence', 0.4));
    expect([none.verdict, none.carriedBy]).toEqual(['no-evidence', 'both']);
    expect(combineAncestry([norm('no-evidence')], matrices('inconclusive', 0.03)).verdict).toBe('inconclusive');
    expect(combineAncestry([norm('no-evidence')], null).verdict).toBe('no-evidence');
  });
});
