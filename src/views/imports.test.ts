// One way for data: views read the store and call state actions; they never reach a worker, the Hub
// client or a byte source themselves. This keeps it so.
import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importsOf, sourceFiles } from '../testing/architecture/imports';

const VIEWS = resolve(__dirname);
const ROOT = resolve(__dirname, '../..');
/** where views may not import from (relative to the repository root) */
const FORBIDDEN = ['src/compute', 'workers', 'src/hub', 'src/sources', 'src/app'];

describe('views depend on state and core only', () => {
  it('finds imports of every form', () => {
    const src = `import { a } from '../../compute/client';\nimport type { B } from "../../hub/x";\nexport { c } from '../sources/y';\nconst v = import('../../../workers/w');\nimport './x.css';`;
    expect(importsOf(src)).toEqual([
      '../../compute/client',
      '../../hub/x',
      '../sources/y',
      '../../../workers/w',
      './x.css',
    ]);
  });

  it('no file under src/views imports from compute, workers, hub, sources or app', () => {
    const offending: string[] = [];
    for (const file of sourceFiles(VIEWS)) {
      for (const spec of importsOf(readFileSync(file, 'utf8'))) {
        if (!spec.startsWith('.')) continue;
        const target = relative(ROOT, resolve(file, '..', spec)).replace(/\\/g, '/');
        if (FORBIDDEN.some((dir) => target === dir || target.startsWith(`${dir}/`)))
          offending.push(`${relative(ROOT, file)} → ${spec}`);
      }
    }
    expect(offending).toEqual([]);
  });
});
