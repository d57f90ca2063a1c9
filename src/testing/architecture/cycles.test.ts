// No import cycles among the sources, type-only imports included; and state/ reaches the Hub client
// only through the workers (src/compute), never by importing src/hub.
import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importCycles, importGraph, importsOf, resolveRelative, sourceFiles } from './imports.ts';

const ROOT = resolve(__dirname, '../../..');
const rel = (f: string) => relative(ROOT, f).replace(/\\/g, '/');

describe('import graph', () => {
  it('finds a cycle, type-only included, and none in a chain', () => {
    const g = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
      ['d', ['a']],
    ]);
    expect(importCycles(g)).toEqual([['a', 'b', 'c']]);
    expect(
      importCycles(
        new Map([
          ['a', ['b']],
          ['b', []],
        ]),
      ),
    ).toEqual([]);
    expect(importCycles(new Map([['a', ['a']]]))).toEqual([['a']]);
  });

  it('has no cycle in src, workers and scripts', () => {
    const files = ['src', 'workers', 'scripts'].flatMap((d) => sourceFiles(resolve(ROOT, d)));
    const cycles = importCycles(importGraph(files)).map((c) => c.map(rel).join(' ↔ '));
    expect(cycles).toEqual([]);
  });

  it('state/ never imports hub/', () => {
    const offending: string[] = [];
    for (const file of sourceFiles(resolve(ROOT, 'src/state'))) {
      for (const spec of importsOf(readFileSync(file, 'utf8'))) {
        const target = resolveRelative(file, spec);
        if (target && rel(target).startsWith('src/hub/')) offending.push(`${rel(file)} → ${spec}`);
      }
    }
    expect(offending).toEqual([]);
  });
});
