// Number formatting shared by the 2-D views' labels and readouts (plain strings, never HTML).

const SUPERSCRIPT: Record<string, string> = {
  '-': '⁻',
  '0': '⁰',
  '1': '¹',
  '2': '²',
  '3': '³',
  '4': '⁴',
  '5': '⁵',
  '6': '⁶',
  '7': '⁷',
  '8': '⁸',
  '9': '⁹',
};

/** 10 to an integer power in print form: "10⁻⁴". */
export function pow10Label(exponent: number): string {
  return `10${String(exponent)
    .split('')
    .map((c) => SUPERSCRIPT[c] ?? c)
    .join('')}`;
}

/** Fixed digits, "n/a" for NaN/∞; −0 prints as 0 (its one home is core/format). */
export { fixed } from '../../core/format';

/** A percentage of a share in [0, 1]: "96.2%", "<0.1%" for tiny non-zero shares. */
export function percent(share: number, digits = 1): string {
  if (!Number.isFinite(share)) return 'n/a';
  const p = share * 100;
  if (p > 0 && p < 10 ** -digits) return `<${(10 ** -digits).toFixed(digits)}%`;
  return `${p.toFixed(digits)}%`;
}

/** Compact scientific form for small magnitudes: 0.00128 → "1.28e-3"; plain for ordinary ones. */
export function sci(v: number, digits = 3): string {
  if (!Number.isFinite(v)) return 'n/a';
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 0.01 && a < 1e4) return String(Number(v.toPrecision(digits)));
  const [mant, exp] = v.toExponential(digits - 1).split('e');
  return `${mant}e${Number(exp)}`;
}

/** Runs of consecutive integers: [0,1,2,5,7,8] → "0–2, 5, 7–8". */
export function runs(values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    parts.push(i === j ? String(sorted[i]) : `${sorted[i]}–${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(', ');
}
