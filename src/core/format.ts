// Number formatting in one place: the wording in core and the views print numbers the same way.

/** Fixed digits; `missing` for null, NaN and ±∞; −0 prints as 0. */
export function fixed(v: number | null, digits = 3, missing = 'n/a'): string {
  if (v === null || !Number.isFinite(v)) return missing;
  const s = v.toFixed(digits);
  return /^-0\.?0*$/.test(s) ? s.slice(1) : s;
}

/** A byte size in decimal units for people: "999 B", "412 KB", "1.5 GB"; "?" when unknown. */
export function formatBytes(bytes: number | null): string {
  if (bytes === null || !Number.isFinite(bytes)) return '?';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = bytes;
  let u = 0;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return `${v >= 100 || u === 0 ? v.toFixed(0) : v.toFixed(1)} ${units[u]}`;
}

/** An exact count (a byte offset, a length) with grouped digits: 1234567 → "1,234,567". */
export function groupDigits(n: number): string {
  return n.toLocaleString('en-US');
}
