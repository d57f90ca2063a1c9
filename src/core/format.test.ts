import { describe, expect, it } from 'vitest';
import { fixed, formatBytes, groupDigits } from './format';

describe('format', () => {
  it('prints fixed digits, −0 as 0, and a placeholder for missing values', () => {
    expect(fixed(0.12345)).toBe('0.123');
    expect(fixed(-0.0001, 2)).toBe('0.00');
    expect(fixed(Number.NaN)).toBe('n/a');
    expect(fixed(null, 2, '–')).toBe('–');
    expect(fixed(Infinity, 2, '–')).toBe('–');
  });
  it('prints byte sizes in decimal units and exact counts with grouped digits', () => {
    expect(formatBytes(1_500_000_000)).toBe('1.5 GB');
    expect(formatBytes(null)).toBe('?');
    expect(groupDigits(1_234_567)).toBe('1,234,567');
  });
});
