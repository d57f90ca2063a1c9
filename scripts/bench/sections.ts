// A section of BENCHMARKS.md kept between `<!-- name -->` and `<!-- /name -->`, so that one part of
// the bench can rewrite its own numbers without running the rest.
import { readFileSync, writeFileSync } from 'node:fs';

export const sectionMarkers = (name: string) => ({ start: `<!-- ${name} -->`, end: `<!-- /${name} -->` });

/** Replace (or append) the section `name`; `body` goes between the markers. */
export function writeMarkedSection(name: string, body: string, file = 'BENCHMARKS.md'): void {
  let md = '';
  try {
    md = readFileSync(file, 'utf8');
  } catch {
    md = '# Benchmarks\n';
  }
  const { start: START, end: END } = sectionMarkers(name);
  const section = `${START}\n${body.trim()}\n${END}`;
  const start = md.indexOf(START);
  const end = md.indexOf(END);
  md =
    start >= 0 && end > start
      ? `${md.slice(0, start)}${section}${md.slice(end + END.length)}`
      : `${md.trimEnd()}\n\n${section}\n`;
  writeFileSync(file, md);
}

/** The text between the markers of section `name` (empty when there is none). */
export function readMarkedSection(name: string, file = 'BENCHMARKS.md'): string {
  let md = '';
  try {
    md = readFileSync(file, 'utf8');
  } catch {
    return '';
  }
  const { start: START, end: END } = sectionMarkers(name);
  const start = md.indexOf(START);
  const end = md.indexOf(END);
  return start >= 0 && end > start ? md.slice(start + START.length, end).trim() : '';
}
