import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { cycles, importGraph } from './checkCycles';

describe('checkCycles', () => {
  it('finds a cycle made only of type imports, and none in a chain', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cycles-'));
    writeFileSync(join(dir, 'a.ts'), "import type { B } from './b';\nexport type A = B;\n");
    writeFileSync(join(dir, 'b.ts'), "import { c } from './c.ts';\nexport type B = number;\nexport const b = c;\n");
    writeFileSync(join(dir, 'c.ts'), "export type { A } from './a';\nexport const c = 1;\n");
    writeFileSync(join(dir, 'd.ts'), "import { c } from './c';\nexport const d = c;\n");
    const files = ['a.ts', 'b.ts', 'c.ts', 'd.ts'].map((f) => join(dir, f));
    const found = cycles(importGraph(files));
    expect(found).toEqual([files.slice(0, 3)]);
    expect(cycles(importGraph(files.slice(2).reverse()))).toEqual([]);
  });
});
