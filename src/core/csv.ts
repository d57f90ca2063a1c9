// CSV (RFC 4180): fields quoted when they hold a comma, quote or line break; rows end in CRLF.
// Numbers keep full float64 precision (shortest round-trip text); non-finite values are empty fields.

export type CsvField = string | number | boolean | null | undefined;

function field(v: CsvField): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** A table: a header row, then one line per row. */
export function tableCsv(header: readonly string[], rows: readonly (readonly CsvField[])[]): string {
  return [header, ...rows].map((r) => r.map(field).join(',')).join('\r\n') + '\r\n';
}

/**
 * A rows × cols matrix (row-major values) with its labels: the corner cell names both axes
 * ("rowLabel \ colLabel"), the first row holds column indices, the first column row indices.
 */
export function matrixCsv(
  values: ArrayLike<number>,
  rows: number,
  cols: number,
  rowLabel: string,
  colLabel: string,
): string {
  const header = [`${rowLabel} \\ ${colLabel}`, ...Array.from({ length: cols }, (_, j) => String(j))];
  const body = Array.from({ length: rows }, (_, i) => [
    i,
    ...Array.from({ length: cols }, (_, j) => values[i * cols + j] as number),
  ]);
  return tableCsv(header, body);
}
