import { describe, expect, it } from 'vitest';
import { matrixCsv, tableCsv } from './csv';

/** A small independent RFC 4180 reader, to check what the writer wrote. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cur);
      cur = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(cur);
      rows.push(row);
      row = [];
      cur = '';
      i++;
    } else cur += ch;
  }
  return rows;
}

describe('csv', () => {
  it('quotes commas, quotes and line breaks, and leaves non-finite numbers empty', () => {
    const text = tableCsv(
      ['name', 'r'],
      [
        ['a, "b"', 0.1 + 0.2],
        ['line\nbreak', NaN],
        [null, -Infinity],
      ],
    );
    expect(text.endsWith('\r\n')).toBe(true);
    expect(parseCsv(text)).toEqual([
      ['name', 'r'],
      ['a, "b"', '0.30000000000000004'],
      ['line\nbreak', ''],
      ['', ''],
    ]);
  });
  it('writes a matrix row-major with index headers, values exact', () => {
    const values = Float64Array.from({ length: 6 }, (_, k) => Math.sin(k) / 3);
    const rows = parseCsv(matrixCsv(values, 2, 3, 'A layer', 'B layer'));
    expect(rows[0]).toEqual(['A layer \\ B layer', '0', '1', '2']);
    expect(rows.map((r) => r[0]).slice(1)).toEqual(['0', '1']);
    expect(rows.slice(1).flatMap((r) => r.slice(1).map(Number))).toEqual(Array.from(values));
  });
});
