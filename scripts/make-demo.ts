// npm run demo-data: writes the synthetic demo repos to public/demo-hub/ in the static Hub layout.
// Deterministic from --seed, idempotent: skipped when the stamp file says the output is current.
//
//   npx tsx scripts/make-demo.ts [--out public/demo-hub] [--seed 20260101] [--force] [--quiet]

import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StaticIndexEntry, WrittenRepo } from './demo/staticHub.ts';

/** Bump when the output changes in a way the source hash would not catch. */
export const DEMO_GENERATOR_VERSION = 1;
export const DEFAULT_DEMO_SEED = 20260101;
const STAMP_FILE = '.demo-stamp.json';

const here = dirname(fileURLToPath(import.meta.url));
const projectRoot = resolve(here, '..');

/** Files whose content determines the output: any edit regenerates the demo. */
const SOURCES = [
  'scripts/make-demo.ts',
  'scripts/demo/random.ts',
  'scripts/demo/gammaProfiles.ts',
  'scripts/demo/staticHub.ts',
  'scripts/demo/demoRepos.ts',
  'src/core/safetensors.ts',
  'src/core/dtypes.ts',
];

function sourceHash(): string {
  const h = createHash('sha1');
  for (const rel of SOURCES) {
    const path = join(projectRoot, rel);
    h.update(`${rel}\0`);
    if (existsSync(path)) h.update(readFileSync(path));
  }
  return h.digest('hex');
}

function isRunning(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export interface DemoResult {
  skipped: boolean;
  out: string;
  repos: (WrittenRepo & { numLayers: number })[];
  ms: number;
}

/** Writes the demo hub to `out` unless its stamp says it is current. */
export async function makeDemo(opts: { out?: string; seed?: number; force?: boolean } = {}): Promise<DemoResult> {
  const t0 = performance.now();
  const out = resolve(opts.out ?? join(projectRoot, 'public', 'demo-hub'));
  const seed = opts.seed ?? DEFAULT_DEMO_SEED;
  const stamp = { version: DEMO_GENERATOR_VERSION, seed, sources: sourceHash() };
  const stampPath = join(out, STAMP_FILE);
  if (!opts.force && existsSync(stampPath) && existsSync(join(out, 'index.json'))) {
    try {
      const old = JSON.parse(readFileSync(stampPath, 'utf8')) as typeof stamp;
      if (old.version === stamp.version && old.seed === stamp.seed && old.sources === stamp.sources) {
        return { skipped: true, out, repos: [], ms: performance.now() - t0 };
      }
    } catch {
      // unreadable stamp: regenerate
    }
  }

  // Loaded only when there is work to do, so the up-to-date check stays fast.
  const { buildDemoRepos } = await import('./demo/demoRepos.ts');
  const { writeStaticIndex, writeStaticRepo } = await import('./demo/staticHub.ts');

  // Build into a sibling folder, then swap it in, so a running server never sees half a hub.
  // Leftovers of an interrupted run are removed first (they would end up in a Vite build).
  const parent = dirname(out);
  const tmpPrefix = `${basename(out)}.tmp-`;
  if (existsSync(parent)) {
    for (const f of readdirSync(parent)) {
      if (f.startsWith(tmpPrefix) && !isRunning(Number(f.slice(tmpPrefix.length))))
        rmSync(join(parent, f), { recursive: true, force: true });
    }
  }
  const tmp = join(parent, `${tmpPrefix}${process.pid}`);
  const repos: (WrittenRepo & { numLayers: number })[] = [];
  try {
    const index: StaticIndexEntry[] = [];
    for (const { built, index: entry } of buildDemoRepos(seed)) {
      const written = writeStaticRepo(tmp, built);
      repos.push({ ...written, numLayers: built.numLayers });
      index.push({
        ...entry,
        sha: written.sha,
        modelType: String(built.config.model_type),
        architecture: (built.config.architectures as string[])[0] ?? '',
        hiddenSize: built.hiddenSize,
        numLayers: built.numLayers,
        dtype: built.dtype,
        files: written.files.filter((f) => f.path.endsWith('.safetensors')).length,
        totalBytes: written.totalBytes,
        synthetic: true,
      });
    }
    writeStaticIndex(tmp, index, {
      generator: 'normscope make-demo',
      version: DEMO_GENERATOR_VERSION,
      seed,
      note: 'Synthetic repos for offline demos and tests. Not real models.',
    });
    writeFileSync(join(tmp, STAMP_FILE), `${JSON.stringify(stamp)}\n`);
    rmSync(out, { recursive: true, force: true });
    renameSync(tmp, out);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return { skipped: false, out, repos, ms: performance.now() - t0 };
}

function parseArgs(argv: string[]): { out?: string; seed?: number; force: boolean; quiet: boolean } {
  const args: { out?: string; seed?: number; force: boolean; quiet: boolean } = { force: false, quiet: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--force') args.force = true;
    else if (a === '--quiet') args.quiet = true;
    else if (a === '--out') args.out = argv[++i];
    else if (a === '--seed') {
      const v = Number(argv[++i]);
      if (!Number.isInteger(v)) throw new Error('--seed needs an integer');
      args.seed = v;
    } else if (a === '--help' || a === '-h') {
      console.log('usage: tsx scripts/make-demo.ts [--out DIR] [--seed N] [--force] [--quiet]');
      process.exit(0);
    } else throw new Error(`unknown argument ${a}`);
  }
  return args;
}

const MB = 1024 * 1024;

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = parseArgs(process.argv.slice(2));
  const result = await makeDemo(args);
  if (result.skipped) {
    if (!args.quiet) console.log(`demo-data: ${result.out} is up to date (delete it or pass --force to rebuild)`);
  } else if (!args.quiet) {
    console.log(
      `demo-data: wrote ${result.repos.length} synthetic repos to ${result.out} in ${(result.ms / 1000).toFixed(2)} s`,
    );
    for (const r of result.repos) {
      const shards = r.files.filter((f) => f.path.endsWith('.safetensors')).length;
      console.log(
        `  ${r.repo.padEnd(30)} ${r.sha}  ${String(r.numLayers).padStart(2)} layers  ${shards} safetensors  ${(r.totalBytes / MB).toFixed(1)} MB`,
      );
    }
    const total = result.repos.reduce((n, r) => n + r.totalBytes, 0);
    console.log(`  total ${(total / MB).toFixed(1)} MB`);
  }
}
